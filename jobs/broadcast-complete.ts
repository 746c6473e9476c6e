import { z } from "zod";
import { checkCompletion } from "@/lib/broadcasts/complete";
import { defineJob } from "./define-job";

// Marks a fanned-out broadcast sent once none of its messages is waiting; until then it looks
// again a little later.
export const broadcastComplete = defineJob({
  name: "broadcast.complete",
  schema: z.object({ workspaceId: z.uuid(), broadcastId: z.uuid() }),
  options: { retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true, batchSize: 5, expireInSeconds: 5 * 60 },
  async handle({ workspaceId, broadcastId }, { db }) {
    return checkCompletion(db, workspaceId, broadcastId);
  },
});
