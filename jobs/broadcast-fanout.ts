import { z } from "zod";
import { runFanout } from "@/lib/broadcasts/fanout";
import { defineJob } from "./define-job";

// Queues a broadcast's recipients as messages, page by page. Only one runs per broadcast (a
// lease in the broadcasts row); a retried or second copy finds it held and stops, and one
// that outlived a dead worker takes over when the lease runs out and goes on from the cursor.
export const broadcastFanout = defineJob({
  name: "broadcast.fanout",
  schema: z.object({ workspaceId: z.uuid(), broadcastId: z.uuid(), requeue: z.boolean().optional() }),
  options: { retryLimit: 10, retryDelaySeconds: 30, retryBackoff: true, batchSize: 1, expireInSeconds: 30 * 60 },
  async handle({ workspaceId, broadcastId, requeue }, { db, jobId }) {
    return runFanout(db, workspaceId, broadcastId, { owner: jobId, requeue });
  },
});
