import { withSecretKey } from "@/lib/api/handler";
import { broadcastReply } from "@/lib/broadcasts/api";
import { pauseBroadcast, requireBroadcast } from "@/lib/broadcasts/manage";

// POST /api/v1/broadcasts/:id/pause: stop a sending broadcast: the fan-out stops at its next page, queued messages wait (409 in any other state)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  const broadcast = await requireBroadcast(db, workspace.id, String(params.id));
  return broadcastReply(db, await pauseBroadcast(db, workspace.id, broadcast.id));
});
