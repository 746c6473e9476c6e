import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgresJs } from "drizzle-orm/postgres-js/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import postgres from "postgres";
import type { Db } from "./client";

const migrationsFolder = path.join(process.cwd(), "db/migrations");

export async function migrateEmbedded(db: Db): Promise<void> {
  await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
}

// Many web instances and workers may start at once: one session lock lets one of them
// migrate while the others wait, on a dedicated single connection.
export async function migratePostgres(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(hashtext('tideline:migrate'))`;
    await migratePostgresJs(drizzle(client), { migrationsFolder });
    await client`select pg_advisory_unlock(hashtext('tideline:migrate'))`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
