// Data for `npm run bench:segments`: contacts, events, attributes, tags and segment history,
// generated set-based inside Postgres (INSERT ... SELECT generate_series) as a deterministic
// function of the row number and a seed, so every run on every machine gets the same rows.
// Faster than streaming COPY from Node: no bytes cross the socket, no JSON parsing.
import postgres from "postgres";

export const benchWorkspaceId = "00000000-0000-4000-8000-00000000be5c";
/** The segment whose history `in_segment ... within_days` reads. */
export const benchSegmentId = "00000000-0000-4000-8000-0000000005e6";
/** Generated timestamps end here; the benchmark's "now", so windows select the same rows on every run. */
export const benchNow = new Date("2026-11-01T00:00:00Z");
export const dataVersion = "segments-v1";

export const benchAttributes: Array<[string, "string" | "number" | "boolean" | "date" | "list"]> = [
  ["plan", "string"],
  ["seats", "number"],
  ["vip", "boolean"],
  ["signup", "date"],
  ["interests", "list"],
];

export interface DataSpec {
  contacts: number;
  eventsPerContact: number;
  seed: number;
}

export function markerOf(spec: DataSpec): string {
  return `${dataVersion}:${spec.contacts}:${spec.eventsPerContact}:${spec.seed}`;
}

type Sql = postgres.Sql;

/** A uniform number in [0, 1) from (row, salt, seed): hashint8extended is stable across runs of one Postgres major. */
function rnd(row: string, salt: number, seed: number): string {
  return `((hashint8extended(${row}, ${seed * 1000 + salt}) & 2147483647)::float8 / 2147483648.0)`;
}

const anchor = `'${benchNow.toISOString()}'::timestamptz`;

async function contactsSql(sql: Sql, spec: DataSpec, from: number, to: number) {
  const r = (salt: number) => rnd("i", salt, spec.seed);
  await sql.unsafe(`
    insert into contacts (workspace_id, id, external_id, email, first_name, last_name, attributes, tags, score,
      lifecycle_stage, timezone, locale, created_at, updated_at, last_seen_at)
    select '${benchWorkspaceId}'::uuid, md5('bench-contact-' || i)::uuid, 'ext-' || i,
      'user' || i || '@' || (array['example.com','gmail.com','acme.io','qq.com','outlook.com'])[1 + i % 5],
      (array['Ada','Bo','Chen','Dana','Eli','Fei','Gus','Hana'])[1 + floor(${r(1)} * 8)::int],
      (array['Li','Smith','Wang','Garcia','Kim','Novak'])[1 + floor(${r(2)} * 6)::int],
      jsonb_strip_nulls(jsonb_build_object(
        'plan', (array['free','free','starter','pro','enterprise'])[1 + floor(${r(3)} * 5)::int],
        'seats', case when ${r(4)} < 0.9 then 1 + floor(power(${r(5)}, 3) * 500)::int end,
        'vip', ${r(6)} < 0.05,
        'signup', to_char(${anchor} - ${r(7)} * interval '1095 days', 'YYYY-MM-DD'),
        'interests', to_jsonb(array_remove(array[
          case when ${r(8)} < 0.3 then 'sports' end, case when ${r(9)} < 0.25 then 'music' end,
          case when ${r(10)} < 0.2 then 'travel' end, case when ${r(11)} < 0.15 then 'tech' end], null)))),
      array_remove(array[
        case when ${r(12)} < 0.4 then 'newsletter' end, case when ${r(13)} < 0.1 then 'beta' end,
        case when ${r(14)} < 0.05 then 'churn-risk' end, case when ${r(15)} < 0.02 then 'partner' end], null)::text[],
      floor(${r(16)} * 100)::int,
      (array['lead','mql','sql','customer'])[1 + floor(${r(17)} * 4)::int],
      'UTC', 'en',
      ${anchor} - ${r(18)} * interval '730 days', ${anchor},
      case when ${r(19)} < 0.7 then ${anchor} - ${r(20)} * interval '60 days' end
    from generate_series(${from}, ${to}) i`);
}

