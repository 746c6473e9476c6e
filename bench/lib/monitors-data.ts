// Shared by bench/monitors.ts: the contacts, the events (deterministic in the seed), the 20
// monitors and the 10 scoring rules.
import type postgres from "postgres";
import type { z } from "zod";
import { monitorExamples, type monitorInput } from "@/lib/monitors/schema";
import type { scoringRuleInput } from "@/lib/scoring/schema";

/** Events lie in the two weeks from this Monday (UTC), so calendar windows and counts are the same in every run. */
export const firstDay = Date.UTC(2026, 10, 2);
export const days = 14;
const minute = 60_000;

/** mulberry32: small, fast and the same everywhere. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, weighted: Array<[T, number]>): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = next() * total;
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

export const attributeTypes = { plan: "string", seats: "number", job_title: "string", country: "string" } as const;

/**
 * Contacts u-1 … u-N with their user_id and email identities, as if their identify calls had
 * been processed: attributes plan (three in four "pro"), seats, job_title (one in eight a VP)
 * and country.
 */
export async function seedContacts(sql: postgres.Sql, workspaceId: string, count: number): Promise<void> {
  await sql`
    insert into contacts (workspace_id, external_id, email, first_name, attributes, last_seen_at)
    select ${workspaceId}, 'u-' || i, 'person' || i || '@example.com', 'First' || i,
           jsonb_build_object(
             'plan', case when i % 4 = 0 then 'free' else 'pro' end,
             'seats', i % 50,
             'job_title', (array['VP Marketing', 'Engineer', 'Designer', 'Head of Sales', 'Analyst', 'Founder', 'Student', 'Manager'])[1 + i % 8],
             'country', (array['CN', 'US', 'DE', 'JP', 'CN', 'SG'])[1 + i % 6]),
           ${new Date(firstDay).toISOString()}::timestamptz
    from generate_series(1, ${count}::int) as i`;
  await sql`
    insert into contact_identities (workspace_id, kind, value, contact_id)
    select workspace_id, 'user_id'::identity_kind, external_id, id from contacts where workspace_id = ${workspaceId}
    union all
    select workspace_id, 'email'::identity_kind, email, id from contacts where workspace_id = ${workspaceId}`;
}

/**
 * Processed history: `perContact` events per contact in the 30 days before the benchmark's
 * weeks, of names no monitor or scoring rule watches ("Email Opened", "App Opened"), stored as
 * event.process leaves them (contact set, processed). A workspace in use has it, and the
 * planner's statistics then describe processed events (see docs/benchmarks.md for what
 * happens without it).
 */
export async function seedHistory(sql: postgres.Sql, workspaceId: string, perContact: number): Promise<number> {
  if (perContact <= 0) return 0;
  const rows = await sql`
    insert into events (workspace_id, message_id, type, name, contact_id, user_id, properties, timestamp, received_at, processed_at)
    select c.workspace_id, 'history-' || c.external_id || '-' || n, 'track', case when n % 3 = 0 then 'App Opened' else 'Email Opened' end,
           c.id, c.external_id, jsonb_build_object('n', n),
           ${new Date(firstDay).toISOString()}::timestamptz - (n * 2 + 1) * interval '1 day' - (hashtext(c.external_id) & 1023) * interval '1 minute',
           ${new Date(firstDay).toISOString()}::timestamptz, ${new Date(firstDay).toISOString()}::timestamptz
    from contacts c cross join generate_series(1, ${perContact}::int) as n
    where c.workspace_id = ${workspaceId}
    returning 1`;
  return rows.length;
}

const paths: Array<[string, number]> = [
  ["/", 25],
  ["/features", 15],
  ["/pricing", 12],
  ["/docs/start", 10],
  ["/docs/api", 8],
  ["/blog/launch", 8],
  ["/blog/tips", 7],
  ["/careers", 10],
  ["/contact", 5],
];
const categories = ["shoes", "bags", "pro", "kids", "home"];

function properties(next: () => number, name: string): Record<string, unknown> {
  switch (name) {
    case "Page Viewed":
      return { path: pick(next, paths), referrer: next() < 0.3 ? "https://www.google.com/" : "" };
    case "Product Viewed": {
      const product = 1 + Math.floor(next() * 40);
      return { product_id: `p-${product}`, category: categories[product % categories.length], price: 10 + (product % 12) * 20 };
    }
    case "Added to Cart": {
      const product = 1 + Math.floor(next() * 40);
      return { product_id: `p-${product}`, price: 10 + (product % 12) * 20, quantity: 1 + Math.floor(next() * 2) };
    }
    case "Order Completed":
      return { order_id: `o-${Math.floor(next() * 1e9)}`, revenue: Math.round((20 + next() * 380) * 100) / 100, currency: next() < 0.7 ? "CNY" : "USD" };
    case "Signed In":
      return { method: next() < 0.8 ? "password" : "sso" };
    case "Searched":
      return { query: pick(next, [["shoes", 3], ["bag", 2], ["gift", 1], ["pro plan", 1]]) };
    default:
      return { video_id: `v-${Math.floor(next() * 20)}` };
  }
}

