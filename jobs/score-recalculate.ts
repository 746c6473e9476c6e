import { z } from "zod";
import { recalculateScores } from "@/lib/scoring/recalculate";
import { defineJob } from "./define-job";

// A recalculation of every contact's score after a rule change, page by page with its progress
// in scoring_settings.recalculation. One per workspace at a time (stately, keyed by workspace);
// a retry starts over, which gives the same scores.
export const scoreRecalculate = defineJob({
  name: "score.recalculate",
  schema: z.object({ workspaceId: z.uuid(), startedAt: z.string() }),
  options: { policy: "stately", retryLimit: 3, retryDelaySeconds: 10, batchSize: 1, expireInSeconds: 3600 },
  async handle({ workspaceId, startedAt }, { db }) {
    return recalculateScores(db, workspaceId, startedAt, new Date());
  },
});
