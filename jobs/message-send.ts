import { z } from "zod";
import { deliverMessage } from "@/lib/messages/send";
import { defineJob } from "./define-job";

const retryLimit = 6;

// One message to one contact. Four lanes per worker process: a send waits mostly on the
// database and the SMTP server, not on this process. Transient failures (SMTP 4xx, timeouts) retry with backoff over
// about half an hour; the last try records the message as failed. A job that outlives its
// expiry (a worker died mid-send) is retried, and deliverMessage never hands a message over twice.
export const messageSend = defineJob({
  name: "message.send",
  schema: z.object({ workspaceId: z.uuid(), messageId: z.uuid() }),
  options: { retryLimit, retryDelaySeconds: 30, retryBackoff: true, batchSize: 20, concurrency: 4, expireInSeconds: 120 },
  async handle({ workspaceId, messageId }, { db, attempt }) {
    return deliverMessage(db, workspaceId, messageId, { finalAttempt: attempt >= retryLimit });
  },
});
