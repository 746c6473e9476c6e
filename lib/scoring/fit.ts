import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { scoringRules } from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { segmentRecompute } from "@/jobs/segment-recompute";
import { matchingContactsQuery } from "@/lib/segments/compile";
import { loadRuleContext, refreshContacts } from "@/lib/segments/membership";
import { validateRule } from "@/lib/segments/validate";
import { scoringSettingsOf } from "./settings";
import { applyThresholds, type ScoreChange } from "./stages";

// Fit: the sum of the points of the active fit rules a contact matches, computed by the
// segments' compiled SQL: set-based for every contact (a recalculation, the hourly upkeep) or
// per contact for a few (the contacts an event batch touched). Only contacts whose fit changes
// are written, each change a `fit` row in the history naming the rules that now match.

const idJson = (ids: string[]) => JSON.stringify(ids);

/**
 * `select id, points, name` of every (contact, fit rule) pair that matches, as one union;
 * undefined when the workspace has no valid active fit rule.
 */
export async function fitMatches(db: Db, workspaceId: string, now: Date, contactIds?: string[]): Promise<SQL | undefined> {
  const rules = await db
    .select({ id: scoringRules.id, name: scoringRules.name, rule: scoringRules.rule, points: scoringRules.points })
    .from(scoringRules)
    .where(and(eq(scoringRules.workspaceId, workspaceId), eq(scoringRules.kind, "attribute"), eq(scoringRules.active, true)));
  if (rules.length === 0) return undefined;
  const context = await loadRuleContext(db, workspaceId);
  const parts: SQL[] = [];
  for (const rule of rules) {
    // A rule made invalid since (an attribute removed from the catalogue) scores nothing.
    const checked = validateRule(rule.rule, context);
    if (!checked.ok || checked.dependencies.fields.includes("score")) continue;
    const query = matchingContactsQuery(checked.condition, { workspaceId, now, mode: contactIds ? "contacts" : "set", contactIds });
    parts.push(sql`select q.id, ${rule.points}::int as points, ${rule.name}::text as name from (${query}) q`);
  }
  if (parts.length === 0) return undefined;
  return sql.join(parts, sql` union all `);
}

export interface FitResult {
  changes: ScoreChange[];
}

/**
 * Recomputes fit for some contacts (or all), in its own transaction, applies the thresholds,
 * and brings segments that read the score or stage up to date.
 */
export async function refreshFit(db: Db, workspaceId: string, contactIds?: string[], now = new Date()): Promise<FitResult> {
  if (contactIds && contactIds.length === 0) return { changes: [] };
  const only = contactIds ? sql`and c.id in (select jsonb_array_elements_text(${idJson(contactIds)}::jsonb)::uuid)` : sql``;
  // The common case in event.process, kept to one cheap query: no fit rules, and none of these
  // contacts carries fit from rules since removed.
  const [work] = await queryRows<{ rules: boolean; stale: boolean }>(
    db,
    sql`select exists (select 1 from scoring_rules r where r.workspace_id = ${workspaceId} and r.kind = 'attribute' and r.active) as rules,
               exists (select 1 from contacts c where c.workspace_id = ${workspaceId} ${only} and c.score_fit <> 0) as stale`,
  );
  if (!work.rules && !work.stale) return { changes: [] };
  await getBoss();
  const result = await db.transaction(async (tx) => {
    const matches = await fitMatches(tx, workspaceId, now, contactIds);
    const matched = matches ?? sql`select null::uuid as id, 0 as points, null::text as name where false`;
    const at = now.toISOString();
    const rows = await queryRows<{ id: string; before: number; after: number; lifecycle_stage: string | null }>(
      tx,
      sql`with matched as (select m.id, sum(m.points)::int as fit, string_agg(m.name, ', ' order by m.name) as names from (${matched}) m group by m.id),
        target as (
          select c.id, c.score_fit as old_fit, coalesce(m.fit, 0) as new_fit, m.names
          from contacts c left join matched m on m.id = c.id
          where c.workspace_id = ${workspaceId} ${only} and c.score_fit <> coalesce(m.fit, 0)
          order by c.id
          for update of c),
        updated as (
          update contacts c set score_fit = t.new_fit, score = t.new_fit + c.score_engagement
          from target t where c.workspace_id = ${workspaceId} and c.id = t.id
          returning c.id, c.score, t.new_fit - t.old_fit as delta, t.names, c.lifecycle_stage),
        logged as (
          insert into score_events (workspace_id, contact_id, kind, delta, score_after, reason, idempotency_key, at)
          select ${workspaceId}, u.id, 'fit', u.delta, u.score, u.names, concat('fit:', u.id::text, ':', ${at}::text, ':', gen_random_uuid()::text), ${at}::timestamptz
          from updated u)
        select id, score - delta as before, score as after, lifecycle_stage from updated`,
    );
    const changes = rows.map((row) => ({ contactId: row.id, before: Number(row.before), after: Number(row.after), stage: row.lifecycle_stage }));
    const settings = await scoringSettingsOf(tx, workspaceId);
    const moved = await applyThresholds(tx, workspaceId, settings, changes, now);
    return { changes, stages: moved.moved.length > 0 };
  });
  if (result.changes.length > 0) await scoresChanged(db, workspaceId, result.changes.map((change) => change.contactId), result.stages, now);
  return { changes: result.changes };
}

const realTimeLimit = 1000;

/**
 * Segments reading the score (or stage) follow a change: a few contacts are re-checked at once,
 * many (a recalculation, decay) by queueing those segments' full recomputes.
 */
export async function scoresChanged(db: Db, workspaceId: string, contactIds: string[], stages: boolean, now: Date): Promise<void> {
  if (contactIds.length === 0) return;
  const fields = new Set(["score", ...(stages ? ["lifecycle_stage"] : [])]);
  if (contactIds.length <= realTimeLimit) {
    await refreshContacts(db, workspaceId, contactIds, { events: new Set(), attributes: new Set(), fields, tags: false, created: new Set() }, now);
    return;
  }
  const reading = await queryRows<{ id: string }>(
    db,
    sql`select id from segments where workspace_id = ${workspaceId} and kind = 'dynamic'
        and (dependencies is null or dependencies->'fields' ?| ${sql.raw(`array[${[...fields].map((field) => `'${field}'`).join(", ")}]`)})`,
  );
  for (const segment of reading) await enqueue(segmentRecompute, { workspaceId, segmentId: segment.id }, { singletonKey: segment.id });
}
