import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { AppError } from "@/lib/errors";

// What the Scoring page, the contact profile and the REST API read: one contact's score and
// its history, the spread of scores, the newest MQLs.

export interface ScoreHistoryRow {
  id: number;
  kind: string;
  delta: number;
  scoreAfter: number;
  reason: string | null;
  ruleId: string | null;
  ruleName: string | null;
  eventId: number | null;
  at: Date;
}

export interface ContactScore {
  contactId: string;
  score: number;
  fit: number;
  engagement: number;
  stage: string | null;
  history: ScoreHistoryRow[];
}

/** A contact's score, its parts and stage, and its history newest first (by when each change happened). */
export async function contactScore(db: Db, workspaceId: string, contactId: string, limit = 50): Promise<ContactScore> {
  const [contact] = await queryRows<{ score: number; score_fit: number; score_engagement: number; lifecycle_stage: string | null }>(
    db,
    sql`select score, score_fit, score_engagement, lifecycle_stage from contacts where workspace_id = ${workspaceId} and id = ${contactId}::uuid`,
  );
  if (!contact) throw new AppError("not_found", `No contact ${contactId} in this workspace.`);
  const rows = await queryRows<{ id: string | number; kind: string; delta: number; score_after: number; reason: string | null; rule_id: string | null; rule_name: string | null; event_id: string | number | null; at: string | Date }>(
    db,
    sql`select s.id, s.kind, s.delta, s.score_after, s.reason, s.rule_id, r.name as rule_name, s.event_id, s.at
        from score_events s
        left join scoring_rules r on r.workspace_id = s.workspace_id and r.id = s.rule_id
        where s.workspace_id = ${workspaceId} and s.contact_id = ${contactId}::uuid
        order by s.at desc, s.id desc limit ${limit}`,
  );
  return {
    contactId,
    score: contact.score,
    fit: contact.score_fit,
    engagement: contact.score_engagement,
    stage: contact.lifecycle_stage,
    history: rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      delta: row.delta,
      scoreAfter: row.score_after,
      reason: row.reason,
      ruleId: row.rule_id,
      ruleName: row.rule_name,
      eventId: row.event_id === null ? null : Number(row.event_id),
      at: new Date(row.at),
    })),
  };
}

/** A step that makes about `buckets` bars of a round width (1, 2, 5 × 10ⁿ). */
export function bucketWidth(min: number, max: number, buckets = 12): number {
  const span = Math.max(max - min, 1);
  const raw = span / buckets;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (raw <= step * power) return Math.max(1, step * power);
  return Math.max(1, 10 * power);
}

export interface ScoreDistribution {
  contacts: number;
  /** Contacts with a score other than 0. */
  scored: number;
  width: number;
  buckets: Array<{ from: number; to: number; contacts: number }>;
}

/** How many contacts have scores in each range (empty ranges between included, so the chart has no gaps). */
export async function scoreDistribution(db: Db, workspaceId: string): Promise<ScoreDistribution> {
  const [range] = await queryRows<{ min: number | null; max: number | null; contacts: number; scored: number }>(
    db,
    sql`select min(score)::int as min, max(score)::int as max, count(*)::int as contacts, count(*) filter (where score <> 0)::int as scored
        from contacts where workspace_id = ${workspaceId}`,
  );
  const contacts = Number(range?.contacts ?? 0);
  if (!range || range.min === null || range.max === null) return { contacts, scored: 0, width: 10, buckets: [] };
  const min = Math.min(Number(range.min), 0);
  const max = Number(range.max);
  const width = bucketWidth(min, max);
  const rows = await queryRows<{ low: number; n: number }>(
    db,
    sql`select (floor(score::float8 / ${width}) * ${width})::int as low, count(*)::int as n
        from contacts where workspace_id = ${workspaceId} group by 1 order by 1`,
  );
  const counts = new Map(rows.map((row) => [Number(row.low), Number(row.n)]));
  const buckets: ScoreDistribution["buckets"] = [];
  for (let low = Math.floor(min / width) * width; low <= max; low += width) buckets.push({ from: low, to: low + width - 1, contacts: counts.get(low) ?? 0 });
  return { contacts, scored: Number(range.scored), width, buckets };
}

export interface MqlRow {
  id: string;
  email: string | null;
  externalId: string | null;
  name: string | null;
  score: number;
  fit: number;
  engagement: number;
  /** When scoring made the contact an MQL (null when it was set otherwise). */
  since: Date | null;
  taskId: string | null;
  taskStatus: string | null;
}

/** Contacts at stage MQL, newest MQLs first. */
export async function mqlContacts(db: Db, workspaceId: string, limit = 50): Promise<MqlRow[]> {
  const rows = await queryRows<{ id: string; email: string | null; external_id: string | null; name: string | null; score: number; score_fit: number; score_engagement: number; since: string | Date | null; task_id: string | null; task_status: string | null }>(
    db,
    sql`select c.id, c.email, c.external_id, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as name,
               c.score, c.score_fit, c.score_engagement, s.at as since, t.id as task_id, t.status as task_status
        from contacts c
        left join lateral (select at from score_events e where e.workspace_id = c.workspace_id and e.contact_id = c.id and e.kind = 'stage' and e.reason = 'mql'
                           order by e.at desc limit 1) s on true
        left join tasks t on t.workspace_id = c.workspace_id and t.idempotency_key = concat('scoring:mql:', c.id::text)
        where c.workspace_id = ${workspaceId} and c.lifecycle_stage = 'mql'
        order by coalesce(s.at, c.updated_at) desc, c.id
        limit ${limit}`,
  );
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    externalId: row.external_id,
    name: row.name,
    score: row.score,
    fit: row.score_fit,
    engagement: row.score_engagement,
    since: row.since ? new Date(row.since) : null,
    taskId: row.task_id,
    taskStatus: row.task_status,
  }));
}
