import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { Broadcast, MessageStatus } from "@/db/schema";
import { twoProportionTest } from "./significance";

// What a broadcast did, read from its messages (source = broadcast, source_id = its id). Opens
// and clicks are human ones: bot hits never set opened_at / clicked_at. "Sent" counts every
// message a channel took (bounced ones too); "delivered" is sent minus bounced.

const sentStatuses: MessageStatus[] = ["sent", "delivered", "opened", "clicked", "bounced", "complained"];
const deliveredStatuses: MessageStatus[] = ["sent", "delivered", "opened", "clicked", "complained"];

export interface Counts {
  recipients: number;
  queued: number;
  suppressed: number;
  failed: number;
  cancelled: number;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  opened: number;
  clicked: number;
}

const emptyCounts = (): Counts => ({ recipients: 0, queued: 0, suppressed: 0, failed: 0, cancelled: 0, sent: 0, delivered: 0, bounced: 0, complained: 0, opened: 0, clicked: 0 });

function add(counts: Counts, status: MessageStatus, n: number, opened: number, clicked: number) {
  counts.recipients += n;
  if (status === "queued" || status === "sending") counts.queued += n;
  if (status === "suppressed") counts.suppressed += n;
  if (status === "failed") counts.failed += n;
  if (status === "cancelled") counts.cancelled += n;
  if (sentStatuses.includes(status)) counts.sent += n;
  if (deliveredStatuses.includes(status)) counts.delivered += n;
  if (status === "bounced") counts.bounced += n;
  if (status === "complained") counts.complained += n;
  counts.opened += opened;
  counts.clicked += clicked;
}

/** Message counts by variant ("" without A/B), optionally only the test phase's recipients. */
async function countsByVariant(db: Db, broadcast: Broadcast, options: { testOnly?: boolean } = {}): Promise<Map<string, Counts>> {
  const testOnly = options.testOnly
    ? sql`and m.contact_id in (select contact_id from broadcast_recipients where workspace_id = ${broadcast.workspaceId} and broadcast_id = ${broadcast.id} and phase = 'test')`
    : sql``;
  const rows = await queryRows<{ variant: string | null; status: MessageStatus; n: number; opened: number; clicked: number }>(
    db,
    sql`select m.variant, m.status, count(*)::int as n, count(m.opened_at)::int as opened, count(m.clicked_at)::int as clicked
        from messages m
        where m.workspace_id = ${broadcast.workspaceId} and m.source = 'broadcast' and m.source_id = ${broadcast.id} ${testOnly}
        group by m.variant, m.status`,
  );
  const byVariant = new Map<string, Counts>();
  for (const row of rows) {
    const key = row.variant ?? "";
    const counts = byVariant.get(key) ?? emptyCounts();
    add(counts, row.status, row.n, row.opened, row.clicked);
    byVariant.set(key, counts);
  }
  return byVariant;
}

/** Converted contacts and revenue by variant: conversion events within the window after each delivered message. */
async function conversionsByVariant(db: Db, broadcast: Broadcast, options: { testOnly?: boolean } = {}): Promise<Map<string, { converted: number; revenue: number }>> {
  const result = new Map<string, { converted: number; revenue: number }>();
  const conversion = broadcast.conversion;
  if (!conversion) return result;
  const testOnly = options.testOnly
    ? sql`and m.contact_id in (select contact_id from broadcast_recipients where workspace_id = ${broadcast.workspaceId} and broadcast_id = ${broadcast.id} and phase = 'test')`
    : sql``;
  const value = sql`e.properties -> ${conversion.revenueProperty}`;
  const rows = await queryRows<{ variant: string | null; converted: number; revenue: string | number | null }>(
    db,
    sql`select m.variant, count(distinct m.contact_id)::int as converted,
               coalesce(sum(case when jsonb_typeof(${value}) = 'number' then (${value})::text::numeric
                                 when jsonb_typeof(${value}) = 'string' and (${value} #>> '{}') ~ '^-?[0-9]+(\\.[0-9]+)?$' then (${value} #>> '{}')::numeric
                                 else 0 end), 0) as revenue
        from messages m
        join events e on e.workspace_id = m.workspace_id and e.contact_id = m.contact_id and e.name = ${conversion.event}
                     and e.timestamp >= m.sent_at and e.timestamp < m.sent_at + ${conversion.windowHours} * interval '1 hour'
        where m.workspace_id = ${broadcast.workspaceId} and m.source = 'broadcast' and m.source_id = ${broadcast.id}
          and m.sent_at is not null and m.status <> 'bounced' ${testOnly}
        group by m.variant`,
  );
  for (const row of rows) result.set(row.variant ?? "", { converted: row.converted, revenue: Number(row.revenue ?? 0) });
  return result;
}

export interface Progress {
  /** Recipients in the snapshot (null before sending starts). */
  total: number | null;
  /** Recipients queued as messages so far. */
  fannedOut: number;
  queued: number;
  sent: number;
  suppressed: number;
  failed: number;
  cancelled: number;
}

/** The live bar: how many of the audience are waiting, sent, suppressed or failed. */
export async function broadcastProgress(db: Db, broadcast: Broadcast): Promise<Progress> {
  const total = emptyCounts();
  for (const counts of (await countsByVariant(db, broadcast)).values()) {
    for (const key of Object.keys(total) as Array<keyof Counts>) total[key] += counts[key];
  }
  const notYetQueued = Math.max(0, (broadcast.recipientCount ?? 0) - total.recipients);
  return {
    total: broadcast.recipientCount,
    fannedOut: total.recipients,
    queued: total.queued + (broadcast.status === "cancelled" ? 0 : notYetQueued),
    sent: total.sent,
    suppressed: total.suppressed,
    failed: total.failed,
    cancelled: total.cancelled + (broadcast.status === "cancelled" ? notYetQueued : 0),
  };
}

