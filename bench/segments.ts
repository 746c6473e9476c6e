// npm run bench:segments — segment compute on Postgres: for each rule in bench/lib/segments-rules.ts,
// the compiled SQL (lib/segments/compile.ts, mode "set", what a full recompute runs) against
// the query an expert would write by hand (baseline, same run, same database), the reference
// evaluator (lib/segments/evaluate.ts) over loaded contacts scaled to the whole workspace, and
// the single-contact check (mode "contacts") that runs when an event arrives.
//
// Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; the benchmark
// creates and fills its own database next to it), BENCH_CONTACTS (default 1,000,000; 10 events
// each), BENCH_SEED, BENCH_DB_NAME (default tideline_bench_segments), BENCH_SAMPLE (contacts
// loaded for the evaluator, default 2,000), BENCH_ROUNDS (compiled/by-hand alternations, median
// taken, default 5), BENCH_EXPLAIN=all|<rule number> to print
// EXPLAIN (ANALYZE, BUFFERS) of both queries. Exits non-zero on errors and disagreeing counts,
// never on a missed target.
import os from "node:os";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { AttributeType } from "@/db/schema";
import { matchingContactsQuery } from "@/lib/segments/compile";
import { evaluateRule, type LoadedContact } from "@/lib/segments/evaluate";
import { validateRule } from "@/lib/segments/validate";
import { benchAttributes, benchNow, benchSegmentId, benchWorkspaceId, generate, markerOf, type DataSpec } from "./lib/segments-data";
import { benchRules } from "./lib/segments-rules";

const baseUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = process.env.BENCH_DB_NAME || "tideline_bench_segments";
const spec: DataSpec = { contacts: Number(process.env.BENCH_CONTACTS || 1_000_000), eventsPerContact: 10, seed: Number(process.env.BENCH_SEED || 1) };
const sampleSize = Number(process.env.BENCH_SAMPLE || 2_000);
const explain = process.env.BENCH_EXPLAIN;
// Compiled and hand-written queries alternate this many times; the medians are compared.
const rounds = Number(process.env.BENCH_ROUNDS || 5);
const ws = benchWorkspaceId;
const now = benchNow;

