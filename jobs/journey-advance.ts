import { z } from "zod";
import type { Db } from "@/db/client";
import { advanceRuns } from "@/lib/journeys/engine";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";

const batchSize = 500;
const budgetMs = 20_000;

/** Moves a workspace's due runs (or only some contacts') until none is due or the deadline passes; true when some may be left. */
export async function advanceWorkspace(db: Db, workspaceId: string, deadline = Date.now() + budgetMs, contactIds?: string[]): Promise<boolean> {
  for (;;) {
    const { runs } = await advanceRuns(db, { workspaceId, contactIds, limit: batchSize });
    if (runs < batchSize) return false;
    if (Date.now() > deadline) return true;
  }
}

// Moves a workspace's due journey runs in batches (lib/journeys/engine.ts). Any number may run
// at once, in any number of processes: batches are claimed with SKIP LOCKED, so two jobs for
// one workspace share its runs, and a job that finds nothing due costs one query. Queued by the
// minutely tick, by enrolment, and by itself when its time budget ends with runs still due.
export const journeyAdvance = defineJob({
  name: "journey.advance",
  schema: z.object({ workspaceId: z.uuid() }),
  options: { retryLimit: 10, retryDelaySeconds: 2, batchSize: 1, expireInSeconds: 60 },
  async handle({ workspaceId }, { db }) {
    const more = await advanceWorkspace(db, workspaceId);
    if (more) await enqueue(journeyAdvance, { workspaceId });
    return { more };
  },
});
