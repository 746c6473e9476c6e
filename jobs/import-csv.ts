import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { markFailed, runImport } from "@/lib/imports/run";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";

const retryLimit = 5;
/** One run's share of an import, so a serverless cron call (45 s) can finish its turn; the next run resumes. */
const sliceMs = 20_000;

// Imports an uploaded CSV in batches from the last committed row. A run that uses up its slice
// queues the next one; a failed run is retried by pg-boss and resumes where the last batch ended.
export const importCsv = defineJob({
  name: "import.csv",
  schema: z.object({ workspaceId: z.uuid(), importId: z.uuid() }),
  options: { retryLimit, retryDelaySeconds: 5, batchSize: 1, expireInSeconds: 600 },
  async handle({ workspaceId, importId }, { db, attempt }) {
    try {
      const result = await runImport(db, workspaceId, importId, { budgetMs: sliceMs });
      if (result === "paused") await continueImport(db, workspaceId, importId);
      return { result };
    } catch (error) {
      if (attempt >= retryLimit) await markFailed(db, workspaceId, importId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  },
});

/** Queues the next slice of a running import, unless it finished or failed meanwhile. */
async function continueImport(db: Db, workspaceId: string, importId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [running] = await queryRows<{ status: string }>(
      tx,
      sql`select status from imports where workspace_id = ${workspaceId} and id = ${importId} for update`,
    );
    if (running?.status === "running") await enqueue(importCsv, { workspaceId, importId }, { tx });
  });
}
