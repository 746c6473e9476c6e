import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { monitors, workspaces, type AttributeType, type JsonObject, type Monitor, type MonitorAction } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { queueMessageRows } from "@/lib/messages/queue-many";
import { getTemplateVersion } from "@/lib/messages/templates";
import { couponContext, issueCoupon } from "@/lib/rewards/coupons";
import { changePoints } from "@/lib/rewards/points";
import { eventMatches } from "@/lib/segments/event-match";
import { loadRuleContext } from "@/lib/segments/membership";
import { bucketOf, localDay, windowLengthMs, windowStart } from "./windows";

// Behaviour monitors in event.process, in the transaction that marks the events processed:
// each event a monitor watches adds to one counter (monitor, contact, bucket), the window's
// statistic is read from its few buckets (never a rescan of events), and reaching the
// threshold inserts a match under a key that is unique per qualifying moment; only the
// transaction that inserts it runs the actions, each under a key derived from the match.
// After a match the counted buckets are spent, so "3 purchases" needs three more.
//
// A batch's counting takes a few statements, not three per (event, monitor): the advisory
// locks of all its (monitor, contact) pairs at once (the same keys as one at a time, in one
// order), then the buckets its windows can reach are read, counted in memory event by event
// exactly as the statements did, and written back at the end; matches, limits and actions
// still go to the database when they happen (measured by npm run bench:monitors).

export interface MonitorEvent {
  id: number;
  contactId: string;
  name: string;
  properties: JsonObject;
  timestamp: Date;
}

export interface MonitorOutcome {
  matches: Array<{ monitorId: string; contactId: string; matchId: string }>;
  /** monitor.matched events written (already processed), for journeys to see. */
  emitted: MonitorEvent[];
  /** Contacts whose tags an action changed (for real-time segments). */
  tagged: string[];
}

/** What one event adds to a monitor's statistic; undefined when it adds nothing (a sum of a non-number). */
export function contribution(monitor: Pick<Monitor, "statistic" | "property">, event: Pick<MonitorEvent, "properties" | "timestamp">, timeZone: string): { add: number; distinct?: string } | undefined {
  if (monitor.statistic === "count") return { add: 1 };
  if (monitor.property === "$day") return { add: 0, distinct: localDay(event.timestamp, timeZone) };
  const raw = monitor.property ? event.properties[monitor.property] : undefined;
  if (monitor.statistic === "sum") {
    const value = typeof raw === "number" ? raw : typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    return Number.isFinite(value) ? { add: value } : undefined;
  }
  if (raw === undefined || raw === null || raw === "") return undefined;
  return { add: 0, distinct: typeof raw === "string" ? raw : JSON.stringify(raw) };
}

export function isActive(monitor: Pick<Monitor, "activeFrom" | "activeUntil">, at: Date): boolean {
  return (!monitor.activeFrom || monitor.activeFrom <= at) && (!monitor.activeUntil || monitor.activeUntil > at);
}

export async function applyMonitors(db: Db, workspaceId: string, events: MonitorEvent[], now: Date): Promise<MonitorOutcome> {
  const outcome: MonitorOutcome = { matches: [], emitted: [], tagged: [] };
  const names = [...new Set(events.map((event) => event.name))];
  if (names.length === 0) return outcome;
  const watching = await db
    .select()
    .from(monitors)
    .where(and(eq(monitors.workspaceId, workspaceId), eq(monitors.status, "active"), inArray(monitors.event, names)));
  if (watching.length === 0) return outcome;
  const [workspace] = await db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const timeZone = workspace?.timezone ?? "UTC";
  let catalogue: Map<string, AttributeType> | undefined;
  const members = await audienceMembers(db, workspaceId, watching, events);

  // What each event adds to which monitor, in the order it is counted.
  const steps: Step[] = [];
  for (const event of events) {
    for (const monitor of watching) {
      if (monitor.event !== event.name || !isActive(monitor, event.timestamp)) continue;
      if (monitor.segmentId && !members.has(`${monitor.segmentId}:${event.contactId}`)) continue;
      if (monitor.where !== null && monitor.where !== undefined) {
        catalogue ??= (await loadRuleContext(db, workspaceId)).attributes;
        if (!eventMatches(event, monitor.where, catalogue, event.timestamp)) continue;
      }
      const added = contribution(monitor, event, timeZone);
      if (!added) continue;
      const bucket = bucketOf(monitor.window, event.timestamp, timeZone).getTime();
      // A calendar or lifetime window is its one bucket; only a rolling one reaches back (and
      // needs no time zone): bucketOf in a zone is the costly part of counting.
      const since = monitor.window.kind === "rolling" ? windowStart(monitor.window, event.timestamp, timeZone).getTime() : bucket;
      steps.push({ monitor, event, added, bucket, since });
    }
  }
  if (steps.length === 0) return outcome;

  const counters = await lockAndLoad(db, workspaceId, steps);
  for (const step of steps) {
    const { monitor, event } = step;
    const match = await count(db, workspaceId, counters.get(pairKey(monitor.id, event.contactId))!, step);
    if (!match) continue;
    const { results, emitted, tagged } = await runActions(db, workspaceId, monitor, match, event.contactId, now);
    await db.execute(sql`update monitor_matches set results = ${JSON.stringify(results)}::jsonb where workspace_id = ${workspaceId} and id = ${match.id}`);
    outcome.matches.push({ monitorId: monitor.id, contactId: event.contactId, matchId: match.id });
    if (emitted) outcome.emitted.push(emitted);
    if (tagged) outcome.tagged.push(event.contactId);
  }
  await saveCounters(db, workspaceId, counters);
  return outcome;
}

