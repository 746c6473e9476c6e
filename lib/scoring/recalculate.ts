import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { scoringRules, workspaces, type JsonObject } from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { scoreRecalculate } from "@/jobs/score-recalculate";
import { AppError } from "@/lib/errors";
import { loadRuleContext } from "@/lib/segments/membership";
import { halve, walkActivities, type Activity, type EngineContext, type LedgerState, type ScoreRow } from "./engine";
import { insertScoreRows } from "./engagement";
import { fitMatches, scoresChanged } from "./fit";
import { saveRecalculation, scoringSettingsOf, type Recalculation } from "./settings";
import { applyThresholds, type ScoreChange } from "./stages";

// A recalculation after a rule change: every contact, page by page (keyset on id, each page a
// transaction), gets the score processing its history under today's rules would give:
// fit from the compiled fit rules; engagement by walking its events through the engagement
// rules (caps, and decay as it would have happened) from nothing. The page's old engagement,
// expiry and decay rows are replaced by the walk's; a `recalculation` row records the net
// change, and today's thresholds apply to every contact's new score.

const pageSize = 500;

async function recalculationQueued(db: Db, workspaceId: string): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pgboss.job where name = ${scoreRecalculate.name} and data->>'workspaceId' = ${workspaceId}
        and state in ('created', 'retry', 'active')`,
  );
  return Number(row.n) > 0;
}

/** The last recalculation's progress, and whether it stopped unfinished (its job failed for good). */
export async function recalculationStatus(db: Db, workspaceId: string): Promise<(Recalculation & { stopped: boolean }) | null> {
  const { recalculation } = await scoringSettingsOf(db, workspaceId);
  if (!recalculation) return null;
  return { ...recalculation, stopped: !recalculation.finishedAt && !(await recalculationQueued(db, workspaceId)) };
}

/** Queues a recalculation (409 while one is queued or running); progress starts at 0 of all contacts. */
export async function startRecalculation(db: Db, workspaceId: string, now = new Date()): Promise<Recalculation> {
  await getBoss();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`score.recalculate:${workspaceId}`}))`);
    if (await recalculationQueued(tx, workspaceId)) {
      const current = (await scoringSettingsOf(tx, workspaceId)).recalculation;
      throw new AppError("conflict", `A recalculation is already running${current ? ` (${current.done} of ${current.total} contacts)` : ""}.`);
    }
    const [{ total }] = await queryRows<{ total: number }>(tx, sql`select count(*)::int as total from contacts where workspace_id = ${workspaceId}`);
    const recalculation: Recalculation = { startedAt: now.toISOString(), done: 0, total: Number(total) };
    await saveRecalculation(tx, workspaceId, recalculation);
    await enqueue(scoreRecalculate, { workspaceId, startedAt: recalculation.startedAt }, { tx, singletonKey: workspaceId });
    return recalculation;
  });
}

interface PageContact {
  id: string;
  score_fit: number;
  score_engagement: number;
  score: number;
  lifecycle_stage: string | null;
  last_seen_at: string | Date | null;
}

