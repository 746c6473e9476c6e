import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type Db } from "@/db/client";
import { migratePostgres } from "@/db/migrate";
import { queryRows } from "@/db/sql";
import { createFreshPostgres, databaseKinds, postgresUrl, tempDir } from "./helpers/database";
import { runTsx } from "./helpers/spawn";

const journal = JSON.parse(fs.readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
const foundationTables = ["api_keys", "instance_secrets", "invites", "members", "users", "workspaces"];

async function publicTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((row) => row.table_name);
}

async function appliedMigrations(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(row.n);
}

/** A pid no process has: the kernel never hands out one above pid_max. */
function deadPid(): number {
  for (let pid = 999_999; ; pid++) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return pid;
    }
  }
}

const embeddedOnly = { DATABASE_URL: undefined };

describe("embedded data directory lock", () => {
  it("refuses `npm run db:migrate` from a second process while this one holds the directory, then lets it run", async () => {
    const dataDir = tempDir();
    const database = await openDatabase({ dataDir });
    let closed = false;
    try {
      const refused = await runTsx("scripts/migrate.ts", [], { ...embeddedOnly, DATA_DIR: dataDir });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`The embedded database in ${dataDir} is already open in process ${process.pid}`);
      expect(refused.stderr).toContain("DATABASE_URL");
      expect(refused.stdout).not.toContain("Migrations applied");

      // The refused process left the holder's data and lock alone.
      expect(fs.readFileSync(path.join(dataDir, "tideline.lock"), "utf8")).toBe(String(process.pid));
      expect(await publicTables(database.db)).toEqual(expect.arrayContaining(foundationTables));

      await database.close();
      closed = true;
      expect(fs.existsSync(path.join(dataDir, "tideline.lock"))).toBe(false);

      const accepted = await runTsx("scripts/migrate.ts", [], { ...embeddedOnly, DATA_DIR: dataDir });
      expect(accepted.stderr).not.toContain("already open");
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toContain("Migrations applied (embedded)");
      expect(fs.existsSync(path.join(dataDir, "tideline.lock"))).toBe(false);
    } finally {
      if (!closed) await database.close();
    }
  });

  it("takes over a lock file left by a process that no longer exists", async () => {
    const dataDir = tempDir();
    const lockFile = path.join(dataDir, "tideline.lock");
    fs.writeFileSync(lockFile, String(deadPid()));

    const database = await openDatabase({ dataDir });
    try {
      expect(fs.readFileSync(lockFile, "utf8")).toBe(String(process.pid));
      expect(await publicTables(database.db)).toEqual(expect.arrayContaining(foundationTables));
    } finally {
      await database.close();
    }
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it("takes over an empty lock file (a crash between creating and writing it)", async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "tideline.lock"), "");
    const database = await openDatabase({ dataDir });
    await database.close();
  });
});

describe.each(databaseKinds)("migrations on %s", (kind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** Opens an empty database of this kind, the same one every time it is called in a test. */
  async function emptyTarget(): Promise<() => Promise<Database>> {
    if (kind === "embedded") {
      const dataDir = tempDir();
      return () => openDatabase({ dataDir });
    }
    const fresh = await createFreshPostgres();
    cleanups.push(fresh.drop);
    return () => openDatabase({ url: fresh.url });
  }

  it("are idempotent: a second open applies nothing new and keeps the data", async () => {
    const open = await emptyTarget();

    const first = await open();
    try {
      expect(await publicTables(first.db)).toEqual(expect.arrayContaining(foundationTables));
      expect(await appliedMigrations(first.db)).toBe(journal.entries.length);
      await first.db.execute(sql`insert into workspaces (name, slug) values ('Kept', 'kept')`);
    } finally {
      await first.close();
    }

    const second = await open();
    try {
      expect(await appliedMigrations(second.db)).toBe(journal.entries.length);
      const rows = await queryRows<{ name: string }>(second.db, sql`select name from workspaces where slug = 'kept'`);
      expect(rows).toEqual([{ name: "Kept" }]);
    } finally {
      await second.close();
    }
  });
});

describe.runIf(postgresUrl)("migrations on a Postgres server shared by many processes", () => {
  it("run from several callers at once without failing, and apply each migration once", async () => {
    const fresh = await createFreshPostgres();
    try {
      await Promise.all([migratePostgres(fresh.url), migratePostgres(fresh.url), migratePostgres(fresh.url)]);
      const database = await openDatabase({ url: fresh.url, migrate: false });
      try {
        expect(await publicTables(database.db)).toEqual(expect.arrayContaining(foundationTables));
        expect(await appliedMigrations(database.db)).toBe(journal.entries.length);
      } finally {
        await database.close();
      }
    } finally {
      await fresh.drop();
    }
  });
});