interface Step {
  monitor: Monitor;
  event: MonitorEvent;
  added: { add: number; distinct?: string };
  /** The event's bucket and the oldest bucket its window counts (epoch ms). */
  bucket: number;
  since: number;
}

/** One bucket's row as it stands in this transaction. */
interface Counter {
  value: number;
  distinct: string[];
}

/** One contact's counters of one monitor: every stored bucket from `since` on, and what this batch did to them. */
interface PairCounters {
  monitorId: string;
  contactId: string;
  since: number;
  buckets: Map<number, Counter>;
  /** Buckets an event added to (written back with their final value). */
  touched: Set<number>;
  /** The newest bucket a match spent (every bucket up to it was zeroed). */
  spentUpTo?: number;
}

const pairKey = (monitorId: string, contactId: string) => `${monitorId}:${contactId}`;

/**
 * Takes the advisory lock of every (monitor, contact) pair the steps count for (the key each
 * was always locked by, so one contact's counters of one monitor change one at a time whatever
 * runs at once), all in one statement and in lock order, then reads the buckets their windows
 * can reach.
 */
async function lockAndLoad(db: Db, workspaceId: string, steps: Step[]): Promise<Map<string, PairCounters>> {
  const pairs = new Map<string, PairCounters>();
  for (const { monitor, event, since } of steps) {
    const key = pairKey(monitor.id, event.contactId);
    const pair = pairs.get(key);
    if (!pair) pairs.set(key, { monitorId: monitor.id, contactId: event.contactId, since, buckets: new Map(), touched: new Set() });
    else if (since < pair.since) pair.since = since;
  }
  const lockKeys = [...pairs.values()].map((pair) => `monitor:${pair.monitorId}:${pair.contactId}`);
  await db.execute(sql`
    select pg_advisory_xact_lock(l.id) from (
      select distinct hashtext(k) as id from jsonb_array_elements_text(${JSON.stringify(lockKeys)}::jsonb) as k order by 1
    ) l`);
  const wanted = [...pairs.values()].map((pair) => ({ monitor_id: pair.monitorId, contact_id: pair.contactId, since: new Date(pair.since).toISOString() }));
  const rows = await queryRows<{ monitor_id: string; contact_id: string; at: number | string; value: number | string; distinct_values: string[] | string }>(
    db,
    sql`select k.monitor_id, k.contact_id, (extract(epoch from k.bucket) * 1000)::float8 as at, k.value, to_jsonb(k.distinct_values) as distinct_values
        from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as p(monitor_id uuid, contact_id uuid, since timestamptz)
        join monitor_counters k on k.workspace_id = ${workspaceId} and k.monitor_id = p.monitor_id and k.contact_id = p.contact_id and k.bucket >= p.since`,
  );
  for (const row of rows) {
    const distinct = typeof row.distinct_values === "string" ? (JSON.parse(row.distinct_values) as string[]) : row.distinct_values;
    pairs.get(pairKey(row.monitor_id, row.contact_id))!.buckets.set(Number(row.at), { value: Number(row.value), distinct });
  }
  return pairs;
}

