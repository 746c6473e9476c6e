import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { scoringRules, workspaces } from "@/db/schema";
import type { MonitorEvent } from "@/lib/monitors/evaluate";
import type { ContactChanges } from "@/lib/segments/membership";
import { loadRuleContext } from "@/lib/segments/membership";
import { engagementKey, rowsJson, walkActivities, type Activity, type EngineContext, type LedgerState, type ScoreRow } from "./engine";
import { scoringSettingsOf } from "./settings";
import { applyThresholds, type ScoreChange } from "./stages";

// Engagement scoring in event.process, in the transaction that marks the events processed
// (right after monitors): the batch's events go through the active engagement rules, each
// award under the key rule:<id>:event:<event id> so an event scores once whatever is retried.
// The touched contacts are locked (in id order) for the change, their score_engagement and
// score updated, every change written to score_events, and the thresholds applied.

interface LockedContact {
  id: string;
  score_fit: number;
  score_engagement: number;
  score: number;
  lifecycle_stage: string | null;
}

const idList = (ids: Array<string | number>) => JSON.stringify(ids.map(String));

/** Inserts score rows (skipping keys already used); returns the rows written. */
export async function insertScoreRows(db: Db, workspaceId: string, rows: ScoreRow[]): Promise<Array<{ contact_id: string; delta: number }>> {
  if (rows.length === 0) return [];
  return queryRows<{ contact_id: string; delta: number }>(
    db,
    sql`insert into score_events (workspace_id, contact_id, rule_id, kind, delta, score_after, reason, idempotency_key, event_id, at)
        select x.workspace_id, x.contact_id, x.rule_id, x.kind, x.delta, x.score_after, x.reason, x.idempotency_key, x.event_id, x.at
        from jsonb_to_recordset(${rowsJson(workspaceId, rows)}::jsonb)
          as x(workspace_id uuid, contact_id uuid, rule_id uuid, kind text, delta int, score_after int, reason text, idempotency_key text, event_id bigint, at timestamptz)
        on conflict (workspace_id, idempotency_key) do nothing
        returning contact_id, delta`,
  );
}

/** Adds to contacts' engagement (and score) in one statement. */
export async function addEngagement(db: Db, workspaceId: string, added: Map<string, number>): Promise<void> {
  const payload = JSON.stringify([...added].filter(([, delta]) => delta !== 0).map(([id, delta]) => ({ id, delta })));
  if (payload === "[]") return;
  await db.execute(sql`
    update contacts c set score_engagement = c.score_engagement + x.delta, score = c.score + x.delta
    from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, delta int)
    where c.workspace_id = ${workspaceId} and c.id = x.id`);
}

