import { z } from "zod";
import { nudgeForGoals } from "@/lib/journeys/enrol";
import { refreshFit } from "@/lib/scoring/fit";
import { refreshContacts } from "@/lib/segments/membership";
import { advanceWorkspace, journeyAdvance } from "./journey-advance";
import { processPendingEvents } from "@/lib/tracking/process";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";
import { messageSend } from "./message-send";
import { wakeQueue } from "./run";

const batchSize = 500;
const budgetMs = 20_000;

// Turns stored tracking calls into contacts, traits and companies. One job per workspace is
// queued at a time (stately, keyed by workspace); it drains what is pending and, if calls keep
// arriving past its time budget, the next ingest or the sweep queues the next one.
export const eventProcess = defineJob({
  name: "event.process",
  schema: z.object({ workspaceId: z.uuid() }),
  options: { policy: "stately", retryLimit: 10, retryDelaySeconds: 2, batchSize: 1, expireInSeconds: 300 },
  async handle({ workspaceId }, { db }) {
    const until = Date.now() + budgetMs;
    let processed = 0;
    for (;;) {
      const { taken, contactIds, changes, journeyRunsDue } = await processPendingEvents(db, workspaceId, batchSize);
      processed += taken;
      // Real-time segments: membership is current when the job that saw the change ends.
      const moved = await refreshContacts(db, workspaceId, contactIds, changes);
      await refreshFit(db, workspaceId, contactIds, new Date());
      const nudged = await nudgeForGoals(db, workspaceId, contactIds, new Date());
      // Journeys move at once: an event reaches its first send within this job, not a poll later.
      // Only the runs of this batch's contacts: a backlog (a large segment entry) is
      // journey.advance's, and a signup does not wait behind it.
      if (journeyRunsDue > 0 || moved.entered > 0 || nudged > 0) {
        if (await advanceWorkspace(db, workspaceId, until, contactIds)) await enqueue(journeyAdvance, { workspaceId });
        // Their sends are committed: this process's message.send workers take them now, not a poll later.
        wakeQueue(messageSend.name);
      }
      if (taken < batchSize) break;
      if (Date.now() > until) {
        // More is waiting: queue the next run now rather than leave the rest to the minutely
        // sweep (after a burst nothing else queues it; measured by npm run bench:ingest).
        await enqueue(eventProcess, { workspaceId }, { singletonKey: workspaceId });
        break;
      }
    }
    return { processed };
  },
});