function urlFor(name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Creates, migrates and fills the benchmark database unless it already holds this data set. */
async function prepare(): Promise<void> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${dbName}`;
    if (exists) {
      const probe = postgres(urlFor(dbName), { max: 1, onnotice: () => {} });
      const marker = await probe`select obj_description('public.contacts'::regclass) as marker`.catch(() => [{ marker: null }]);
      await probe.end();
      if (marker[0]?.marker === markerOf(spec)) {
        console.log(`Data: reusing ${dbName} (${markerOf(spec)})`);
        return;
      }
      await admin.unsafe(`drop database ${dbName} with (force)`);
    }
    await admin.unsafe(`create database ${dbName}`);
    // A runaway query must not hold the shared machine for long.
    await admin.unsafe(`alter database ${dbName} set statement_timeout = '180s'`);
  } finally {
    await admin.end();
  }
  const migrated = await openDatabase({ url: urlFor(dbName) });
  await migrated.close();
  const client = postgres(urlFor(dbName), { max: 1, onnotice: () => {} });
  try {
    console.log(`Data: generating ${spec.contacts.toLocaleString("en")} contacts, ${(spec.contacts * spec.eventsPerContact).toLocaleString("en")} events into ${dbName}`);
    const { ms } = await timed(() => generate(client, spec));
    // The marker is written last: an interrupted load is regenerated on the next run.
    await client.unsafe(`comment on table contacts is '${markerOf(spec)}'`);
    console.log(`Data: generated in ${(ms / 1000).toFixed(1)} s (including index builds and VACUUM ANALYZE)`);
  } finally {
    await client.end();
  }
}

async function loadSample(client: postgres.Sql, ids: string[]): Promise<LoadedContact[]> {
  const rows = await client`select * from contacts where workspace_id = ${ws} and id = any(${ids}::uuid[])`;
  const events = await client`select contact_id, name, properties, timestamp from events
    where workspace_id = ${ws} and contact_id = any(${ids}::uuid[])`;
  const memberships = await client`select contact_id, segment_id, entered_at, exited_at from segment_memberships
    where workspace_id = ${ws} and contact_id = any(${ids}::uuid[])`;
  const byId = new Map<string, LoadedContact>();
  for (const row of rows) {
    byId.set(row.id, {
      fields: {
        email: row.email, phone: row.phone, first_name: row.first_name, last_name: row.last_name, external_id: row.external_id,
        lifecycle_stage: row.lifecycle_stage, timezone: row.timezone, locale: row.locale,
        created_at: row.created_at, last_seen_at: row.last_seen_at, score: row.score,
      },
      attributes: row.attributes,
      tags: row.tags,
      events: [],
      memberships: [],
    });
  }
  for (const event of events) byId.get(event.contact_id)?.events.push({ name: event.name, properties: event.properties, timestamp: event.timestamp });
  for (const m of memberships) byId.get(m.contact_id)?.memberships.push({ segmentId: m.segment_id, enteredAt: m.entered_at, exitedAt: m.exited_at });
  // Aligned with ids: every sampled id is a contact of the workspace.
  return ids.map((id) => byId.get(id)!);
}

async function printPlan(db: Awaited<ReturnType<typeof openDatabase>>["db"], label: string, query: SQL) {
  const rows = await queryRows<Record<string, string>>(db, sql`explain (analyze, buffers) ${query}`);
  console.log(`\n--- ${label}\n${rows.map((row) => Object.values(row)[0]).join("\n")}`);
}

interface Row {
  name: string;
  compiledMs: number;
  handMs: number;
  matches: number;
  evaluatorMs: number;
  singleMs: number;
  problems: string[];
}

async function main() {
  const [cpu] = os.cpus();
  console.log(`Machine: ${os.cpus().length} cores (${cpu?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  await prepare();
  const database = await openDatabase({ url: urlFor(dbName), migrate: false });
  const client = postgres(urlFor(dbName), { max: 1, onnotice: () => {} });
  const rows: Row[] = [];
  let failed = false;
  try {
    const [{ version }] = await client`select current_setting('server_version') as version`;
    const [{ n: total }] = await client`select count(*)::int as n from contacts where workspace_id = ${ws}`;
    console.log(`PostgreSQL ${version}; ${total.toLocaleString("en")} contacts; now = ${now.toISOString()}; evaluator sample ${sampleSize}`);

    const attributes = new Map(benchAttributes as Array<[string, AttributeType]>);
    const context = { attributes, segments: new Map<string, unknown>([[benchSegmentId, null]]) };
    // md5 ids are in random order: the first ids are a random, repeatable sample.
    const sampleIds = (await client`select id from contacts where workspace_id = ${ws} order by id limit ${sampleSize}`).map((r) => r.id as string);
    const singleIds = (await client`select id from contacts where workspace_id = ${ws} order by md5(id::text) limit 50`).map((r) => r.id as string);
    // Loading is timed three times (median), for the "with loading" figure: what evaluating
    // outside the database would cost, the rows fetched by id as an app would for a batch.
    const loads = [await timed(() => loadSample(client, sampleIds)), await timed(() => loadSample(client, sampleIds)), await timed(() => loadSample(client, sampleIds))];
    const sample = loads[0].value;
    const loadMs = median(loads.map((load) => load.ms));
    loadScaledMs = (loadMs / sample.length) * total;
    console.log(
      `Loaded ${sample.length} contacts with ${sample.reduce((n, c) => n + c.events.length, 0).toLocaleString("en")} events for the evaluator in ${loadMs.toFixed(0)} ms ` +
        `(median of 3; ${ms(loadScaledMs)} scaled to ${total.toLocaleString("en")} contacts, counted only in "+ loading")\n`,
    );

    for (const [index, bench] of benchRules.entries()) {
      const row: Row = { name: bench.name, compiledMs: NaN, handMs: NaN, matches: NaN, evaluatorMs: NaN, singleMs: NaN, problems: [] };
      rows.push(row);
      try {
        const checked = validateRule(bench.rule, context);
        if (!checked.ok) throw new Error(`invalid rule: ${JSON.stringify(checked.problems)}`);
        const compiled = sql`select count(*)::int as n from (${matchingContactsQuery(checked.condition, { workspaceId: ws, now, mode: "set" })}) q`;
        const hand = bench.hand(ws, now);
        if (explain === "all" || explain === String(index + 1)) {
          await printPlan(database.db, `${index + 1}. ${bench.name}: compiled`, compiled);
          await printPlan(database.db, `${index + 1}. ${bench.name}: hand-written`, hand);
        }
        // Interleaved so a neighbour's burst on the shared machine hits both alike.
        const compiledTimes: number[] = [];
        const handTimes: number[] = [];
        const counts = new Set<number>();
        for (let round = 0; round < rounds; round++) {
          const a = await timed(() => queryRows<{ n: number }>(database.db, compiled));
          const b = await timed(() => queryRows<{ n: number }>(database.db, hand));
          compiledTimes.push(a.ms);
          handTimes.push(b.ms);
          if (a.value[0].n !== b.value[0].n) row.problems.push(`compiled counts ${a.value[0].n}, hand-written ${b.value[0].n}`);
          counts.add(a.value[0].n);
        }
        row.compiledMs = median(compiledTimes);
        row.handMs = median(handTimes);
        row.matches = [...counts][0];

        // The evaluator over loaded contacts, repeated to at least 300 ms for a stable figure.
        const evaluated = new Set<string>();
        let passes = 0;
        const started = performance.now();
        do {
          for (let i = 0; i < sample.length; i++) {
            if (evaluateRule(bench.rule, sample[i], { attributes, now }) && passes === 0) evaluated.add(sampleIds[i]);
          }
          passes++;
        } while (performance.now() - started < 300);
        row.evaluatorMs = ((performance.now() - started) / passes / sample.length) * total;

        const inSample = await queryRows<{ id: string }>(
          database.db,
          matchingContactsQuery(checked.condition, { workspaceId: ws, now, mode: "contacts", contactIds: sampleIds }),
        );
        const compiledSample = new Set(inSample.map((r) => r.id));
        const disagree = sampleIds.filter((id) => compiledSample.has(id) !== evaluated.has(id));
        if (disagree.length > 0) row.problems.push(`evaluator and compiled disagree on ${disagree.length} of ${sampleIds.length} sample contacts, e.g. ${disagree[0]}`);

        const singles: number[] = [];
        for (const id of singleIds) {
          const query = matchingContactsQuery(checked.condition, { workspaceId: ws, now, mode: "contacts", contactIds: [id] });
          singles.push((await timed(() => queryRows(database.db, query))).ms);
        }
        row.singleMs = median(singles);
      } catch (error) {
        row.problems.push(error instanceof Error ? error.message : String(error));
      }
      if (row.problems.length > 0) failed = true;
      printRow(row, index);
    }
  } finally {
    await client.end();
    await database.close();
  }
  printSummary(rows);
  if (failed) {
    console.error("\nErrors above (disagreeing counts or failed queries).");
    process.exitCode = 1;
  }
}

/** Loading the sample's rows, scaled to the workspace (set once the sample is loaded). */
let loadScaledMs = NaN;

const pad = (text: string, width: number) => text.padStart(width);
const ms = (value: number) => (Number.isNaN(value) ? "-" : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`);

function printRow(row: Row, index: number) {
  if (index === 0) {
    console.log(
      `${"rule".padEnd(34)}${pad("matches", 10)}${pad("compiled", 11)}${pad("by hand", 11)}${pad("ratio", 7)}${pad("evaluator", 11)}${pad("eval/comp", 11)}${pad("+ loading", 11)}${pad("1 contact", 11)}`,
    );
  }
  const ratio = row.compiledMs / row.handMs;
  const evalRatio = row.evaluatorMs / row.compiledMs;
  const loadedRatio = (row.evaluatorMs + loadScaledMs) / row.compiledMs;
  console.log(
    `${`${index + 1}. ${row.name}`.padEnd(34)}${pad(Number.isNaN(row.matches) ? "-" : row.matches.toLocaleString("en"), 10)}${pad(ms(row.compiledMs), 11)}${pad(ms(row.handMs), 11)}` +
      `${pad(Number.isNaN(ratio) ? "-" : `${ratio.toFixed(2)}x`, 7)}${pad(ms(row.evaluatorMs), 11)}${pad(Number.isNaN(evalRatio) ? "-" : `${evalRatio.toFixed(0)}x`, 11)}` +
      `${pad(Number.isNaN(loadedRatio) ? "-" : `${loadedRatio.toFixed(0)}x`, 11)}${pad(ms(row.singleMs), 11)}` +
      `${ratio > 1.2 || evalRatio < 100 || row.singleMs >= 5 || row.compiledMs >= 10_000 ? "  (missed target)" : ""}`,
  );
  for (const problem of row.problems) console.log(`   ERROR: ${problem}`);
}

function printSummary(rows: Row[]) {
  const ok = rows.filter((row) => !Number.isNaN(row.compiledMs));
  const within = ok.filter((row) => row.compiledMs / row.handMs <= 1.2).length;
  const fast = ok.filter((row) => row.evaluatorMs / row.compiledMs >= 100).length;
  const fastLoaded = ok.filter((row) => (row.evaluatorMs + loadScaledMs) / row.compiledMs >= 100).length;
  const single = ok.filter((row) => row.singleMs < 5).length;
  const tenSeconds = ok.filter((row) => row.compiledMs < 10_000).length;
  console.log(
    `\nTargets: compiled <= 1.2x hand-written ${within}/${rows.length}; evaluator >= 100x compiled ${fast}/${rows.length} (${fastLoaded}/${rows.length} counting the loading); ` +
      `single contact < 5 ms ${single}/${rows.length}; rule < 10 s ${tenSeconds}/${rows.length}`,
  );
  console.log(
    "evaluator = reference evaluator's time per loaded contact x contacts (loading excluded); + loading = (evaluator + loading the rows) / compiled; " +
      '1 contact = median of 50 mode "contacts" checks',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
