import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { workspaces } from "@/db/schema";
import { createBoss, ensureQueues, txExecutor } from "@/jobs/boss";
import { deadLetterQueue, defineJob } from "@/jobs/define-job";
import { drainJobs, startWorkers } from "@/jobs/run";
import { databaseKinds, openTestDatabase } from "./helpers/database";

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