/** Adds the event to its bucket as the counter upsert did and, when the window reaches the threshold, records the match (once). */
async function count(db: Db, workspaceId: string, pair: PairCounters, step: Step) {
  const { monitor, event, added } = step;
  let counter = pair.buckets.get(step.bucket);
  if (!counter) {
    counter = { value: 0, distinct: [] };
    pair.buckets.set(step.bucket, counter);
  }
  pair.touched.add(step.bucket);
  if (added.distinct === undefined) counter.value += added.add;
  else {
    if (!counter.distinct.includes(added.distinct)) counter.distinct.push(added.distinct);
    counter.value = counter.distinct.length;
  }
  // The window's statistic over the buckets from its start on.
  const inWindow = [...pair.buckets].filter(([start]) => start >= step.since).map(([, bucket]) => bucket);
  const value =
    monitor.statistic === "distinct"
      ? new Set(inWindow.flatMap((bucket) => bucket.distinct)).size
      : inWindow.reduce((sum, bucket) => sum + bucket.value, 0);
  if (value < monitor.threshold) return undefined;

  const bucket = new Date(step.bucket).toISOString();
  const key = await matchKey(db, workspaceId, monitor, event, bucket);
  if (!key) return undefined;
  const [match] = await queryRows<{ id: string }>(
    db,
    sql`insert into monitor_matches (workspace_id, monitor_id, contact_id, match_key, event_id, value, matched_at)
        values (${workspaceId}, ${monitor.id}, ${event.contactId}, ${key}, ${event.id}, ${value}, ${event.timestamp.toISOString()}::timestamptz)
        on conflict do nothing
        returning id`,
  );
  if (!match) return undefined;
  // What was counted is spent: the next match needs the threshold again.
  for (const [start, stored] of pair.buckets) {
    if (start > step.bucket) continue;
    stored.value = 0;
    stored.distinct = [];
  }
  pair.spentUpTo = Math.max(pair.spentUpTo ?? step.bucket, step.bucket);
  return { id: match.id, value };
}

/** Writes what the batch counted: the spent buckets zeroed, then every bucket an event added to with its final value. */
async function saveCounters(db: Db, workspaceId: string, pairs: Map<string, PairCounters>): Promise<void> {
  const spent = [...pairs.values()]
    .filter((pair) => pair.spentUpTo !== undefined)
    .map((pair) => ({ monitor_id: pair.monitorId, contact_id: pair.contactId, up_to: new Date(pair.spentUpTo!).toISOString() }));
  if (spent.length > 0) {
    await db.execute(sql`
      update monitor_counters k set value = 0, distinct_values = '{}'
      from jsonb_to_recordset(${JSON.stringify(spent)}::jsonb) as s(monitor_id uuid, contact_id uuid, up_to timestamptz)
      where k.workspace_id = ${workspaceId} and k.monitor_id = s.monitor_id and k.contact_id = s.contact_id and k.bucket <= s.up_to`);
  }
  const rows = [...pairs.values()].flatMap((pair) =>
    [...pair.touched].map((start) => {
      const counter = pair.buckets.get(start)!;
      return { monitor_id: pair.monitorId, contact_id: pair.contactId, bucket: new Date(start).toISOString(), value: counter.value, distinct_values: counter.distinct };
    }),
  );
  await db.execute(sql`
    insert into monitor_counters (workspace_id, monitor_id, contact_id, bucket, value, distinct_values)
    select ${workspaceId}, x.monitor_id, x.contact_id, x.bucket, x.value,
           array(select v from jsonb_array_elements_text(x.distinct_values) with ordinality as d(v, i) order by d.i)
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(monitor_id uuid, contact_id uuid, bucket timestamptz, value float8, distinct_values jsonb)
    on conflict (workspace_id, monitor_id, contact_id, bucket) do update set
      value = excluded.value, distinct_values = excluded.distinct_values, updated_at = now()`);
}

async function audienceMembers(db: Db, workspaceId: string, watching: Monitor[], events: MonitorEvent[]): Promise<Set<string>> {
  const segmentIds = [...new Set(watching.map((monitor) => monitor.segmentId).filter((id): id is string => Boolean(id)))];
  if (segmentIds.length === 0) return new Set();
  const contactIds = [...new Set(events.map((event) => event.contactId))];
  const rows = await queryRows<{ segment_id: string; contact_id: string }>(
    db,
    sql`select segment_id, contact_id from segment_memberships
        where workspace_id = ${workspaceId} and exited_at is null
          and segment_id in (select jsonb_array_elements_text(${JSON.stringify(segmentIds)}::jsonb)::uuid)
          and contact_id in (select jsonb_array_elements_text(${JSON.stringify(contactIds)}::jsonb)::uuid)`,
  );
  return new Set(rows.map((row) => `${row.segment_id}:${row.contact_id}`));
}

