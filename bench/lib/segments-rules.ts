// The rules `npm run bench:segments` times, each with the query an expert would write by hand
// for it over the benchmark's clean data (plain ->> casts, joins, GROUP BY, EXISTS, the GIN
// index on tags). Each hand-written query counts the contacts the rule selects.
import { sql, type SQL } from "drizzle-orm";
import { benchSegmentId } from "./segments-data";

export interface BenchRule {
  name: string;
  rule: unknown;
  hand: (ws: string, now: Date) => SQL;
}

const dayMs = 86_400_000;
const since = (now: Date, days: number) => new Date(now.getTime() - days * dayMs).toISOString();

export const benchRules: BenchRule[] = [
  {
    name: "attribute + tag",
    rule: { and: [{ "==": [{ var: "attributes.plan" }, "pro"] }, { in: ["newsletter", { var: "tags" }] }] },
    hand: (ws) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and c.attributes ->> 'plan' = 'pro' and c.tags @> array['newsletter']`,
  },
  {
    name: "performed + where, 30 d",
    rule: { performed: { event: "Order Completed", where: { ">": [{ var: "properties.amount" }, 100] }, within_days: 30 } },
    hand: (ws, now) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and c.id in (select e.contact_id from events e
        where e.workspace_id = ${ws}::uuid and e.name = 'Order Completed' and e.timestamp >= ${since(now, 30)}::timestamptz
          and (e.properties ->> 'amount')::float8 > 100)`,
  },
  {
    name: "performed count >= 3, 60 d",
    rule: { performed: { event: "Page Viewed", within_days: 60, count: { ">=": 3 } } },
    hand: (ws, now) => sql`select count(*)::int as n from contacts c
      join (select e.contact_id from events e
        where e.workspace_id = ${ws}::uuid and e.name = 'Page Viewed' and e.timestamp >= ${since(now, 60)}::timestamptz
        group by e.contact_id having count(*) >= 3) x on x.contact_id = c.id
      where c.workspace_id = ${ws}::uuid`,
  },
  {
    name: "sum(amount) > 500, 90 d",
    rule: { ">": [{ aggregate: { event: "Order Completed", fn: "sum", property: "amount", within_days: 90 } }, 500] },
    hand: (ws, now) => sql`select count(*)::int as n from contacts c
      join (select e.contact_id from events e
        where e.workspace_id = ${ws}::uuid and e.name = 'Order Completed' and e.timestamp >= ${since(now, 90)}::timestamptz
        group by e.contact_id having sum((e.properties ->> 'amount')::float8) > 500) x on x.contact_id = c.id
      where c.workspace_id = ${ws}::uuid`,
  },
  {
    name: "in_segment within 30 d",
    rule: { in_segment: { segment: benchSegmentId, within_days: 30 } },
    hand: (ws, now) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and exists (select 1 from segment_memberships m
        where m.workspace_id = ${ws}::uuid and m.segment_id = ${benchSegmentId}::uuid and m.contact_id = c.id
          and m.entered_at <= ${now.toISOString()}::timestamptz and (m.exited_at is null or m.exited_at >= ${since(now, 30)}::timestamptz))`,
  },
  {
    // and > or > ! > and > or: five levels, mixing attributes, tags and an event.
    name: "nested and/or/! x5",
    rule: {
      and: [
        {
          or: [
            {
              "!": {
                and: [
                  { "==": [{ var: "attributes.vip" }, true] },
                  { or: [{ "<": [{ var: "attributes.seats" }, 10] }, { performed: { event: "Email Clicked", within_days: 30 } }] },
                ],
              },
            },
            { in: ["beta", { var: "tags" }] },
          ],
        },
        { "!=": [{ var: "attributes.plan" }, "free"] },
      ],
    },
    hand: (ws, now) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and c.attributes ->> 'plan' <> 'free'
        and (not ((c.attributes ->> 'vip')::boolean is true
              and ((c.attributes ->> 'seats')::float8 < 10 is true
                or c.id in (select e.contact_id from events e where e.workspace_id = ${ws}::uuid
                  and e.name = 'Email Clicked' and e.timestamp >= ${since(now, 30)}::timestamptz)))
          or c.tags @> array['beta'])`,
  },
  {
    name: "date < days_ago(365) + seen 14 d",
    rule: {
      and: [{ "<": [{ var: "attributes.signup" }, { days_ago: 365 }] }, { ">=": [{ var: "last_seen_at" }, { days_ago: 14 }] }],
    },
    hand: (ws, now) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and (c.attributes ->> 'signup')::timestamp at time zone 'UTC' < ${since(now, 365)}::timestamptz
        and c.last_seen_at >= ${since(now, 14)}::timestamptz`,
  },
  {
    name: "substring on email",
    rule: { in: ["@acme.io", { var: "email" }] },
    hand: (ws) => sql`select count(*)::int as n from contacts c where c.workspace_id = ${ws}::uuid and c.email like '%@acme.io%'`,
  },
  {
    name: "attribute in list",
    rule: { in: [{ var: "attributes.plan" }, ["pro", "enterprise"]] },
    hand: (ws) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and c.attributes ->> 'plan' in ('pro', 'enterprise')`,
  },
  {
    name: "list attribute has item",
    rule: { and: [{ in: ["travel", { var: "attributes.interests" }] }, { ">=": [{ var: "attributes.seats" }, 20] }] },
    hand: (ws) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and c.attributes -> 'interests' @> '["travel"]' and (c.attributes ->> 'seats')::float8 >= 20`,
  },
  {
    name: "never ordered, 180 d",
    rule: { and: [{ ">=": [{ var: "attributes.seats" }, 50] }, { "!": { performed: { event: "Order Completed", within_days: 180 } } }] },
    hand: (ws, now) => sql`select count(*)::int as n from contacts c
      where c.workspace_id = ${ws}::uuid and (c.attributes ->> 'seats')::float8 >= 50
        and not exists (select 1 from events e where e.workspace_id = ${ws}::uuid and e.contact_id = c.id
          and e.name = 'Order Completed' and e.timestamp >= ${since(now, 180)}::timestamptz)`,
  },
];