/** Recalculates one page of contacts after `after` (in id order), in one transaction. */
export async function recalculatePage(db: Db, workspaceId: string, startedAt: string, now: Date, after: string | null, limit = pageSize) {
  return db.transaction(async (tx) => {
    const page = await queryRows<PageContact>(
      tx,
      sql`select id, score_fit, score_engagement, score, lifecycle_stage, last_seen_at from contacts
          where workspace_id = ${workspaceId} ${after ? sql`and id > ${after}::uuid` : sql``}
          order by id limit ${limit} for update`,
    );
    if (page.length === 0) return { count: 0, last: undefined, changes: [] as ScoreChange[], stages: false };
    const ids = page.map((contact) => contact.id);
    const idJson = JSON.stringify(ids);
    const [settings, [workspace], context, rules, fitQuery] = await Promise.all([
      scoringSettingsOf(tx, workspaceId),
      tx.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId)),
      loadRuleContext(tx, workspaceId),
      tx
        .select({ id: scoringRules.id, name: scoringRules.name, event: scoringRules.event, where: scoringRules.where, points: scoringRules.points, cap: scoringRules.cap })
        .from(scoringRules)
        .where(and(eq(scoringRules.workspaceId, workspaceId), eq(scoringRules.kind, "behaviour"), eq(scoringRules.active, true))),
      fitMatches(tx, workspaceId, now, ids),
    ]);
    const fits = new Map<string, number>();
    if (fitQuery) {
      const rows = await queryRows<{ id: string; fit: number }>(tx, sql`select m.id, sum(m.points)::int as fit from (${fitQuery}) m group by m.id`);
      for (const row of rows) fits.set(row.id, Number(row.fit));
    }
    const engine: EngineContext = { rules, decay: settings.decay, timeZone: workspace?.timezone ?? "UTC", now, attributes: context.attributes };
    const names = [...new Set(rules.map((rule) => rule.event).filter((name): name is string => Boolean(name)))];
    // Every activity counts for "halve"; otherwise only the events rules watch are read.
    const events =
      names.length === 0 && settings.decay.kind !== "halve"
        ? []
        : await queryRows<{ id: string | number; contact_id: string; name: string | null; properties: JsonObject | null; timestamp: string | Date; system: boolean }>(
            tx,
            sql`select e.id, e.contact_id, e.name,
                       case when e.name in (select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb)) then e.properties end as properties,
                       e.timestamp, e.message_id like 'monitor:%' as system
                from events e
                where e.workspace_id = ${workspaceId} and e.processed_at is not null and e.message_id not like 'segment:%'
                  and e.contact_id in (select jsonb_array_elements_text(${idJson}::jsonb)::uuid)
                  ${settings.decay.kind === "halve" ? sql`` : sql`and e.name in (select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb))`}
                order by e.contact_id, e.timestamp, e.id`,
          );
    const byContact = new Map<string, Activity[]>();
    for (const event of events) {
      const list = byContact.get(event.contact_id) ?? [];
      list.push({ id: Number(event.id), name: event.name, properties: event.properties ?? {}, timestamp: new Date(event.timestamp), activity: !event.system });
      byContact.set(event.contact_id, list);
    }

    const rows: ScoreRow[] = [];
    const totals = new Map<string, { fit: number; engagement: number }>();
    for (const contact of page) {
      const fit = fits.get(contact.id) ?? 0;
      const state: LedgerState = { contactId: contact.id, fit, engagement: 0, lastActivity: null, decaysDone: 0 };
      // A recalculation starts from no awards: caps count only what this walk gives.
      rows.push(...(await walkActivities(state, byContact.get(contact.id) ?? [], engine, async () => 0)));
      // The silence since the last activity (as the hourly job would have halved it).
      const lastSeen = contact.last_seen_at ? new Date(contact.last_seen_at) : null;
      if (lastSeen && (!state.lastActivity || lastSeen > state.lastActivity)) {
        state.lastActivity = lastSeen;
        state.decaysDone = 0;
      }
      halve(state, now, engine, rows);
      totals.set(contact.id, { fit, engagement: state.engagement });
    }

    await tx.execute(sql`delete from score_events where workspace_id = ${workspaceId} and kind in ('engagement', 'expire', 'decay')
      and contact_id in (select jsonb_array_elements_text(${idJson}::jsonb)::uuid)`);
    await insertScoreRows(tx, workspaceId, rows);
    const updates = page
      .map((contact) => ({ contact, next: totals.get(contact.id)! }))
      .filter(({ contact, next }) => contact.score_fit !== next.fit || contact.score_engagement !== next.engagement);
    if (updates.length > 0) {
      const payload = JSON.stringify(updates.map(({ contact, next }) => ({ id: contact.id, fit: next.fit, engagement: next.engagement })));
      await tx.execute(sql`
        update contacts c set score_fit = x.fit, score_engagement = x.engagement, score = x.fit + x.engagement
        from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, fit int, engagement int)
        where c.workspace_id = ${workspaceId} and c.id = x.id`);
    }
    const changes: ScoreChange[] = updates
      .map(({ contact, next }) => ({ contactId: contact.id, before: contact.score, after: next.fit + next.engagement, stage: contact.lifecycle_stage }))
      .filter((change) => change.before !== change.after);
    if (changes.length > 0) {
      const at = now.toISOString();
      const logged = JSON.stringify(changes.map((change) => ({ id: change.contactId, delta: change.after - change.before, after: change.after })));
      await tx.execute(sql`
        insert into score_events (workspace_id, contact_id, kind, delta, score_after, reason, idempotency_key, at)
        select ${workspaceId}, x.id, 'recalculation', x.delta, x.after, null, concat('recalculation:', ${startedAt}::text, ':', x.id::text), ${at}::timestamptz
        from jsonb_to_recordset(${logged}::jsonb) as x(id uuid, delta int, after int)
        on conflict (workspace_id, idempotency_key) do nothing`);
    }
    // Today's thresholds apply to every recalculated score, as if it had been reached from
    // below: lowering a threshold and recalculating moves those already above it (never back).
    const reached = page.map((contact) => {
      const next = totals.get(contact.id)!;
      return { contactId: contact.id, before: Number.NEGATIVE_INFINITY, after: next.fit + next.engagement, stage: contact.lifecycle_stage };
    });
    const moved = await applyThresholds(tx, workspaceId, settings, reached, now);
    return { count: page.length, last: page[page.length - 1].id, changes, stages: moved.moved.length > 0 };
  });
}

/** The whole recalculation (the score.recalculate job), reporting progress after each page. */
export async function recalculateScores(db: Db, workspaceId: string, startedAt: string, now = new Date(), limit = pageSize): Promise<{ contacts: number; changed: number }> {
  await getBoss();
  const [{ total }] = await queryRows<{ total: number }>(db, sql`select count(*)::int as total from contacts where workspace_id = ${workspaceId}`);
  let done = 0;
  let changed: string[] = [];
  let stages = false;
  let after: string | null = null;
  await saveRecalculation(db, workspaceId, { startedAt, done, total: Number(total) });
  for (;;) {
    const page: Awaited<ReturnType<typeof recalculatePage>> = await recalculatePage(db, workspaceId, startedAt, now, after, limit);
    done += page.count;
    changed = changed.concat(page.changes.map((change) => change.contactId));
    stages ||= page.stages;
    if (page.count === 0 || !page.last) break;
    after = page.last;
    await saveRecalculation(db, workspaceId, { startedAt, done, total: Math.max(Number(total), done) });
    if (page.count < limit) break;
  }
  await saveRecalculation(db, workspaceId, { startedAt, done, total: Math.max(Number(total), done), finishedAt: new Date().toISOString() });
  await scoresChanged(db, workspaceId, changed, stages, now);
  return { contacts: done, changed: changed.length };
}