/** What a visit does after it starts (a visit may start by signing in). */
const visitNames: Array<[string, number]> = [
  ["Page Viewed", 45],
  ["Product Viewed", 22],
  ["Searched", 10],
  ["Added to Cart", 9],
  ["Order Completed", 7],
  ["Video Played", 7],
];

export interface BenchCall {
  type: "track" | "page";
  userId: string;
  event?: string;
  properties: Record<string, unknown>;
  timestamp: string;
}

/**
 * `count` calls of known contacts in time order: visits of 1-8 calls a few minutes apart, at a
 * random moment of the two weeks, by a contact drawn with a skew (contact i with probability
 * ∝ 1/sqrt(i): the most active tenth makes about a third of the calls).
 */
export function makeCalls(count: number, contacts: number, seed: number): BenchCall[] {
  const next = random(seed);
  const calls: Array<BenchCall & { at: number }> = [];
  while (calls.length < count) {
    const contact = 1 + Math.floor(contacts * next() ** 2);
    let at = firstDay + Math.floor(next() * (days * 24 * 60 - 60)) * minute + Math.floor(next() * minute);
    const length = 1 + Math.floor(next() * 8);
    for (let step = 0; step < length && calls.length < count; step++) {
      const name = step === 0 && next() < 0.5 ? "Signed In" : pick(next, visitNames);
      const call: BenchCall & { at: number } =
        name === "Page Viewed"
          ? { type: "page", userId: `u-${contact}`, properties: properties(next, name), timestamp: "", at }
          : { type: "track", userId: `u-${contact}`, event: name, properties: properties(next, name), timestamp: "", at };
      calls.push(call);
      at += 30_000 + Math.floor(next() * 270_000);
    }
  }
  calls.sort((a, b) => a.at - b.at);
  return calls.map(({ at, ...call }) => ({ ...call, timestamp: new Date(at).toISOString() }));
}

type MonitorSpec = z.input<typeof monitorInput>;

const rolling = (amount: number, unit: "minutes" | "hours" | "days") => ({ kind: "rolling", amount, unit }) as const;
const calendar = (unit: "day" | "week" | "month") => ({ kind: "calendar", unit }) as const;
const lifetime = { kind: "lifetime" } as const;
const oncePerWindow = { kind: "once_per_window" } as const;
const once = { kind: "once" } as const;
const atMost = (count: number) => ({ kind: "at_most", count }) as const;
const points = (amount: number, expiresInDays?: number) => ({ type: "points", amount, ...(expiresInDays ? { expiresInDays } : {}) }) as const;
const tag = (name: string) => ({ type: "tag", tag: name }) as const;
const event = { type: "event" } as const;
const path = (op: "==" | "in", value: string) => (op === "==" ? { "==": [{ var: "properties.path" }, value] } : { in: [value, { var: "properties.path" }] });

