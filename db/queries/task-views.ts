import { sql } from "drizzle-orm";
import type { TaskStatus } from "@/db/schema";
import type { Db } from "../client";
import { queryRows } from "../sql";

/** Tasks by status, all of them or one member's (the tabs' counts). */
export async function taskCounts(db: Db, workspaceId: string, assigneeId?: string): Promise<Record<TaskStatus, number>> {
  const rows = await queryRows<{ status: TaskStatus; n: number }>(
    db,
    sql`select status, count(*)::int as n from tasks where workspace_id = ${workspaceId}::uuid
        ${assigneeId ? sql`and assignee_id = ${assigneeId}::uuid` : sql``} group by status`,
  );
  const counts: Record<TaskStatus, number> = { open: 0, done: 0, cancelled: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** Names of the journeys that made tasks (their source). */
export async function journeyNamesOf(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id, name from journeys where workspace_id = ${workspaceId}::uuid and id in (select jsonb_array_elements_text(${JSON.stringify(wanted)}::jsonb)::uuid)`,
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}
