import { readJson, withSecretKey } from "@/lib/api/handler";
import { broadcastReply } from "@/lib/broadcasts/api";
import { requireBroadcast, sendBroadcast } from "@/lib/broadcasts/manage";
import { broadcastSendSchema } from "@/lib/validation/broadcasts";

// POST /api/v1/broadcasts/:id/send: schedule a draft on its schedule (or `{schedule}` given here); 202, the fan-out runs as a job
export const POST = withSecretKey(async (request, { db, workspace, params }) => {
  // The body is optional (`curl -X POST` with none sends on the broadcast's own schedule).
  const empty = request.body === null || !(await request.clone().text()).trim();
  const body = broadcastSendSchema.parse(empty ? {} : await readJson(request, 16 * 1024));
  const broadcast = await requireBroadcast(db, workspace.id, String(params.id));
  const scheduled = await sendBroadcast(db, workspace.id, broadcast.id, { schedule: body.schedule });
  return Response.json(await broadcastReply(db, scheduled), { status: 202 });
});
