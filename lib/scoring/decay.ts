import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { getBoss } from "@/jobs/boss";
import { halve, type EngineContext, type LedgerState, type ScoreRow } from "./engine";
import { addEngagement, insertScoreRows } from "./engagement";
import { refreshFit, scoresChanged } from "./fit";
import type { Decay } from "./settings";

// The hourly upkeep of scores (score.decay):
// - halve: a contact without activity (last_seen_at) for N days has its engagement halved,
//   once per full N days of silence (keyed by the silence and its number, so a rerun, a retry
//   or an event arriving later never halves the same period twice);
// - expire: engagement points older than N days are taken back, an `expire` row per award;
// - fit is recomputed for every contact of workspaces with fit rules, so attribute changes
//   made outside event processing (the API, imports, journeys) and time-based fit rules are
//   reflected within the hour.
// Contacts are paged by id (keyset); each page is its own transaction.

const pageSize = 500;
const day = 86_400_000;

export interface DecayOutcome {
  workspaces: number;
  halved: number;
  expired: number;
  fitChanged: number;
}

/** Halves the engagement of one page of silent contacts after `after`; returns the last id seen (undefined at the end). */
async function halvePage(db: Db, workspaceId: string, decay: Extract<Decay, { kind: "halve" }>, now: Date, after: string | null): Promise<{ next?: string; halved: string[] }> {
  const cutoff = new Date(now.getTime() - decay.days * day).toISOString();
  return db.transaction(async (tx) => {
    const due = await queryRows<{ id: string; score_fit: number; score_engagement: number; last_seen_at: string | Date; halved: number }>(
      tx,
      sql`select c.id, c.score_fit, c.score_engagement, c.last_seen_at,
                 (select count(*)::int from score_events s where s.workspace_id = c.workspace_id and s.contact_id = c.id and s.kind = 'decay' and s.at > c.last_seen_at) as halved
          from contacts c
          where c.workspace_id = ${workspaceId} and c.score_engagement <> 0 and c.last_seen_at <= ${cutoff}::timestamptz
            ${after ? sql`and c.id > ${after}::uuid` : sql``}
          order by c.id limit ${pageSize}
          for update of c`,
    );
    if (due.length === 0) return { halved: [] };
    const context: EngineContext = { rules: [], decay, timeZone: "UTC", now, attributes: new Map() };
    const rows: ScoreRow[] = [];
    for (const contact of due) {
      const state: LedgerState = { contactId: contact.id, fit: contact.score_fit, engagement: contact.score_engagement, lastActivity: new Date(contact.last_seen_at), decaysDone: Number(contact.halved) };
      halve(state, now, context, rows);
    }
    const inserted = await insertScoreRows(tx, workspaceId, rows);
    const added = new Map<string, number>();
    for (const row of inserted) added.set(row.contact_id, (added.get(row.contact_id) ?? 0) + Number(row.delta));
    await addEngagement(tx, workspaceId, added);
    return { next: due.length === pageSize ? due[due.length - 1].id : undefined, halved: [...added.keys()] };
  });
}

/** Takes back one page of awards older than N days; returns the contacts whose engagement changed. */
async function expirePage(db: Db, workspaceId: string, days: number, now: Date): Promise<string[] | undefined> {
  const cutoff = new Date(now.getTime() - days * day).toISOString();
  return db.transaction(async (tx) => {
    const old = await queryRows<{ contact_id: string; rule_id: string | null; delta: number; reason: string | null; idempotency_key: string; event_id: string | number | null; at: string | Date }>(
      tx,
      sql`select e.contact_id, e.rule_id, e.delta, e.reason, e.idempotency_key, e.event_id, e.at from score_events e
          where e.workspace_id = ${workspaceId} and e.kind = 'engagement' and e.at < ${cutoff}::timestamptz
            and not exists (select 1 from score_events x where x.workspace_id = e.workspace_id and x.idempotency_key = 'expire:' || e.idempotency_key)
          order by e.id limit ${pageSize}`,
    );
    if (old.length === 0) return undefined;
    const ids = JSON.stringify([...new Set(old.map((row) => row.contact_id))].sort());
    const locked = await queryRows<{ id: string; score_fit: number; score_engagement: number }>(
      tx,
      sql`select id, score_fit, score_engagement from contacts where workspace_id = ${workspaceId}
          and id in (select jsonb_array_elements_text(${ids}::jsonb)::uuid) order by id for update`,
    );
    const ledgers = new Map(locked.map((row) => [row.id, { fit: row.score_fit, engagement: row.score_engagement }]));
    const rows: ScoreRow[] = [];
    for (const award of old) {
      const ledger = ledgers.get(award.contact_id);
      if (!ledger) continue;
      ledger.engagement -= award.delta;
      rows.push({
        contactId: award.contact_id,
        ruleId: award.rule_id,
        kind: "expire",
        delta: -award.delta,
        scoreAfter: ledger.fit + ledger.engagement,
        reason: award.reason,
        key: `expire:${award.idempotency_key}`,
        eventId: award.event_id === null ? null : Number(award.event_id),
        at: new Date(new Date(award.at).getTime() + days * day),
      });
    }
    const inserted = await insertScoreRows(tx, workspaceId, rows);
    const added = new Map<string, number>();
    for (const row of inserted) added.set(row.contact_id, (added.get(row.contact_id) ?? 0) + Number(row.delta));
    await addEngagement(tx, workspaceId, added);
    return [...added.keys()];
  });
}

/** Decay of one workspace (see the file's comment); `now` is the job's clock (tests move it). */
export async function decayWorkspace(db: Db, workspaceId: string, decay: Decay, now: Date): Promise<Omit<DecayOutcome, "workspaces">> {
  await getBoss();
  const outcome = { halved: 0, expired: 0, fitChanged: 0 };
  const changed = new Set<string>();
  if (decay.kind === "halve") {
    let after: string | null = null;
    for (;;) {
      const page: { next?: string; halved: string[] } = await halvePage(db, workspaceId, decay, now, after);
      outcome.halved += page.halved.length;
      for (const id of page.halved) changed.add(id);
      if (!page.next) break;
      after = page.next;
    }
  } else if (decay.kind === "expire") {
    for (;;) {
      const contacts = await expirePage(db, workspaceId, decay.days, now);
      if (!contacts) break;
      outcome.expired += contacts.length;
      for (const id of contacts) changed.add(id);
    }
  }
  if (changed.size > 0) await scoresChanged(db, workspaceId, [...changed], false, now);
  const fit = await refreshFit(db, workspaceId, undefined, now);
  outcome.fitChanged = fit.changes.length;
  return outcome;
}

/** Every workspace that scores: those with a decay or with fit rules. */
export async function decayScores(db: Db, now = new Date()): Promise<DecayOutcome> {
  const rows = await queryRows<{ workspace_id: string; decay: Decay | null }>(
    db,
    sql`select w.id as workspace_id, s.decay from workspaces w
        left join scoring_settings s on s.workspace_id = w.id
        where (s.decay is not null and s.decay->>'kind' <> 'none')
           or exists (select 1 from scoring_rules r where r.workspace_id = w.id and r.kind = 'attribute')`,
  );
  const outcome: DecayOutcome = { workspaces: rows.length, halved: 0, expired: 0, fitChanged: 0 };
  for (const row of rows) {
    const result = await decayWorkspace(db, row.workspace_id, row.decay ?? { kind: "none" }, now);
    outcome.halved += result.halved;
    outcome.expired += result.expired;
    outcome.fitChanged += result.fitChanged;
  }
  return outcome;
}
