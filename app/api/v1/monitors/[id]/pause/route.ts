import { withSecretKey } from "@/lib/api/handler";
import { monitorJson } from "@/lib/monitors/api";
import { setMonitorStatus } from "@/lib/monitors/manage";

// POST /api/v1/monitors/:id/pause: stop counting events for an active monitor; its counters stay (409 in any other state)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  return monitorJson(await setMonitorStatus(db, workspace.id, String(params.id), "pause"));
});
