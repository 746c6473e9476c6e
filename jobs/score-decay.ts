import { z } from "zod";
import { decayScores } from "@/lib/scoring/decay";
import { defineJob } from "./define-job";

// Hourly: engagement halves after N days without activity or points older than N days expire
// (the workspace's decay setting), and fit is brought up to date for every contact. Each
// change is keyed, so a retry or a second run in the same hour changes nothing more.
export const scoreDecay = defineJob({
  name: "score.decay",
  schema: z.object({}).passthrough(),
  options: { cron: "7 * * * *", retryLimit: 2, expireInSeconds: 3600 },
  async handle(_data, { db }) {
    return decayScores(db, new Date());
  },
});
