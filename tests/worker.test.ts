import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { openDatabase, type Database } from "@/db/client";
import { contacts } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { parseCall, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls, pendingEvents } from "@/lib/tracking/ingest";
import { createOwnedWorkspace } from "./helpers/accounts";
import { createFreshPostgres, postgresUrl } from "./helpers/database";
import { runTsx } from "./helpers/spawn";

function track(userId: string): TrackingCall {
  const parsed = parseCall("track", { userId, event: "Logged In" });
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("npm run worker", () => {
  it("refuses to start on the embedded database, and says where the workers run instead", async () => {
    const result = await runTsx("jobs/worker.ts", [], { DATABASE_URL: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("needs DATABASE_URL");
  });
});

describe.skipIf(!postgresUrl)("npm run worker on Postgres", () => {
  let fresh: Awaited<ReturnType<typeof createFreshPostgres>>;
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    fresh = await createFreshPostgres();
    database = await openDatabase({ url: fresh.url });
    // This process only queues (like a web instance with JOBS_IN_WEB=false); it runs no workers.
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
    await fresh?.drop();
  });

  it("processes what the web tier queued, and stops cleanly on SIGTERM", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await ingestCalls(database.db, workspace.id, [track("worker-user")]);
    expect(await pendingEvents(database.db, workspace.id)).toBe(1);

    // tsx itself (not npx) so SIGTERM reaches the worker as it would under a process manager.
    const worker = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "jobs/worker.ts"], {
      env: { ...process.env, DATABASE_URL: fresh.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout.on("data", (chunk) => (output += chunk));
    worker.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => worker.on("close", resolve));
    try {
      await waitFor(async () => (await pendingEvents(database.db, workspace.id)) === 0).catch((error) => {
        throw new Error(`${error.message}; worker said:\n${output}`);
      });
      const rows = await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id));
      expect(rows.map((row) => row.externalId)).toEqual(["worker-user"]);
      expect(output).toContain("event.process");
    } finally {
      worker.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
