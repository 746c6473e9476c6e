import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { BroadcastStatus, Channel, ConversionSettings, MessageStatus } from "@/db/schema";

// The home page's figures for a range and the range of the same length before it, so each
// can show a change. Days are the workspace's local days. Opens and clicks are human ones (bot
// hits never set opened_at / clicked_at) and belong to the day their message was sent, so a
// day's open rate is the share of that day's messages that were opened, whenever that was.

const sentStatuses: MessageStatus[] = ["sent", "delivered", "opened", "clicked", "bounced", "complained"];
const deliveredStatuses: MessageStatus[] = ["sent", "delivered", "opened", "clicked", "complained"];
/** The channels that report opens and clicks: rates are of their delivered messages, so SMS and webhooks do not dilute them. */
const engagementChannels: Channel[] = ["email", "inbox"];

export interface DashboardRange {
  from: Date;
  to: Date;
  timezone: string;
  /** "Today" is from local midnight up to this moment (default: now). */
  now?: Date;
}

export interface Kpis {
  /** Contacts that existed at the end of the range. */
  contacts: number;
  newContacts: number;
  events: number;
  sent: number;
  /** Delivered email and inbox messages: what the rates are shares of. */
  delivered: number;
  opened: number;
  clicked: number;
  openRate: number;
  clickRate: number;
  unsubscribed: number;
  /** Conversion events attributed to a broadcast, and the revenue they carried. */
  conversions: number;
  revenue: number;
}

export interface DayFigures {
  /** The local date, YYYY-MM-DD. */
  day: string;
  newContacts: number;
  events: number;
  sent: number;
  opened: number;
  clicked: number;
}

export interface RecentBroadcast {
  id: string;
  name: string;
  status: BroadcastStatus;
  channel: Channel;
  /** When sending started, else when it is scheduled, else when it was created. */
  at: Date;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  openRate: number;
  clickRate: number;
}

