import PgBoss from "pg-boss";
import { sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { getDatabase, type Database, type Db } from "../db/client";
import { deadLetterQueue, type JobDefinition } from "./define-job";

export interface BossOptions {
  /** Run pg-boss's supervisor and cron clock (workers do; a web process that only sends does not). */
  maintenance?: boolean;
}

export async function createBoss(database: Database, options: BossOptions = {}): Promise<PgBoss> {
  const maintenance = options.maintenance ?? true;
  const boss = new PgBoss({
    ...("connectionString" in database.queue
      ? { connectionString: database.queue.connectionString, max: Number(process.env.JOBS_POOL_MAX || 4) }
      : { db: database.queue.db as PgBoss.Db }),
    supervise: maintenance,
    schedule: maintenance,
  });
  boss.on("error", (error) => console.error("[jobs]", error));
  await boss.start();
  return boss;
}

// Two processes starting on a fresh database (a web server and a worker) create the same
// queues at once; pg-boss's DDL then deadlocks or finds the other's table. Whoever loses
// looks again: by then the queue exists and is only brought up to date.
const raceCodes = new Set(["40P01", "23505", "42P07", "42710"]);

export async function ensureQueues(boss: PgBoss, jobs: JobDefinition[]): Promise<void> {
  for (const job of jobs) {
    for (let attempt = 1; ; attempt++) {
      try {
        await ensureQueue(boss, job);
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (!code || !raceCodes.has(code) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
      }
    }
  }
}

async function ensureQueue(boss: PgBoss, job: JobDefinition): Promise<void> {
  const dead = deadLetterQueue(job.name);
  if (!(await boss.getQueue(dead))) await boss.createQueue(dead, { name: dead, retentionDays: 30 });
  const options: PgBoss.Queue = {
    name: job.name,
    retryLimit: job.options.retryLimit,
    retryDelay: job.options.retryDelaySeconds,
    retryBackoff: job.options.retryBackoff,
    expireInSeconds: job.options.expireInSeconds,
    deadLetter: dead,
  };
  let existing = await boss.getQueue(job.name);
  // pg-boss cannot change a queue's policy in place: an empty queue is recreated.
  if (existing && existing.policy !== job.options.policy) {
    if ((await boss.getQueueSize(job.name)) > 0) {
      throw new Error(`Queue ${job.name} has policy ${existing.policy} and waiting jobs; it needs ${job.options.policy}.`);
    }
    await boss.deleteQueue(job.name);
    existing = null;
  }
  // updateQueue without a policy resets it to standard (pg-boss 10), so it is always passed.
  if (existing) await boss.updateQueue(job.name, { ...options, policy: job.options.policy });
  else await boss.createQueue(job.name, { ...options, policy: job.options.policy });
}

const globalForBoss = globalThis as unknown as { tidelineBoss?: Promise<PgBoss>; tidelineBossReady?: PgBoss };

/** The process-wide pg-boss on the process-wide database, with every registered queue. */
export function getBoss(): Promise<PgBoss> {
  if (!globalForBoss.tidelineBoss) {
    const starting = (async () => {
      const { jobs } = await import("./registry");
      const boss = await createBoss(await getDatabase(), { maintenance: false });
      await ensureQueues(boss, jobs);
      globalForBoss.tidelineBossReady = boss;
      return boss;
    })();
    globalForBoss.tidelineBoss = starting;
    starting.catch(() => {
      if (globalForBoss.tidelineBoss === starting) globalForBoss.tidelineBoss = undefined;
    });
  }
  return globalForBoss.tidelineBoss;
}

export function setBoss(boss: PgBoss): void {
  globalForBoss.tidelineBoss = Promise.resolve(boss);
  globalForBoss.tidelineBossReady = boss;
}

// pg-boss speaks `$1`-numbered SQL; drizzle binds its own parameters. Rebuilding the text
// as a drizzle query lets a job be queued through a transaction handle on either driver.
export function toDrizzleSql(text: string, values: unknown[] = []): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)));
    chunks.push(sql`${sql.param(asParameter(values[Number(match[1]) - 1]))}`);
    last = match.index! + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks, sql.raw(""));
}

// Job payloads arrive as objects for `$n::jsonb`; postgres.js binds text, PGlite either.
function asParameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
    return JSON.stringify(value);
  }
  return value;
}

export function txExecutor(tx: Db): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const result = (await tx.execute(toDrizzleSql(text, values))) as unknown;
      return { rows: Array.isArray(result) ? result : (result as { rows: unknown[] }).rows };
    },
  };
}

export interface EnqueueOptions {
  /** Queue inside this transaction: the job exists only if the transaction commits. */
  tx?: Db;
  startAfter?: Date | number;
  singletonKey?: string;
  id?: string;
}

export async function enqueue<S extends z.ZodType>(
  job: JobDefinition<S>,
  data: z.input<S>,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const payload = job.schema.parse(data) as object;
  // Starting pg-boss queries the database through the global handle, which inside a
  // transaction on the embedded database waits for that transaction forever.
  if (options.tx && !globalForBoss.tidelineBossReady) {
    throw new Error("Start the job system before the transaction: `await getBoss()` first, then enqueue with { tx }.");
  }
  const boss = await getBoss();
  return boss.send(job.name, payload, {
    id: options.id,
    startAfter: options.startAfter,
    singletonKey: options.singletonKey,
    ...(options.tx ? { db: txExecutor(options.tx) } : {}),
  });
}

/** Queues many jobs of one kind in one statement (a broadcast page), inside `tx` when given. */
export async function enqueueMany<S extends z.ZodType>(
  job: JobDefinition<S>,
  items: Array<{ data: z.input<S>; startAfter?: Date }>,
  options: { tx?: Db } = {},
): Promise<void> {
  if (items.length === 0) return;
  if (options.tx && !globalForBoss.tidelineBossReady) {
    throw new Error("Start the job system before the transaction: `await getBoss()` first, then enqueue with { tx }.");
  }
  const boss = await getBoss();
  const rows = items.map((item) => ({
    name: job.name,
    data: job.schema.parse(item.data) as object,
    ...(item.startAfter ? { startAfter: item.startAfter.toISOString() } : {}),
  }));
  await boss.insert(rows, options.tx ? { db: txExecutor(options.tx) } : {});
}
