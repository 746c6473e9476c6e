import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { queryRows } from "../sql";

/** Event names the workspace has seen (for the builder's "performed" suggestions), most used first. */
export async function eventNames(db: Db, workspaceId: string, limit = 200): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from events where workspace_id = ${workspaceId}::uuid and type = 'track' and name is not null
        and name not like 'segment.%' group by name order by count(*) desc, name limit ${limit}`,
  );
  return rows.map((row) => row.name);
}

/** Names of the segments whose rules read this one (they block deleting it). */
export async function segmentsReading(db: Db, workspaceId: string, segmentId: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from segments where workspace_id = ${workspaceId}::uuid and dependencies -> 'segments' ? ${segmentId}::text order by name`,
  );
  return rows.map((row) => row.name);
}
