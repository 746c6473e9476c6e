import { readJson, withSecretKey } from "@/lib/api/handler";
import { listSegments } from "@/lib/segments/manage";
import { createSegmentAndQueue, segmentJson } from "@/lib/segments/requests";
import { segmentCreateSchema } from "@/lib/validation/segments";

// GET /api/v1/segments: every segment of the workspace, newest first
export const GET = withSecretKey(async (_request, { db, workspace }) => {
  return { data: (await listSegments(db, workspace.id)).map(segmentJson) };
});

// POST /api/v1/segments: create a dynamic segment (queues its first compute) or a static list
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = segmentCreateSchema.parse(await readJson(request));
  const segment = await createSegmentAndQueue(db, workspace.id, body);
  return Response.json(segmentJson(segment), { status: 201 });
});