/** 20 monitors: counts, sums, distinct values and $day streaks; rolling, calendar and lifetime windows; 6 with a `where`. */
export const monitorSpecs: MonitorSpec[] = [
  { ...monitorExamples.repeat_buyer, actions: [...monitorExamples.repeat_buyer.actions] },
  { ...monitorExamples.first_big_order, actions: [...monitorExamples.first_big_order.actions] },
  { ...monitorExamples.login_streak, actions: [...monitorExamples.login_streak.actions] },
  { name: "Spent 500 in 30 days", event: "Order Completed", statistic: "sum", property: "revenue", threshold: 500, window: rolling(30, "days"), limit: oncePerWindow, actions: [points(1000), event] },
  { name: "Spent 300 this month", event: "Order Completed", statistic: "sum", property: "revenue", threshold: 300, window: calendar("month"), limit: oncePerWindow, actions: [points(300, 90)] },
  {
    name: "Two CNY orders over 150 in 90 days",
    event: "Order Completed",
    where: { and: [{ ">=": [{ var: "properties.revenue" }, 150] }, { "==": [{ var: "properties.currency" }, "CNY"] }] },
    statistic: "count",
    threshold: 2,
    window: rolling(90, "days"),
    limit: atMost(3),
    actions: [points(200), event],
  },
  { name: "Two orders this week", event: "Order Completed", statistic: "count", threshold: 2, window: calendar("week"), limit: oncePerWindow, actions: [tag("weekly-buyer")] },
  { name: "Pricing 3 times in 7 days", event: "Page Viewed", where: path("==", "/pricing"), statistic: "count", threshold: 3, window: rolling(7, "days"), limit: atMost(3), actions: [tag("pricing-interest"), event] },
  { name: "Docs 5 times in 24 hours", event: "Page Viewed", where: path("in", "/docs"), statistic: "count", threshold: 5, window: rolling(24, "hours"), limit: oncePerWindow, actions: [points(20)] },
  { name: "10 pages in a day", event: "Page Viewed", statistic: "count", threshold: 10, window: calendar("day"), limit: oncePerWindow, actions: [points(10)] },
  { name: "Visits on 3 days a week", event: "Page Viewed", statistic: "distinct", property: "$day", threshold: 3, window: calendar("week"), limit: oncePerWindow, actions: [points(30)] },
  { name: "5 pages in an hour", event: "Page Viewed", statistic: "count", threshold: 5, window: rolling(60, "minutes"), limit: atMost(20), actions: [event] },
  { name: "Blog fan", event: "Page Viewed", where: path("in", "/blog"), statistic: "count", threshold: 3, window: lifetime, limit: once, actions: [tag("blog-fan")] },
  { name: "5 products in 7 days", event: "Product Viewed", statistic: "distinct", property: "product_id", threshold: 5, window: rolling(7, "days"), limit: oncePerWindow, actions: [tag("browser")] },
  { name: "3 categories this week", event: "Product Viewed", statistic: "distinct", property: "category", threshold: 3, window: calendar("week"), limit: oncePerWindow, actions: [points(15)] },
  { name: "Cart 3 times in 48 hours", event: "Added to Cart", statistic: "count", threshold: 3, window: rolling(48, "hours"), limit: atMost(5), actions: [event] },
  { name: "Cart worth 300 in a day", event: "Added to Cart", statistic: "sum", property: "price", threshold: 300, window: calendar("day"), limit: oncePerWindow, actions: [tag("big-cart")] },
  { name: "Signed in 20 times", event: "Signed In", statistic: "count", threshold: 20, window: lifetime, limit: once, actions: [points(100)] },
  { name: "3-day sign-in streak", event: "Signed In", where: { "==": [{ var: "properties.method" }, "password"] }, statistic: "distinct", property: "$day", threshold: 3, window: rolling(3, "days"), limit: atMost(10), actions: [points(5)] },
  { name: "5 searches in 7 days", event: "Searched", statistic: "count", threshold: 5, window: rolling(7, "days"), limit: oncePerWindow, actions: [tag("searcher")] },
];

/** 4 fit rules (attributes) and 6 engagement rules (events, 5 with a cap, 2 with a `where`). */
export const scoringSpecs: Array<z.input<typeof scoringRuleInput>> = [
  { kind: "attribute", name: "Pro plan", rule: { "==": [{ var: "attributes.plan" }, "pro"] }, points: 10 },
  { kind: "attribute", name: "20 seats or more", rule: { ">=": [{ var: "attributes.seats" }, 20] }, points: 15 },
  { kind: "attribute", name: "VP title", rule: { in: ["VP", { var: "attributes.job_title" }] }, points: 20 },
  { kind: "attribute", name: "Home markets", rule: { in: [{ var: "attributes.country" }, ["CN", "US"]] }, points: 5 },
  { kind: "behaviour", name: "Visited pricing", event: "Page Viewed", where: path("==", "/pricing"), points: 10, cap: { count: 3, per: "week" } },
  { kind: "behaviour", name: "Page view", event: "Page Viewed", points: 1, cap: { count: 10, per: "day" } },
  { kind: "behaviour", name: "Signed in", event: "Signed In", points: 2, cap: { count: 1, per: "day" } },
  { kind: "behaviour", name: "Ordered", event: "Order Completed", points: 25 },
  { kind: "behaviour", name: "Added to cart", event: "Added to Cart", points: 5, cap: { count: 5, per: "week" } },
  { kind: "behaviour", name: "Viewed a pro product", event: "Product Viewed", where: { "==": [{ var: "properties.category" }, "pro"] }, points: 3, cap: { count: 10, per: "month" } },
];