export interface DashboardStats {
  range: { from: Date; to: Date };
  previousRange: { from: Date; to: Date };
  current: Kpis;
  previous: Kpis;
  eventsToday: number;
  /** Whether any broadcast counts conversions (without one, no revenue can be attributed). */
  conversionTracked: boolean;
  days: DayFigures[];
  recentBroadcasts: RecentBroadcast[];
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const ts = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const statusList = (statuses: MessageStatus[]) => sql.join(statuses.map((status) => sql`${status}::message_status`), sql`, `);
const channelList = (list: Channel[]) => sql.join(list.map((channel) => sql`${channel}::channel`), sql`, `);
/** The local day as a timestamp: grouped by, then formatted once per day (to_char per row costs twice as much). */
const localDay = (column: SQL, timezone: string) => sql`date_trunc('day', ${column} at time zone ${timezone})`;
const dayText = sql`to_char(bucket, 'YYYY-MM-DD')`;

interface Window {
  workspaceId: string;
  /** The previous range's start, the current range's start, the end. */
  since: Date;
  split: Date;
  until: Date;
  timezone: string;
}

/** Has anything arrived yet? Until it has, the home page is a getting-started guide. */
export async function hasActivity(db: Db, workspaceId: string): Promise<boolean> {
  const [row] = await queryRows<{ any: boolean }>(
    db,
    sql`select exists (select 1 from contacts where workspace_id = ${workspaceId}) or exists (select 1 from events where workspace_id = ${workspaceId}) as any`,
  );
  return Boolean(row?.any);
}

export async function dashboardStats(db: Db, workspaceId: string, range: DashboardRange): Promise<DashboardStats> {
  const { from, to, timezone } = range;
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const window: Window = { workspaceId, since: previousFrom, split: from, until: to, timezone };
  // One at a time: the embedded database has one connection, and a server's pool is shared.
  const days = await localDays(db, from, to, timezone);
  const contacts = await contactFigures(db, window);
  const events = await eventsByDay(db, window);
  const today = await eventsToday(db, workspaceId, timezone, range.now ?? new Date());
  const sends = await messageFigures(db, window);
  const unsubscribed = await unsubscribes(db, window);
  const revenue = await attributedRevenue(db, window);
  const recentBroadcasts = await latestBroadcasts(db, workspaceId);
  const [tracked] = await queryRows<{ any: boolean }>(
    db,
    sql`select exists (select 1 from broadcasts where workspace_id = ${workspaceId} and jsonb_typeof(conversion) = 'object') as any`,
  );

  const kpis = (current: boolean): Kpis => {
    const sum = (rows: Array<{ current: boolean; n: number }>) => rows.filter((row) => row.current === current).reduce((total, row) => total + row.n, 0);
    const messages = sends.filter((row) => row.current === current);
    const total = (key: "sent" | "delivered" | "opened" | "clicked") => messages.reduce((n, row) => n + row[key], 0);
    const newContacts = sum(contacts.byDay);
    const money = revenue.find((row) => row.current === current);
    return {
      contacts: contacts.total,
      newContacts,
      events: sum(events),
      sent: total("sent"),
      delivered: total("delivered"),
      opened: total("opened"),
      clicked: total("clicked"),
      openRate: rate(total("opened"), total("delivered")),
      clickRate: rate(total("clicked"), total("delivered")),
      unsubscribed: unsubscribed.find((row) => row.current === current)?.n ?? 0,
      conversions: money?.conversions ?? 0,
      revenue: money?.revenue ?? 0,
    };
  };
  // The previous range's total: those at the end of the range, less those that came in it.
  const current = kpis(true);
  const previous = { ...kpis(false), contacts: contacts.total - current.newContacts };

  const byDay = <T extends { current: boolean; day: string }>(rows: T[]) => new Map(rows.filter((row) => row.current).map((row) => [row.day, row]));
  const contactDays = byDay(contacts.byDay);
  const eventDays = byDay(events);
  const sendDays = byDay(sends);
  return {
    range: { from, to },
    previousRange: { from: previousFrom, to: from },
    current,
    previous,
    eventsToday: today,
    conversionTracked: Boolean(tracked?.any),
    days: days.map((day) => ({
      day,
      newContacts: contactDays.get(day)?.n ?? 0,
      events: eventDays.get(day)?.n ?? 0,
      sent: sendDays.get(day)?.sent ?? 0,
      opened: sendDays.get(day)?.opened ?? 0,
      clicked: sendDays.get(day)?.clicked ?? 0,
    })),
    recentBroadcasts,
  };
}

/** Every local day the range touches, so days with nothing still get a (zero) bar. */
async function localDays(db: Db, from: Date, to: Date, timezone: string): Promise<string[]> {
  if (to <= from) return [];
  const rows = await queryRows<{ day: string }>(
    db,
    sql`select to_char(d, 'YYYY-MM-DD') as day
        from generate_series(date_trunc('day', ${ts(from)} at time zone ${timezone}),
                             date_trunc('day', (${ts(to)} - interval '1 microsecond') at time zone ${timezone}),
                             interval '1 day') d
        order by d`,
  );
  return rows.map((row) => row.day);
}

// contacts_recent_idx (workspace_id, created_at desc, id desc): an index range for both.
async function contactFigures(db: Db, w: Window) {
  const [total] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from contacts where workspace_id = ${w.workspaceId} and created_at < ${ts(w.until)}`,
  );
  const byDay = await queryRows<{ current: boolean; day: string; n: number }>(
    db,
    sql`select current, ${dayText} as day, n from (
          select created_at >= ${ts(w.split)} as current, ${localDay(sql`created_at`, w.timezone)} as bucket, count(*)::int as n
          from contacts
          where workspace_id = ${w.workspaceId} and created_at >= ${ts(w.since)} and created_at < ${ts(w.until)}
          group by 1, 2
        ) x`,
  );
  return { total: total?.n ?? 0, byDay };
}

// The only index with the event time is events_name_time_idx (workspace_id, name, timestamp).
// Without a skip scan (Postgres 15-17) a range on timestamp alone would read every event of
// the workspace, so walk the distinct names through the index (one descent each) and take
// each name's time range; unnamed calls (identify, alias) are the `name is null` range.
function eventsPerName(workspaceId: string, from: SQL, to: SQL, select: SQL, groupBy: SQL) {
  return sql`
    with recursive names(name) as (
      (select name from events where workspace_id = ${workspaceId} and name is not null order by name limit 1)
      union all
      select (select e.name from events e where e.workspace_id = ${workspaceId} and e.name > n.name order by e.name limit 1)
      from names n where n.name is not null
    )
    select per_name.* from names n
    cross join lateral (
      select ${select} from events e
      where e.workspace_id = ${workspaceId} and e.name = n.name and e.timestamp >= ${from} and e.timestamp < ${to}
      ${groupBy}
    ) per_name
    where n.name is not null
    union all
    select ${select} from events e
    where e.workspace_id = ${workspaceId} and e.name is null and e.timestamp >= ${from} and e.timestamp < ${to}
    ${groupBy}`;
}

async function eventsByDay(db: Db, w: Window) {
  const perName = eventsPerName(
    w.workspaceId,
    ts(w.since),
    ts(w.until),
    sql`e.timestamp >= ${ts(w.split)} as current, ${localDay(sql`e.timestamp`, w.timezone)} as bucket, count(*) as n`,
    sql`group by 1, 2`,
  );
  return queryRows<{ current: boolean; day: string; n: number }>(db, sql`select current, ${dayText} as day, sum(n)::int as n from (${perName}) x group by current, bucket`);
}

async function eventsToday(db: Db, workspaceId: string, timezone: string, now: Date): Promise<number> {
  const midnight = sql`date_trunc('day', ${ts(now)} at time zone ${timezone})`;
  const perName = eventsPerName(workspaceId, sql`(${midnight} at time zone ${timezone})`, ts(now), sql`count(*) as n`, sql``);
  const [row] = await queryRows<{ n: number }>(db, sql`select coalesce(sum(n), 0)::int as n from (${perName}) x`);
  return row?.n ?? 0;
}

// Test sends (to the team's own address) are left out: they say nothing about the audience.
async function messageFigures(db: Db, w: Window) {
  return queryRows<{ current: boolean; day: string; sent: number; delivered: number; opened: number; clicked: number }>(
    db,
    sql`select current, ${dayText} as day, sent, delivered, opened, clicked from (
          select sent_at >= ${ts(w.split)} as current, ${localDay(sql`sent_at`, w.timezone)} as bucket,
                 count(*)::int as sent,
                 count(*) filter (where status in (${statusList(deliveredStatuses)}) and channel in (${channelList(engagementChannels)}))::int as delivered,
                 count(opened_at)::int as opened,
                 count(clicked_at)::int as clicked
          from messages
          where workspace_id = ${w.workspaceId} and sent_at >= ${ts(w.since)} and sent_at < ${ts(w.until)}
            and status in (${statusList(sentStatuses)}) and source <> 'test'
          group by 1, 2
        ) x`,
  );
}

// One "unsubscribed" entry per message (lib/messages/unsubscribe.ts), dated when it happened.
async function unsubscribes(db: Db, w: Window) {
  return queryRows<{ current: boolean; n: number }>(
    db,
    sql`select at >= ${ts(w.split)} as current, count(*)::int as n
        from message_events
        where workspace_id = ${w.workspaceId} and type = 'unsubscribed' and at >= ${ts(w.since)} and at < ${ts(w.until)}
        group by 1`,
  );
}

// A broadcast's conversion event by the same contact within its window after the message was
// sent (as lib/broadcasts/stats.ts counts it), dated by the event. An order that follows two
// broadcasts counts once, for the later one (last touch), so the total is not inflated. From
// the events (events_name_time_idx) to the contact's messages (messages_contact_idx): going
// from a broadcast's messages instead would pair every message with every event.
async function attributedRevenue(db: Db, w: Window) {
  // The broadcasts whose windows can reach into the ranges (a day of slack for a message that
  // was on its way when the broadcast was finished or cancelled).
  const settings = await queryRows<{ id: string; conversion: ConversionSettings }>(
    db,
    sql`select id::text as id, conversion from broadcasts
        where workspace_id = ${w.workspaceId} and jsonb_typeof(conversion) = 'object' and started_at < ${ts(w.until)}
          and (finished_at is null or finished_at + case when jsonb_typeof(conversion -> 'windowHours') = 'number' then (conversion ->> 'windowHours')::numeric else 0 end * interval '1 hour' + interval '1 day' > ${ts(w.since)})`,
  );
  const tracked = settings.filter(({ conversion }) => typeof conversion.event === "string" && typeof conversion.revenueProperty === "string" && Number.isFinite(conversion.windowHours));
  if (tracked.length === 0) return [];
  // Looked up by the message's source_id: a join would let the planner start from every message of the broadcasts.
  const byBroadcast = JSON.stringify(Object.fromEntries(tracked.map(({ id, conversion }) => [id, { event: conversion.event, property: conversion.revenueProperty, hours: conversion.windowHours }])));
  const names = sql.join([...new Set(tracked.map(({ conversion }) => conversion.event))].map((name) => sql`${name}`), sql`, `);
  const value = sql`e.properties -> touch.property`;
  const rows = await queryRows<{ current: boolean; conversions: number; revenue: string | number | null }>(
    db,
    sql`select e.timestamp >= ${ts(w.split)} as current, count(*)::int as conversions,
               coalesce(sum(case when jsonb_typeof(${value}) = 'number' then (${value})::text::numeric
                                 when jsonb_typeof(${value}) = 'string' and (${value} #>> '{}') ~ '^-?[0-9]+(\\.[0-9]+)?$' then (${value} #>> '{}')::numeric
                                 else 0 end), 0) as revenue
        from events e
        cross join lateral (
          select sent.settings ->> 'property' as property
          from (
            select m.sent_at, ${byBroadcast}::jsonb -> m.source_id as settings from messages m
            where m.workspace_id = e.workspace_id and m.contact_id = e.contact_id and m.source = 'broadcast'
              and m.sent_at is not null and m.sent_at <= e.timestamp and m.status <> 'bounced'
          ) sent
          where sent.settings ->> 'event' = e.name and e.timestamp < sent.sent_at + (sent.settings ->> 'hours')::numeric * interval '1 hour'
          order by sent.sent_at desc
          limit 1
        ) touch
        where e.workspace_id = ${w.workspaceId} and e.name in (${names}) and e.timestamp >= ${ts(w.since)} and e.timestamp < ${ts(w.until)} and e.contact_id is not null
        group by 1`,
  );
  return rows.map((row) => ({ current: row.current, conversions: row.conversions, revenue: Number(row.revenue ?? 0) }));
}

// broadcasts_recent_idx for the five, messages_source_idx (workspace_id, source, source_id) for their counts.
async function latestBroadcasts(db: Db, workspaceId: string): Promise<RecentBroadcast[]> {
  const rows = await queryRows<{
    id: string;
    name: string;
    status: BroadcastStatus;
    channel: Channel;
    at: string | Date;
    sent: number;
    delivered: number;
    opened: number;
    clicked: number;
  }>(
    db,
    sql`select b.id, b.name, b.status, b.channel, coalesce(b.started_at, b.scheduled_at, b.created_at) as at,
               coalesce(s.sent, 0) as sent, coalesce(s.delivered, 0) as delivered, coalesce(s.opened, 0) as opened, coalesce(s.clicked, 0) as clicked
        from (select * from broadcasts where workspace_id = ${workspaceId} order by created_at desc, id desc limit 5) b
        left join lateral (
          select count(*) filter (where m.status in (${statusList(sentStatuses)}))::int as sent,
                 count(*) filter (where m.status in (${statusList(deliveredStatuses)}))::int as delivered,
                 count(m.opened_at)::int as opened,
                 count(m.clicked_at)::int as clicked
          from messages m
          where m.workspace_id = ${workspaceId} and m.source = 'broadcast' and m.source_id = b.id::text
        ) s on true
        order by b.created_at desc, b.id desc`,
  );
  return rows.map((row) => ({
    ...row,
    at: new Date(row.at),
    openRate: rate(row.opened, row.delivered),
    clickRate: rate(row.clicked, row.delivered),
  }));
}
