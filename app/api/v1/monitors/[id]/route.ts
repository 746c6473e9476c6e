import { readJson, withSecretKey } from "@/lib/api/handler";
import { snakeError } from "@/lib/api/snake-paths";
import { monitorInputForPatch, monitorJson } from "@/lib/monitors/api";
import { deleteMonitor, requireMonitor, updateMonitor } from "@/lib/monitors/manage";

// GET /api/v1/monitors/:id: the monitor with its settings and status
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return monitorJson(await requireMonitor(db, workspace.id, String(params.id)));
});

// PATCH /api/v1/monitors/:id: change any of its settings (the fields given replace the monitor's, null clears); 409 once archived
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const body = await readJson(request);
  const monitor = await requireMonitor(db, workspace.id, String(params.id));
  const input = monitorInputForPatch(monitor, body);
  return monitorJson(await updateMonitor(db, workspace.id, monitor.id, input).catch((error: unknown) => Promise.reject(snakeError(error))));
});

// DELETE /api/v1/monitors/:id: a monitor that never matched anyone (409 after a match: archive it instead)
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const monitor = await requireMonitor(db, workspace.id, String(params.id));
  await deleteMonitor(db, workspace.id, monitor.id);
  return { deleted: true, id: monitor.id };
});
