import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type Database } from "@/db/client";

export const postgresUrl = process.env.TEST_DATABASE_URL || undefined;

/** The databases every integration test runs on: the embedded one, and Postgres when configured. */
export const databaseKinds: Array<"embedded" | "postgres"> = postgresUrl ? ["embedded", "postgres"] : ["embedded"];

export function tempDir(prefix = "tideline-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A new embedded data directory, already migrated: a copy of the one the test run's global
 * setup migrated (tests/global-setup.ts), or an empty directory when there is none.
 */
export function migratedDataDir(prefix = "tideline-test-"): string {
  const dir = tempDir(prefix);
  const template = inject("embeddedTemplate");
  if (template) fs.cpSync(template, dir, { recursive: true, filter: (source) => path.basename(source) !== "tideline.lock" });
  return dir;
}

/** Opens a migrated database of the given kind; Postgres tests share one database, so each test makes its own workspace. */
export async function openTestDatabase(kind: "embedded" | "postgres"): Promise<Database> {
  if (kind === "postgres") return openDatabase({ url: postgresUrl });
  return openDatabase({ dataDir: migratedDataDir() });
}

/** A brand-new empty Postgres database (for first-run flows); drop it with the returned function. */
export async function createFreshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!postgresUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `tideline_t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
      await again.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/**
 * A database of the given kind that no other test file writes to: on Postgres a fresh one,
 * dropped by `close`. For property tests, whose hundreds of small queries should not share
 * tables, statistics or locks with the rest of a parallel run.
 */
export async function openIsolatedDatabase(kind: "embedded" | "postgres"): Promise<Database> {
  if (kind === "embedded") return openTestDatabase(kind);
  const fresh = await createFreshPostgres();
  const database = await openDatabase({ url: fresh.url });
  return {
    ...database,
    async close() {
      await database.close();
      await fresh.drop();
    },
  };
}
