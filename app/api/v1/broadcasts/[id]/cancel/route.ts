import { withSecretKey } from "@/lib/api/handler";
import { broadcastReply } from "@/lib/broadcasts/api";
import { cancelBroadcast, requireBroadcast } from "@/lib/broadcasts/manage";

// POST /api/v1/broadcasts/:id/cancel: stop a scheduled, sending or paused broadcast for good; what was not sent is cancelled (409 in any other state)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  const broadcast = await requireBroadcast(db, workspace.id, String(params.id));
  return broadcastReply(db, await cancelBroadcast(db, workspace.id, broadcast.id));
});
