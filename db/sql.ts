import type { SQL } from "drizzle-orm";
import type { Db } from "./client";

// postgres.js returns rows as an array, PGlite as `{ rows }`: one shape for callers.
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
