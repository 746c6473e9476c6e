import type PgBoss from "pg-boss";
import type { Database } from "../db/client";
import type { JobDefinition } from "./define-job";

type FetchedJob = PgBoss.JobWithMetadata<unknown>;

export class InvalidJobPayload extends Error {}

// Runs one fetched job: an invalid payload fails once (its retry limit is lowered to the
// attempts made, so pg-boss moves it straight to the dead-letter queue); any other error
// is thrown for pg-boss to retry with backoff.
export async function runJob(
  boss: PgBoss,
  database: Database,
  job: JobDefinition,
  fetched: FetchedJob,
): Promise<unknown> {
  const parsed = job.schema.safeParse(fetched.data);
  if (!parsed.success) {
    await boss
      .getDb()
      .executeSql("UPDATE pgboss.job SET retry_limit = retry_count WHERE name = $1 AND id = $2", [
        job.name,
        fetched.id,
      ]);
    throw new InvalidJobPayload(`Invalid payload for ${job.name}: ${parsed.error.message}`);
  }
  return job.handle(parsed.data, {
    database,
    db: database.db,
    jobId: fetched.id,
    attempt: fetched.retryCount,
  });
}

// This process's workers by queue, so a job that queues work for another queue can wake them.
const localWorkers = new Map<string, Array<{ boss: PgBoss; id: string }>>();

/**
 * Wakes this process's workers of a queue to fetch now instead of at their next poll (up to
 * 0.5 s later). For jobs just committed by this process, e.g. the sends of an event's journey
 * runs; a worker that finds nothing goes back to polling.
 */
export function wakeQueue(name: string): void {
  for (const worker of localWorkers.get(name) ?? []) worker.boss.notifyWorker(worker.id);
}

export async function startWorkers(boss: PgBoss, database: Database, jobs: JobDefinition[]): Promise<void> {
  boss.on("stopped", () => {
    for (const [name, workers] of localWorkers) localWorkers.set(name, workers.filter((worker) => worker.boss !== boss));
  });
  for (const job of jobs) {
    for (let lane = 0; lane < job.options.concurrency; lane++) {
      let workerId = "";
      workerId = await boss.work<unknown>(
        job.name,
        { batchSize: job.options.batchSize, includeMetadata: true, pollingIntervalSeconds: 0.5 },
        async (batch) => {
          // pg-boss completes or fails a batch as a whole, so each job is settled here.
          for (const fetched of batch) {
            try {
              const output = await runJob(boss, database, job, fetched);
              await boss.complete(job.name, fetched.id, toOutput(output));
            } catch (error) {
              await boss.fail(job.name, fetched.id, errorOutput(error));
            }
          }
          // A full batch means more are waiting: fetch again at once instead of after the polling interval.
          if (batch.length === job.options.batchSize && workerId) boss.notifyWorker(workerId);
        },
      );
      localWorkers.set(job.name, [...(localWorkers.get(job.name) ?? []), { boss, id: workerId }]);
    }
    if (job.options.cron) await boss.schedule(job.name, job.options.cron, {});
  }
}

/** Drains due jobs once (serverless cron): returns what it did. */
export async function drainJobs(
  boss: PgBoss,
  database: Database,
  jobs: JobDefinition[],
  budgetMs: number,
): Promise<Record<string, { completed: number; failed: number }>> {
  const deadline = Date.now() + budgetMs;
  const report: Record<string, { completed: number; failed: number }> = {};
  for (const job of jobs) {
    const counts = { completed: 0, failed: 0 };
    report[job.name] = counts;
    while (Date.now() < deadline) {
      const batch = await boss.fetch<unknown>(job.name, { batchSize: job.options.batchSize, includeMetadata: true });
      if (batch.length === 0) break;
      for (const fetched of batch) {
        try {
          const output = await runJob(boss, database, job, fetched);
          await boss.complete(job.name, fetched.id, toOutput(output));
          counts.completed++;
        } catch (error) {
          await boss.fail(job.name, fetched.id, errorOutput(error));
          counts.failed++;
        }
      }
    }
  }
  return report;
}

function toOutput(output: unknown): object | undefined {
  return output && typeof output === "object" ? output : undefined;
}

function errorOutput(error: unknown): object {
  return error instanceof Error ? { message: error.message, name: error.name } : { message: String(error) };
}
