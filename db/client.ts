import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { lockDataDir } from "./lock";
import { boundedStatements, preparingClient } from "./prepared";
import { migrateEmbedded, migratePostgres } from "./migrate";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** What pg-boss needs to reach the same database. */
export type QueueConnection =
  | { connectionString: string }
  | { db: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } };

export interface Database {
  kind: "postgres" | "embedded";
  db: Db;
  queue: QueueConnection;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A Postgres URL; without it the embedded database is used. */
  url?: string;
  /** Embedded data directory (default `.data/`). */
  dataDir?: string;
  migrate?: boolean;
}

export function defaultDataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.DATA_DIR || ".data");
}

// One policy per process: every pool of this process prepares the same bounded set of statements.
const statements = boundedStatements();

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    throw new Error("The database is never opened during `next build`; this page must be dynamic.");
  }
  const migrate = options.migrate ?? true;
  if (options.url) {
    const client = postgres(options.url, {
      max: Number(process.env.DATABASE_POOL_MAX || 10),
      onnotice: () => {},
    });
    if (migrate) await migratePostgres(options.url);
    return {
      kind: "postgres",
      db: drizzlePostgres(preparingClient(client, statements), { schema }) as unknown as Db,
      queue: { connectionString: options.url },
      close: () => client.end({ timeout: 5 }),
    };
  }

  const dataDir = options.dataDir ?? defaultDataDir();
  const release = lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(path.join(dataDir, "pglite"));
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  if (migrate) await migrateEmbedded(db);
  return {
    kind: "embedded",
    db,
    queue: {
      db: {
        // pg-boss sends parameterised queries and multi-statement scripts (its migrations).
        async executeSql(text, values) {
          if (values && values.length > 0) return pglite.query(text, values);
          const results = await pglite.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        },
      },
    },
    async close() {
      await pglite.close();
      release();
    },
  };
}

const globalForDb = globalThis as unknown as { tidelineDatabase?: Promise<Database> };

/** The process-wide database, chosen by DATABASE_URL, opened and migrated once. */
export function getDatabase(): Promise<Database> {
  if (!globalForDb.tidelineDatabase) {
    const opening = openDatabase({ url: process.env.DATABASE_URL || undefined });
    globalForDb.tidelineDatabase = opening;
    opening.catch(() => {
      if (globalForDb.tidelineDatabase === opening) globalForDb.tidelineDatabase = undefined;
    });
  }
  return globalForDb.tidelineDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}
