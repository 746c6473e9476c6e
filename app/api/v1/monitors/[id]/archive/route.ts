import { withSecretKey } from "@/lib/api/handler";
import { monitorJson } from "@/lib/monitors/api";
import { setMonitorStatus } from "@/lib/monitors/manage";

// POST /api/v1/monitors/:id/archive: stop the monitor for good; its matches stay (409 once archived)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  return monitorJson(await setMonitorStatus(db, workspace.id, String(params.id), "archive"));
});