/** The key that makes a qualifying moment fire once; undefined when the limit says no. */
async function matchKey(db: Db, workspaceId: string, monitor: Monitor, event: MonitorEvent, bucket: string): Promise<string | undefined> {
  const limit = monitor.limit;
  if (limit.kind === "once") return "once";
  if (limit.kind === "once_per_window") {
    if (monitor.window.kind === "calendar") return `window:${bucket}`;
    const since = new Date(event.timestamp.getTime() - windowLengthMs(monitor.window)).toISOString();
    const [recent] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from monitor_matches where workspace_id = ${workspaceId} and monitor_id = ${monitor.id}
          and contact_id = ${event.contactId} and matched_at > ${since}::timestamptz`,
    );
    return recent.n > 0 ? undefined : `event:${event.id}`;
  }
  const [done] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from monitor_matches where workspace_id = ${workspaceId} and monitor_id = ${monitor.id} and contact_id = ${event.contactId}`,
  );
  return done.n >= limit.count ? undefined : `n:${done.n + 1}`;
}

async function runActions(db: Db, workspaceId: string, monitor: Monitor, match: { id: string; value: number }, contactId: string, now: Date) {
  const results: JsonObject = {};
  let emitted: MonitorEvent | undefined;
  let tagged = false;
  let coupon: JsonObject | undefined;
  const key = (action: MonitorAction, index: number) => `monitor:${match.id}:${index}:${action.type}`;
  for (const [index, action] of monitor.actions.entries()) {
    try {
      switch (action.type) {
        case "points": {
          // No expiry of its own: the workspace's default expiry for awards applies.
          const expiresAt = action.expiresInDays ? new Date(now.getTime() + action.expiresInDays * 86_400_000) : undefined;
          const result = await changePoints(db, workspaceId, {
            contactId,
            amount: action.amount,
            source: "monitor",
            sourceId: monitor.id,
            reason: action.reason ?? monitor.name,
            idempotencyKey: key(action, index),
            expiresAt,
          });
          results.points = { amount: action.amount, transaction_id: result.transaction.id, balance: result.balance };
          break;
        }
        case "coupon": {
          const issued = await issueCoupon(db, workspaceId, { campaignId: action.campaignId, contactId, issueKey: key(action, index), now });
          coupon = couponContext(issued.code, issued.campaign) as JsonObject;
          results.coupon = { code: issued.code.code, campaign_id: action.campaignId };
          break;
        }
        case "message": {
          const found = await getTemplateVersion(db, workspaceId, action.templateId);
          if (!found || found.template.archivedAt) {
            results.message = { error: "template_missing" };
            break;
          }
          const data: JsonObject = { $monitor: { id: monitor.id, name: monitor.name, value: match.value } };
          if (coupon) data.$coupon = coupon;
          const [message] = await queueMessageRows(db, workspaceId, [{ key: key(action, index), contactId, data }], {
            source: "monitor",
            sourceId: monitor.id,
            channel: found.template.channel,
            kind: found.template.kind,
            templateId: found.template.id,
            templateVersion: found.version.version,
            topicId: found.template.topicId,
          });
          results.message = { message_id: message?.id ?? null };
          break;
        }
        case "tag":
          await db.execute(sql`update contacts set tags = array_append(tags, ${action.tag}::text), updated_at = now()
            where workspace_id = ${workspaceId} and id = ${contactId} and not (${action.tag}::text = any(tags))`);
          results.tag = action.tag;
          tagged = true;
          break;
        case "event": {
          const properties = { monitor_id: monitor.id, monitor_name: monitor.name, value: match.value };
          const [row] = await queryRows<{ id: string | number }>(
            db,
            sql`insert into events (workspace_id, message_id, type, name, contact_id, properties, timestamp, received_at, processed_at)
                values (${workspaceId}, ${`monitor:${match.id}`}, 'track', 'monitor.matched', ${contactId}, ${JSON.stringify(properties)}::jsonb,
                        ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
                on conflict do nothing returning id`,
          );
          if (row) emitted = { id: Number(row.id), contactId, name: "monitor.matched", properties, timestamp: now };
          results.event = row ? Number(row.id) : null;
          break;
        }
      }
    } catch (error) {
      // A reward that cannot be given (no coupons left, over the contact's limit) is recorded, not retried forever.
      if (!(error instanceof AppError)) throw error;
      results[`${action.type}_error`] = { code: error.code, message: error.message };
    }
  }
  return { results, emitted, tagged };
}