export interface VariantResult extends Counts {
  key: string;
  converted: number;
  revenue: number;
  openRate: number;
  clickRate: number;
  conversionRate: number;
  /** Against the best variant on the broadcast's metric (null for the best one itself). */
  test: { against: string; pValue: number; significant: boolean } | null;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export interface BroadcastStats {
  progress: Progress;
  totals: Counts & { converted: number; revenue: number; unsubscribed: number };
  rates: { deliveredOfSent: number; openOfDelivered: number; clickOfDelivered: number; clickOfOpened: number; conversionOfDelivered: number; bounceOfSent: number; unsubscribeOfDelivered: number };
  variants: VariantResult[];
  topLinks: Array<{ url: string; clicks: number; uniqueClicks: number }>;
  /** Unique human opens and clicks by hour since sending started. */
  timeline: Array<{ at: string; opens: number; clicks: number }>;
}

export function variantResults(counts: Map<string, Counts>, conversions: Map<string, { converted: number; revenue: number }>, metric: "opens" | "clicks" | "conversion"): VariantResult[] {
  const results = [...counts.entries()]
    .filter(([key]) => key !== "")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, c]): VariantResult => {
      const conv = conversions.get(key) ?? { converted: 0, revenue: 0 };
      return {
        key,
        ...c,
        ...conv,
        openRate: rate(c.opened, c.delivered),
        clickRate: rate(c.clicked, c.delivered),
        conversionRate: rate(conv.converted, c.delivered),
        test: null,
      };
    });
  const successes = (variant: VariantResult) => (metric === "opens" ? variant.opened : metric === "clicks" ? variant.clicked : variant.converted);
  const best = [...results].sort((a, b) => rate(successes(b), b.delivered) - rate(successes(a), a.delivered) || a.key.localeCompare(b.key))[0];
  for (const variant of results) {
    if (!best || variant === best) continue;
    const test = twoProportionTest(successes(best), best.delivered, successes(variant), variant.delivered);
    variant.test = test ? { against: best.key, pValue: test.pValue, significant: test.significant } : null;
  }
  return results;
}

export async function variantStandings(db: Db, broadcast: Broadcast, options: { testOnly?: boolean } = {}) {
  const counts = await countsByVariant(db, broadcast, options);
  const conversions = await conversionsByVariant(db, broadcast, options);
  return variantResults(counts, conversions, broadcast.abTest?.metric ?? "clicks");
}

export async function broadcastStats(db: Db, broadcast: Broadcast): Promise<BroadcastStats> {
  const { workspaceId, id } = broadcast;
  const counts = await countsByVariant(db, broadcast);
  const conversions = await conversionsByVariant(db, broadcast);
  const totals = { ...emptyCounts(), converted: 0, revenue: 0, unsubscribed: 0 };
  for (const c of counts.values()) for (const key of Object.keys(c) as Array<keyof Counts>) totals[key] += c[key];
  for (const c of conversions.values()) {
    totals.converted += c.converted;
    totals.revenue += c.revenue;
  }
  const ofBroadcast = sql`select m.id from messages m where m.workspace_id = ${workspaceId} and m.source = 'broadcast' and m.source_id = ${id}`;
  const [unsubscribed] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct e.message_id)::int as n from message_events e
        where e.workspace_id = ${workspaceId} and e.type = 'unsubscribed' and e.message_id in (${ofBroadcast})`,
  );
  totals.unsubscribed = unsubscribed?.n ?? 0;
  const topLinks = await queryRows<{ url: string; clicks: number; unique_clicks: number }>(
    db,
    sql`select e.details->>'url' as url, count(*)::int as clicks, count(distinct e.message_id)::int as unique_clicks
        from message_events e
        where e.workspace_id = ${workspaceId} and e.type = 'clicked' and not e.bot and e.message_id in (${ofBroadcast})
        group by 1 order by 2 desc, 1 limit 10`,
  );
  const timeline = await queryRows<{ at: string | Date; opens: number; clicks: number }>(
    db,
    sql`select hour as at, sum(opens)::int as opens, sum(clicks)::int as clicks from (
          select date_trunc('hour', opened_at) as hour, 1 as opens, 0 as clicks from messages
          where workspace_id = ${workspaceId} and source = 'broadcast' and source_id = ${id} and opened_at is not null
          union all
          select date_trunc('hour', clicked_at), 0, 1 from messages
          where workspace_id = ${workspaceId} and source = 'broadcast' and source_id = ${id} and clicked_at is not null
        ) hits group by hour order by hour`,
  );
  return {
    progress: await broadcastProgress(db, broadcast),
    totals,
    rates: {
      deliveredOfSent: rate(totals.delivered, totals.sent),
      openOfDelivered: rate(totals.opened, totals.delivered),
      clickOfDelivered: rate(totals.clicked, totals.delivered),
      clickOfOpened: rate(totals.clicked, totals.opened),
      conversionOfDelivered: rate(totals.converted, totals.delivered),
      bounceOfSent: rate(totals.bounced, totals.sent),
      unsubscribeOfDelivered: rate(totals.unsubscribed, totals.delivered),
    },
    variants: variantResults(counts, conversions, broadcast.abTest?.metric ?? "clicks"),
    topLinks: topLinks.map((row) => ({ url: row.url, clicks: row.clicks, uniqueClicks: row.unique_clicks })),
    timeline: timeline.map((row) => ({ at: new Date(row.at).toISOString(), opens: row.opens, clicks: row.clicks })),
  };
}
