import type { Db } from "@/db/client";
import type { Segment } from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { segmentRecompute } from "@/jobs/segment-recompute";
import { AppError } from "@/lib/errors";
import { createSegment, getSegment, updateSegment } from "./manage";

// What the REST routes and the segment pages' server actions share: write, then queue the
// recompute in the same transaction, so a segment never exists without its first compute.

async function queueRecompute(tx: Db, workspaceId: string, segmentId: string) {
  await enqueue(segmentRecompute, { workspaceId, segmentId }, { tx, singletonKey: segmentId });
}

export async function createSegmentAndQueue(
  db: Db,
  workspaceId: string,
  input: Parameters<typeof createSegment>[2],
): Promise<Segment> {
  // Started before the transaction: on the embedded database the global handle would wait for it.
  await getBoss();
  return db.transaction(async (tx) => {
    const segment = await createSegment(tx, workspaceId, input);
    if (segment.kind === "dynamic") await queueRecompute(tx, workspaceId, segment.id);
    return segment;
  });
}

export async function updateSegmentAndQueue(
  db: Db,
  workspaceId: string,
  segmentId: string,
  patch: Parameters<typeof updateSegment>[3],
): Promise<Segment> {
  await getBoss();
  return db.transaction(async (tx) => {
    const segment = await updateSegment(tx, workspaceId, segmentId, patch);
    if (patch.rule !== undefined) await queueRecompute(tx, workspaceId, segment.id);
    return segment;
  });
}

export async function requireSegment(db: Db, workspaceId: string, segmentId: string): Promise<Segment> {
  const segment = await getSegment(db, workspaceId, segmentId);
  if (!segment) throw new AppError("not_found", "No such segment in this workspace.");
  return segment;
}

/** Queues a full recompute (deduplicated per segment). */
export async function queueSegmentRecompute(workspaceId: string, segmentId: string): Promise<string | null> {
  return enqueue(segmentRecompute, { workspaceId, segmentId }, { singletonKey: segmentId });
}

/** A segment as the REST API shows it. */
export function segmentJson(segment: Segment) {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    kind: segment.kind,
    rule: segment.rule,
    member_count: segment.memberCount,
    computed_at: segment.computedAt?.toISOString() ?? null,
    computing: segment.computing !== null && segment.computing !== undefined,
    error: segment.error,
    created_at: segment.createdAt.toISOString(),
    updated_at: segment.updatedAt.toISOString(),
  };
}
