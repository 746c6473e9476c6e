import { z } from "zod";
import { recomputeSegment } from "@/lib/segments/membership";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";
import { journeyAdvance } from "./journey-advance";

// One full recompute per segment at a time (stately, keyed by segment); a request while one
// runs is queued once and runs after it.
export const segmentRecompute = defineJob({
  name: "segment.recompute",
  schema: z.object({ workspaceId: z.uuid(), segmentId: z.uuid() }),
  options: { policy: "stately", retryLimit: 3, retryDelaySeconds: 10, batchSize: 1, expireInSeconds: 1800 },
  async handle({ workspaceId, segmentId }, { db }) {
    const result = await recomputeSegment(db, workspaceId, segmentId);
    // Entrants may have entered journeys this segment triggers: move them now, not at the next tick.
    if (result && result.entered > 0) await enqueue(journeyAdvance, { workspaceId });
    return result ?? { missing: true };
  },
});
