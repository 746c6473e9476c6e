import type { AttributeType, JsonObject, ScoringRule } from "@/db/schema";
import { bucketOf } from "@/lib/monitors/windows";
import { eventMatches } from "@/lib/segments/event-match";
import type { Decay } from "./settings";

// The engagement ledger of one contact, as a pure walk over its activity in time order. Live
// processing (a batch of events) and a recalculation (the contact's whole history) both walk
// it, so a recalculation ends where processing the same events from scratch would have:
// - each active engagement rule whose event and `where` match adds its points, unless its cap
//   for the event's day, week or month (the workspace's calendar) is reached;
// - decay "halve": every full N days without activity halves the engagement (toward zero),
//   keyed by the silence it ends and its number, so the hourly job and this walk never halve
//   the same silence twice;
// - decay "expire": points older than N days are taken back (an `expire` row per award).

export type BehaviourRule = Pick<ScoringRule, "id" | "name" | "event" | "where" | "points" | "cap">;

export interface Activity {
  id: number;
  /** The event's name (null for identify and other unnamed calls). */
  name: string | null;
  properties: JsonObject;
  timestamp: Date;
  /** Counts as activity for "halve" (false for events Tideline wrote itself, e.g. monitor.matched). */
  activity: boolean;
}

export type ScoreKind = "engagement" | "expire" | "decay";

export interface ScoreRow {
  contactId: string;
  ruleId: string | null;
  kind: ScoreKind;
  delta: number;
  scoreAfter: number;
  reason: string | null;
  key: string;
  eventId: number | null;
  at: Date;
}

export interface EngineContext {
  rules: BehaviourRule[];
  decay: Decay;
  timeZone: string;
  now: Date;
  attributes: Map<string, AttributeType>;
}

export interface LedgerState {
  contactId: string;
  fit: number;
  engagement: number;
  /** The last activity before the walk, and the halvings already written for the silence after it. */
  lastActivity: Date | null;
  decaysDone: number;
}

/** How many awards a rule already made in a cap period (the live walk asks the database; a recalculation starts from none). */
export type CapCounter = (ruleId: string, start: Date, end: Date) => Promise<number>;

const day = 86_400_000;

export function engagementKey(ruleId: string, eventId: number): string {
  return `rule:${ruleId}:event:${eventId}`;
}

export function decayKey(contactId: string, lastActivity: Date, n: number): string {
  return `decay:${contactId}:${lastActivity.getTime()}:${n}`;
}

/** The calendar period (workspace time zone) an award counts in for a cap. */
export function capPeriod(per: "day" | "week" | "month", at: Date, timeZone: string): { start: Date; end: Date } {
  const start = bucketOf({ kind: "calendar", unit: per }, at, timeZone);
  // Past the longest period of its unit (a DST day is 25 h), then back to that period's start.
  const ahead = { day: 1.5 * day, week: 7.5 * day, month: 32 * day }[per];
  const end = bucketOf({ kind: "calendar", unit: per }, new Date(start.getTime() + ahead), timeZone);
  return { start, end };
}

/** The halvings due for the silence since the last activity, up to `until`. */
export function halve(state: LedgerState, until: Date, context: EngineContext, rows: ScoreRow[]): void {
  if (context.decay.kind !== "halve" || !state.lastActivity) return;
  const period = context.decay.days * day;
  const due = Math.floor((until.getTime() - state.lastActivity.getTime()) / period);
  for (let n = state.decaysDone + 1; n <= due; n++) {
    if (state.engagement === 0) break;
    const next = Math.trunc(state.engagement / 2);
    const delta = next - state.engagement;
    state.engagement = next;
    rows.push({
      contactId: state.contactId,
      ruleId: null,
      kind: "decay",
      delta,
      scoreAfter: state.fit + state.engagement,
      reason: null,
      key: decayKey(state.contactId, state.lastActivity, n),
      eventId: null,
      at: new Date(state.lastActivity.getTime() + n * period),
    });
  }
  state.decaysDone = Math.max(state.decaysDone, due);
}

/**
 * Walks activities (sorted by time, then id) and returns the rows they write; `state` ends with
 * the contact's new engagement. Keys in `skip` were scored already (a retried batch).
 */
export async function walkActivities(state: LedgerState, activities: Activity[], context: EngineContext, capCount: CapCounter, skip: Set<string> = new Set()): Promise<ScoreRow[]> {
  const rows: ScoreRow[] = [];
  const caps = new Map<string, number>();
  const expireBefore = context.decay.kind === "expire" ? context.now.getTime() - context.decay.days * day : undefined;
  for (const activity of activities) {
    if (activity.activity) {
      halve(state, activity.timestamp, context, rows);
      if (!state.lastActivity || activity.timestamp > state.lastActivity) {
        state.lastActivity = activity.timestamp;
        state.decaysDone = 0;
      }
    }
    if (activity.name === null) continue;
    for (const rule of context.rules) {
      if (rule.event !== activity.name) continue;
      const key = engagementKey(rule.id, activity.id);
      if (skip.has(key)) continue;
      if (rule.where !== null && rule.where !== undefined && !eventMatches({ name: activity.name, properties: activity.properties }, rule.where, context.attributes, activity.timestamp)) continue;
      if (rule.cap) {
        const period = capPeriod(rule.cap.per, activity.timestamp, context.timeZone);
        const capKey = `${rule.id}:${period.start.getTime()}`;
        const used = caps.get(capKey) ?? (await capCount(rule.id, period.start, period.end));
        if (used >= rule.cap.count) {
          caps.set(capKey, used);
          continue;
        }
        caps.set(capKey, used + 1);
      }
      state.engagement += rule.points;
      rows.push({
        contactId: state.contactId,
        ruleId: rule.id,
        kind: "engagement",
        delta: rule.points,
        scoreAfter: state.fit + state.engagement,
        reason: rule.name,
        key,
        eventId: activity.id,
        at: activity.timestamp,
      });
      if (expireBefore !== undefined && context.decay.kind === "expire" && activity.timestamp.getTime() < expireBefore) {
        // Already older than the points live: counted (for the cap) and taken back at once.
        state.engagement -= rule.points;
        rows.push({
          contactId: state.contactId,
          ruleId: rule.id,
          kind: "expire",
          delta: -rule.points,
          scoreAfter: state.fit + state.engagement,
          reason: rule.name,
          key: `expire:${key}`,
          eventId: activity.id,
          at: new Date(activity.timestamp.getTime() + context.decay.days * day),
        });
      }
    }
  }
  return rows;
}

/** Rows as the jsonb recordset the inserts read. */
export function rowsJson(workspaceId: string, rows: ScoreRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      workspace_id: workspaceId,
      contact_id: row.contactId,
      rule_id: row.ruleId,
      kind: row.kind,
      delta: row.delta,
      score_after: row.scoreAfter,
      reason: row.reason,
      idempotency_key: row.key,
      event_id: row.eventId,
      at: row.at.toISOString(),
    })),
  );
}
