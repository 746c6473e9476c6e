import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { openDatabase, type Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { workspaces } from "@/db/schema";
import { createBoss, ensureQueues, txExecutor } from "@/jobs/boss";
import { deadLetterQueue, defineJob } from "@/jobs/define-job";
import { jobs } from "@/jobs/registry";
import { drainJobs, startWorkers } from "@/jobs/run";
import { createFreshPostgres, databaseKinds, openTestDatabase, postgresUrl } from "./helpers/database";

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(databaseKinds)("jobs on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;
  const suffix = randomUUID().slice(0, 8);
  const seen: string[] = [];
  let flakyAttempts = 0;

  const record = defineJob({
    name: `test.record.${suffix}`,
    schema: z.object({ note: z.string() }),
    options: { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: false },
    async handle(data) {
      seen.push(data.note);
    },
  });
  const flaky = defineJob({
    name: `test.flaky.${suffix}`,
    schema: z.object({ note: z.string() }),
    options: { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: false },
    async handle(data) {
      flakyAttempts++;
      if (flakyAttempts < 3) throw new Error("transient");
      seen.push(data.note);
    },
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    boss = await createBoss(database);
    await ensureQueues(boss, [record, flaky]);
    await startWorkers(boss, database, [record, flaky]);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  it("runs a job queued inside a committed transaction, and never one from a rolled-back transaction", async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(workspaces).values({ name: "Jobs", slug: `jobs-${suffix}` });
      await boss.send(record.name, { note: "committed" }, { db: txExecutor(tx) });
    });
    await expect(
      database.db.transaction(async (tx) => {
        await boss.send(record.name, { note: "rolled back" }, { db: txExecutor(tx) });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");

    await waitFor(async () => (seen.includes("committed") ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(seen).not.toContain("rolled back");
  });

  it("retries a failing job until it succeeds", async () => {
    await boss.send(flaky.name, { note: "eventually" });
    await waitFor(async () => (seen.includes("eventually") ? true : undefined));
    expect(flakyAttempts).toBe(3);
  });

  it("fails an invalid payload once, without retry, into the dead-letter queue", async () => {
    const id = await boss.send(record.name, { note: 42 });
    const job = await waitFor(async () => {
      const found = await boss.getJobById(record.name, id!, { includeArchive: true });
      return found?.state === "failed" ? found : undefined;
    });
    expect(job.retryCount).toBe(0);
    const dead = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pgboss.job where name = ${deadLetterQueue(record.name)} and data->>'note' = '42'`,
    );
    expect(dead[0].n).toBe(1);
  });

  it("drains due jobs without a running worker (serverless cron)", async () => {
    const idle = defineJob({
      name: `test.drain.${suffix}`,
      schema: z.object({ n: z.number() }),
      async handle(data) {
        seen.push(`drained-${data.n}`);
      },
    });
    await ensureQueues(boss, [idle]);
    for (let n = 0; n < 7; n++) await boss.send(idle.name, { n });
    const report = await drainJobs(boss, database, [idle], 10_000);
    expect(report[idle.name]).toEqual({ completed: 7, failed: 0 });
    expect(seen.filter((note) => note.startsWith("drained-"))).toHaveLength(7);
  });
});

// A web server and a worker started together on a fresh database both create every queue.
describe.skipIf(!postgresUrl)("queues created by several processes at once (Postgres)", () => {
  it("leaves every queue once, with its policy, however the creations interleave", { timeout: 120_000 }, async () => {
    const fresh = await createFreshPostgres();
    const databases = await Promise.all(Array.from({ length: 3 }, () => openDatabase({ url: fresh.url })));
    const bosses: PgBoss[] = [];
    try {
      for (const each of databases) bosses.push(await createBoss(each, { maintenance: false }));
      await Promise.all(bosses.map((each) => ensureQueues(each, jobs)));
      const queues = await queryRows<{ name: string; policy: string }>(databases[0].db, sql`select name, policy from pgboss.queue`);
      const policies = Object.fromEntries(queues.map((queue) => [queue.name, queue.policy]));
      expect(queues).toHaveLength(jobs.length * 2);
      for (const job of jobs) expect(policies[job.name]).toBe(job.options.policy);
    } finally {
      for (const each of bosses) await each.stop({ graceful: false, wait: true, timeout: 2000 });
      for (const each of databases) await each.close();
      await fresh.drop();
    }
  });
});
