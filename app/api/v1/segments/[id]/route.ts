import { readJson, withSecretKey } from "@/lib/api/handler";
import { deleteSegment } from "@/lib/segments/manage";
import { requireSegment, segmentJson, updateSegmentAndQueue } from "@/lib/segments/requests";
import { segmentPatchSchema } from "@/lib/validation/segments";

// GET /api/v1/segments/:id: the segment, its rule and its size
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return segmentJson(await requireSegment(db, workspace.id, String(params.id)));
});

// PATCH /api/v1/segments/:id: rename, describe, or change the rule (re-validated, recompute queued)
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = segmentPatchSchema.parse(await readJson(request));
  return segmentJson(await updateSegmentAndQueue(db, workspace.id, String(params.id), patch));
});

// DELETE /api/v1/segments/:id: delete it and its history, unless another segment's rule reads it (409)
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const segment = await requireSegment(db, workspace.id, String(params.id));
  await deleteSegment(db, workspace.id, segment.id);
  return { deleted: true, id: segment.id };
});
