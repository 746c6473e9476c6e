import { readJson, withSecretKey } from "@/lib/api/handler";
import { broadcastReply } from "@/lib/broadcasts/api";
import { deleteBroadcast, requireBroadcast, updateBroadcast } from "@/lib/broadcasts/manage";
import { broadcastPatchSchema } from "@/lib/validation/broadcasts";

// GET /api/v1/broadcasts/:id: the broadcast with its A/B variants
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return broadcastReply(db, await requireBroadcast(db, workspace.id, String(params.id)));
});

// PATCH /api/v1/broadcasts/:id: change a draft (409 once scheduled or sending); the merged whole is checked again
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = broadcastPatchSchema.parse(await readJson(request));
  return broadcastReply(db, await updateBroadcast(db, workspace.id, String(params.id), patch));
});

// DELETE /api/v1/broadcasts/:id: drafts and cancelled broadcasts only; a sent one keeps its results
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const broadcast = await requireBroadcast(db, workspace.id, String(params.id));
  await deleteBroadcast(db, workspace.id, broadcast.id);
  return { deleted: true, id: broadcast.id };
});
