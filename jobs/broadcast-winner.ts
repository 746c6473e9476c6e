import { z } from "zod";
import { pickWinner } from "@/lib/broadcasts/winner";
import { defineJob } from "./define-job";

// A winner test's end: the variant that did best on the test recipients is chosen, and the
// fan-out goes on to send it to the rest.
export const broadcastWinner = defineJob({
  name: "broadcast.winner",
  schema: z.object({ workspaceId: z.uuid(), broadcastId: z.uuid() }),
  options: { retryLimit: 10, retryDelaySeconds: 30, retryBackoff: true, batchSize: 1, expireInSeconds: 10 * 60 },
  async handle({ workspaceId, broadcastId }, { db }) {
    return pickWinner(db, workspaceId, broadcastId);
  },
});
