import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeCursor, encodeCursor } from "@/db/queries/contacts";
import { queryRows } from "@/db/sql";
import type { RunStatus } from "@/db/schema";
import { isUuid } from "@/lib/uuid";

// What the canvas overlays and the "who is where" inspector read. A node's entered count is
// the runs that left it (steps) plus the runs there now; conversion is the share of the runs
// that passed through the node and later reached the journey's goal.

export interface NodeStats {
  nodeId: string;
  entered: number;
  /** Runs at the node now: waiting at a delay or wait, or due to move. */
  waiting: number;
  completed: number;
  failed: number;
  /** Of the runs that reached this node, how many converted (reached the goal). */
  converted: number;
}

export async function nodeStats(db: Db, workspaceId: string, journeyId: string): Promise<NodeStats[]> {
  const rows = await queryRows<{ node_id: string; completed: number; failed: number; here: number; converted: number }>(
    db,
    sql`with left_nodes as (
          select s.node_id,
                 count(*) filter (where s.outcome = 'completed')::int as completed,
                 count(*) filter (where s.outcome = 'failed')::int as failed
          from journey_steps s where s.workspace_id = ${workspaceId} and s.journey_id = ${journeyId}
          group by s.node_id),
        here as (
          select r.node_id, count(*)::int as here from journey_runs r
          where r.workspace_id = ${workspaceId} and r.journey_id = ${journeyId} and r.status in ('active', 'waiting')
          group by r.node_id),
        converted as (
          select s.node_id, count(distinct s.run_id)::int as converted
          from journey_steps s join journey_runs r on r.workspace_id = s.workspace_id and r.id = s.run_id
          where s.workspace_id = ${workspaceId} and s.journey_id = ${journeyId} and r.status = 'converted'
          group by s.node_id)
        select n.node_id, coalesce(l.completed, 0) as completed, coalesce(l.failed, 0) as failed,
               coalesce(h.here, 0) as here, coalesce(c.converted, 0) as converted
        from (select node_id from left_nodes union select node_id from here) n
        left join left_nodes l on l.node_id = n.node_id
        left join here h on h.node_id = n.node_id
        left join converted c on c.node_id = n.node_id`,
  );
  return rows.map((row) => ({
    nodeId: row.node_id,
    entered: Number(row.completed) + Number(row.failed) + Number(row.here),
    waiting: Number(row.here),
    completed: Number(row.completed),
    failed: Number(row.failed),
    converted: Number(row.converted),
  }));
}

export interface JourneyTotals {
  entered: number;
  inJourney: number;
  completed: number;
  converted: number;
  exited: number;
  failed: number;
}

export async function journeyTotals(db: Db, workspaceId: string, journeyId: string): Promise<JourneyTotals> {
  const [row] = await queryRows<Record<keyof JourneyTotals, number>>(
    db,
    sql`select count(*)::int as "entered",
               count(*) filter (where status in ('active', 'waiting'))::int as "inJourney",
               count(*) filter (where status = 'completed')::int as "completed",
               count(*) filter (where status = 'converted')::int as "converted",
               count(*) filter (where status = 'exited')::int as "exited",
               count(*) filter (where status = 'failed')::int as "failed"
        from journey_runs where workspace_id = ${workspaceId} and journey_id = ${journeyId}`,
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as unknown as JourneyTotals;
}

export interface RunRow {
  id: string;
  contactId: string;
  email: string | null;
  name: string | null;
  version: number;
  nodeId: string;
  nodeEnteredAt: Date;
  status: RunStatus;
  waitUntil: Date | null;
  enteredAt: Date;
  endedAt: Date | null;
  endReason: string | null;
}

/** Runs of a journey, newest entry first, optionally only those at a node now (the inspector), keyset paged. */
export async function listRuns(
  db: Db,
  workspaceId: string,
  journeyId: string,
  options: { nodeId?: string; status?: RunStatus; limit?: number; cursor?: string | null } = {},
): Promise<{ runs: RunRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const decoded = decodeCursor(options.cursor);
  const after = decoded && decoded.length === 2 && isUuid(String(decoded[1])) ? decoded : undefined;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select r.id, r.contact_id, c.email, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as name, r.version, r.node_id,
               r.node_entered_at, r.status, r.wait_until, r.entered_at, r.ended_at, r.end_reason
        from journey_runs r left join contacts c on c.workspace_id = r.workspace_id and c.id = r.contact_id
        where r.workspace_id = ${workspaceId} and r.journey_id = ${journeyId}
          ${options.nodeId ? sql`and r.node_id = ${options.nodeId} and r.status in ('active', 'waiting')` : sql``}
          ${options.status ? sql`and r.status = ${options.status}` : sql``}
          ${after ? sql`and (r.entered_at, r.id) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : sql``}
        order by r.entered_at desc, r.id desc
        limit ${limit + 1}`,
  );
  const runs = rows.slice(0, limit).map(toRunRow);
  const last = runs.at(-1);
  return { runs, nextCursor: rows.length > limit && last ? encodeCursor([last.enteredAt.toISOString(), last.id]) : null };
}

function toRunRow(row: Record<string, unknown>): RunRow {
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  return {
    id: String(row.id),
    contactId: String(row.contact_id),
    email: (row.email as string | null) ?? null,
    name: (row.name as string | null) ?? null,
    version: Number(row.version),
    nodeId: String(row.node_id),
    nodeEnteredAt: date(row.node_entered_at)!,
    status: row.status as RunStatus,
    waitUntil: date(row.wait_until),
    enteredAt: date(row.entered_at)!,
    endedAt: date(row.ended_at),
    endReason: (row.end_reason as string | null) ?? null,
  };
}

/** A contact's journeys (for the profile), each with the path it took. */
export async function contactJourneys(db: Db, workspaceId: string, contactId: string) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select r.id, r.journey_id, j.name as journey_name, r.version, r.node_id, r.status, r.entered_at, r.ended_at, r.end_reason,
               coalesce((select json_agg(json_build_object('nodeId', s.node_id, 'outcome', s.outcome, 'handle', s.handle, 'leftAt', s.left_at) order by s.id)
                         from journey_steps s where s.workspace_id = r.workspace_id and s.run_id = r.id), '[]'::json) as path
        from journey_runs r join journeys j on j.workspace_id = r.workspace_id and j.id = r.journey_id
        where r.workspace_id = ${workspaceId} and r.contact_id = ${contactId}
        order by r.entered_at desc limit 50`,
  );
  return rows.map((row) => ({
    runId: String(row.id),
    journeyId: String(row.journey_id),
    journeyName: String(row.journey_name),
    version: Number(row.version),
    nodeId: String(row.node_id),
    status: row.status as RunStatus,
    enteredAt: new Date(row.entered_at as string),
    endedAt: row.ended_at ? new Date(row.ended_at as string) : null,
    endReason: (row.end_reason as string | null) ?? null,
    path: (typeof row.path === "string" ? JSON.parse(row.path) : row.path) as Array<{ nodeId: string; outcome: string; handle: string | null; leftAt: string }>,
  }));
}
