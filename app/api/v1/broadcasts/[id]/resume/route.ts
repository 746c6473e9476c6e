import { withSecretKey } from "@/lib/api/handler";
import { broadcastReply } from "@/lib/broadcasts/api";
import { resumeBroadcast, requireBroadcast } from "@/lib/broadcasts/manage";

// POST /api/v1/broadcasts/:id/resume: go on where a paused broadcast stopped (409 in any other state)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  const broadcast = await requireBroadcast(db, workspace.id, String(params.id));
  return broadcastReply(db, await resumeBroadcast(db, workspace.id, broadcast.id));
});
