import { withSecretKey } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { recomputeSegment } from "@/lib/segments/membership";
import { queueSegmentRecompute, requireSegment } from "@/lib/segments/requests";

// POST /api/v1/segments/:id/recompute: recompute now and wait for the result; `?async=1` queues it (202)
export const POST = withSecretKey(async (request, { db, workspace, params }) => {
  const segment = await requireSegment(db, workspace.id, String(params.id));
  const async = request.nextUrl.searchParams.get("async");
  if (async === "1" || async === "true") {
    const job = await queueSegmentRecompute(workspace.id, segment.id);
    return Response.json({ queued: true, job_id: job }, { status: 202 });
  }
  const result = await recomputeSegment(db, workspace.id, segment.id);
  if (!result) throw new AppError("not_found", "No such segment in this workspace.");
  if ("error" in result && result.error) {
    throw new AppError("validation_failed", `The rule no longer holds at ${result.error.path}: ${result.error.message}`, [result.error]);
  }
  return { entered: result.entered, exited: result.exited, members: result.members };
});