async function eventsSql(sql: Sql, spec: DataSpec, from: number, to: number) {
  const r = (salt: number) => rnd("j", salt, spec.seed);
  await sql.unsafe(`
    insert into events (workspace_id, message_id, type, name, contact_id, properties, timestamp, received_at, processed_at)
    select '${benchWorkspaceId}'::uuid, 'bench-' || j, 'track', name, md5('bench-contact-' || (1 + (hashint8extended(j, ${spec.seed}) & 2147483647) % ${spec.contacts}))::uuid,
      jsonb_strip_nulls(jsonb_build_object(
        'amount', case when name in ('Order Completed', 'Added to Cart') then round((5 + power(${r(31)}, 2) * 495)::numeric, 2) end,
        'plan', case when name = 'Signed Up' then (array['free','starter','pro','enterprise'])[1 + floor(${r(32)} * 4)::int] end,
        'category', case when name not in ('Signed Up', 'Email Opened', 'Email Clicked')
          then (array['shoes','books','garden','toys','electronics','kitchen'])[1 + floor(${r(33)} * 6)::int] end)),
      at, at, at
    from (select j, ${anchor} - ${r(34)} * interval '180 days' as at,
        case when ${r(35)} < 0.45 then 'Page Viewed' when ${r(35)} < 0.6 then 'Product Viewed'
          when ${r(35)} < 0.7 then 'Added to Cart' when ${r(35)} < 0.8 then 'Order Completed'
          when ${r(35)} < 0.83 then 'Signed Up' when ${r(35)} < 0.95 then 'Email Opened' else 'Email Clicked' end as name
      from generate_series(${from}::bigint, ${to}::bigint) j) g`);
}

async function membershipsSql(sql: Sql, spec: DataSpec) {
  const r = (salt: number) => rnd("i", salt, spec.seed);
  // A fifth of the contacts have been in the segment: half still are, half left at some point since.
  await sql.unsafe(`
    insert into segment_memberships (workspace_id, segment_id, contact_id, entered_at, exited_at)
    select '${benchWorkspaceId}'::uuid, '${benchSegmentId}'::uuid, md5('bench-contact-' || i)::uuid, entered,
      case when ${r(41)} >= 0.5 then entered + ${r(42)} * (${anchor} - entered) end
    from (select i, ${anchor} - ${r(43)} * interval '200 days' as entered from generate_series(1, ${spec.contacts}) i
      where ${r(40)} < 0.2) g`);
}

async function chunked(label: string, total: number, size: number, run: (from: number, to: number) => Promise<void>) {
  const started = performance.now();
  for (let from = 1; from <= total; from += size) {
    const to = Math.min(total, from + size - 1);
    await run(from, to);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`\r  ${label}: ${to.toLocaleString("en")} / ${total.toLocaleString("en")} (${seconds.toFixed(0)} s)   `);
  }
  process.stdout.write("\n");
}

/**
 * Fills a freshly migrated database. Secondary indexes are dropped during the load and built
 * afterwards (faster than maintaining them row by row); the primary keys stay.
 */
export async function generate(sql: Sql, spec: DataSpec) {
  const indexes = await sql<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = 'public' and i.tablename in ('contacts', 'events', 'segment_memberships')
      and not exists (select 1 from pg_constraint k where k.conname = i.indexname and k.contype = 'p')`;
  for (const index of indexes) await sql.unsafe(`drop index ${index.name}`);

  await sql`insert into workspaces (id, name, slug) values (${benchWorkspaceId}, 'Segments benchmark', 'bench-segments')`;
  for (const [key, type] of benchAttributes) {
    await sql`insert into attribute_definitions (workspace_id, key, type, declared) values (${benchWorkspaceId}, ${key}, ${type}, true)`;
  }
  await sql`insert into segments (workspace_id, id, name, kind) values (${benchWorkspaceId}, ${benchSegmentId}, 'Past buyers (bench)', 'static')`;

  const chunk = 250_000;
  await chunked("contacts", spec.contacts, chunk, (from, to) => contactsSql(sql, spec, from, to));
  await chunked("events", spec.contacts * spec.eventsPerContact, chunk * 4, (from, to) => eventsSql(sql, spec, from, to));
  await membershipsSql(sql, spec);

  const started = performance.now();
  for (const index of indexes) await sql.unsafe(index.definition);
  console.log(`  ${indexes.length} secondary indexes built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sql`vacuum analyze contacts`;
  await sql`vacuum analyze events`;
  await sql`vacuum analyze segment_memberships`;
}
