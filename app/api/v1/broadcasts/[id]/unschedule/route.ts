import { withSecretKey } from "@/lib/api/handler";
import { broadcastReply } from "@/lib/broadcasts/api";
import { unscheduleBroadcast, requireBroadcast } from "@/lib/broadcasts/manage";

// POST /api/v1/broadcasts/:id/unschedule: a scheduled broadcast goes back to draft (409 in any other state)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  const broadcast = await requireBroadcast(db, workspace.id, String(params.id));
  return broadcastReply(db, await unscheduleBroadcast(db, workspace.id, broadcast.id));
});