export async function applyScoring(db: Db, workspaceId: string, events: MonitorEvent[], now: Date, changes?: ContactChanges): Promise<ScoreChange[]> {
  const names = [...new Set(events.map((event) => event.name))];
  if (names.length === 0) return [];
  const rules = await db
    .select({ id: scoringRules.id, name: scoringRules.name, event: scoringRules.event, where: scoringRules.where, points: scoringRules.points, cap: scoringRules.cap })
    .from(scoringRules)
    .where(and(eq(scoringRules.workspaceId, workspaceId), eq(scoringRules.kind, "behaviour"), eq(scoringRules.active, true), inArray(scoringRules.event, names)));
  if (rules.length === 0) return [];
  const watched = events.filter((event) => rules.some((rule) => rule.event === event.name));
  const contactIds = [...new Set(watched.map((event) => event.contactId))].sort();
  const [settings, [workspace], context] = await Promise.all([
    scoringSettingsOf(db, workspaceId),
    db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId)),
    loadRuleContext(db, workspaceId),
  ]);
  const engine: EngineContext = { rules, decay: settings.decay, timeZone: workspace?.timezone ?? "UTC", now, attributes: context.attributes };

  // Locked in id order (as every scoring writer does), then what was scored already is read under the lock.
  const locked = await queryRows<LockedContact>(
    db,
    sql`select id, score_fit, score_engagement, score, lifecycle_stage from contacts
        where workspace_id = ${workspaceId} and id in (select jsonb_array_elements_text(${idList(contactIds)}::jsonb)::uuid)
        order by id for update`,
  );
  const keys = watched.flatMap((event) => rules.filter((rule) => rule.event === event.name).map((rule) => engagementKey(rule.id, event.id)));
  const done = await queryRows<{ key: string }>(
    db,
    sql`select idempotency_key as key from score_events
        where workspace_id = ${workspaceId} and idempotency_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`,
  );
  const skip = new Set(done.map((row) => row.key));
  const silences = settings.decay.kind === "halve" ? await priorActivity(db, workspaceId, contactIds, events.map((event) => event.id)) : new Map<string, { at: Date; halved: number }>();

  const rows: ScoreRow[] = [];
  const results: Array<{ contact: LockedContact; engagement: number }> = [];
  for (const contact of locked) {
    // Every named event of the batch is activity (for "halve"); the watched ones may also score.
    const activities: Activity[] = events
      .filter((event) => event.contactId === contact.id)
      .map((event) => ({ id: event.id, name: event.name, properties: event.properties, timestamp: event.timestamp, activity: !event.name.startsWith("monitor.") }))
      .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.id - b.id);
    const silence = silences.get(contact.id);
    const state: LedgerState = {
      contactId: contact.id,
      fit: contact.score_fit,
      engagement: contact.score_engagement,
      lastActivity: silence?.at ?? null,
      decaysDone: silence?.halved ?? 0,
    };
    const capCount = async (ruleId: string, start: Date, end: Date) => {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from score_events where workspace_id = ${workspaceId} and rule_id = ${ruleId}::uuid and contact_id = ${contact.id}::uuid
            and kind = 'engagement' and at >= ${start.toISOString()}::timestamptz and at < ${end.toISOString()}::timestamptz`,
      );
      return Number(row.n);
    };
    const written = await walkActivities(state, activities, engine, capCount, skip);
    if (written.length === 0) continue;
    rows.push(...written);
    results.push({ contact, engagement: state.engagement });
  }
  const inserted = await insertScoreRows(db, workspaceId, rows);
  const added = new Map<string, number>();
  for (const row of inserted) added.set(row.contact_id, (added.get(row.contact_id) ?? 0) + Number(row.delta));
  await addEngagement(db, workspaceId, added);

  const scoreChanges: ScoreChange[] = results
    .filter(({ contact }) => (added.get(contact.id) ?? 0) !== 0)
    .map(({ contact }) => ({ contactId: contact.id, before: contact.score, after: contact.score + (added.get(contact.id) ?? 0), stage: contact.lifecycle_stage }));
  const moved = await applyThresholds(db, workspaceId, settings, scoreChanges, now);
  if (changes && scoreChanges.length > 0) changes.fields.add("score");
  if (changes && moved.moved.length > 0) changes.fields.add("lifecycle_stage");
  return scoreChanges;
}

/** For "halve": each contact's last activity before this batch and the halvings already written for the silence after it. */
async function priorActivity(db: Db, workspaceId: string, contactIds: string[], batchIds: number[]): Promise<Map<string, { at: Date; halved: number }>> {
  const rows = await queryRows<{ id: string; at: string | Date | null; halved: number }>(
    db,
    sql`select x.id, p.at, (select count(*)::int from score_events s where s.workspace_id = ${workspaceId} and s.contact_id = x.id and s.kind = 'decay' and s.at > p.at) as halved
        from (select jsonb_array_elements_text(${idList(contactIds)}::jsonb)::uuid as id) x
        cross join lateral (
          select max(latest.timestamp) as at from (
            select e.timestamp from events e
            where e.workspace_id = ${workspaceId} and e.contact_id = x.id and e.processed_at is not null
              and e.message_id not like 'segment:%' and e.message_id not like 'monitor:%'
              and e.id not in (select jsonb_array_elements_text(${idList(batchIds)}::jsonb)::bigint)
            order by e.timestamp desc limit 1) latest) p`,
  );
  return new Map(rows.filter((row) => row.at !== null).map((row) => [row.id, { at: new Date(row.at!), halved: Number(row.halved) }]));
}
