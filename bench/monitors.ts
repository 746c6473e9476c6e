// npm run bench:monitors — behaviour monitors and lead scoring in event.process, on Postgres (issue #8).
//
// One database, one workspace per configuration, the same data in each: N contacts
// (BENCH_CONTACTS, default 5,000) with their identities, as if their identify calls had been
// processed, and a processed history (BENCH_HISTORY events a contact, default 10, of names
// nothing watches), then M track and page calls (BENCH_EVENTS, default 50,000: visits of known contacts
// over two fixed weeks, Page Viewed with a path, Product Viewed, Searched, Added to Cart, Order
// Completed with revenue, Signed In, Video Played) stored with ingestCalls as the tracking API
// does. Then, configuration by configuration, the events are processed to completion by the
// real event.process job's handler called in this process, as a worker would (batches of 500,
// each a transaction; real-time segments, fit refresh, journeys): events/s = M / elapsed.
//
// Configurations (BENCH_CONFIGS, in this order; default none,rules):
//   none     no monitor, no scoring rule (the baseline)
//   rules    20 active monitors and 10 scoring rules (bench/lib/monitors-data.ts), MQL thresholds
//   monitors the 20 monitors only;  scoring  the 10 scoring rules only
// Printed: events/s of each and the ratio to `none`, CPU per 1,000 events (this process and the
// bench database's Postgres backends), what the rules did (matches by monitor, points, tags,
// emitted events, score changes, stage moves, hand-off tasks), and where the time went: every
// query timed and labelled by what it is for, from its text (bench/lib/query-timing.ts).
// Checked (a failure exits non-zero): every event processed; nothing written without rules;
// points balances = the ledger; scores = the score history; and for a sample of contacts
// (BENCH_CHECK_CONTACTS, default 60) each monitor's matches = testMonitor's replay of the
// contact's history.
//
// Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; the run creates
// tideline_bench_monitors next to it and drops it at the end), BENCH_SEED, BENCH_TOP (query
// labels printed, default 14), BENCH_DUMP_QUERIES (a file to write every query text of each
// configuration to, with its count and time, as JSON), BENCH_MAX_MINUTES (the run stops
// itself after this, default 15).
import os from "node:os";
import { sql as raw } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { openDatabase, type Database, type Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import * as schema from "@/db/schema";
import { attributeDefinitions, users } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import { jobs } from "@/jobs/registry";
import { createMonitor, setMonitorStatus, testMonitor } from "@/lib/monitors/manage";
import { monitorInput } from "@/lib/monitors/schema";
import { createScoringRule } from "@/lib/scoring/rules";
import { scoringRuleInput } from "@/lib/scoring/schema";
import { saveScoringSettings } from "@/lib/scoring/settings";
import { parseBatchItem, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls, pendingEvents } from "@/lib/tracking/ingest";
import { createWorkspace } from "@/lib/workspaces/create";
import { cpuAvailable, perThousand, snapshot } from "./lib/cpu";
import { attributeTypes, makeCalls, monitorSpecs, scoringSpecs, seedContacts, seedHistory } from "./lib/monitors-data";
import { byLabel, QueryTimer, type QueryStat } from "./lib/query-timing";

const contactCount = Number(process.env.BENCH_CONTACTS || 5000);
const eventCount = Number(process.env.BENCH_EVENTS || 50_000);
const historyPerContact = Number(process.env.BENCH_HISTORY ?? 10);
const seed = Number(process.env.BENCH_SEED || 7);
const configs = (process.env.BENCH_CONFIGS || "none,rules").split(",").map((name) => name.trim()) as Config[];
const checkContacts = Number(process.env.BENCH_CHECK_CONTACTS || 60);
const top = Number(process.env.BENCH_TOP || 14);
const maxMinutes = Number(process.env.BENCH_MAX_MINUTES || 15);
const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = "tideline_bench_monitors";
const benchUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
const timeZone = "Asia/Shanghai";

type Config = "none" | "rules" | "monitors" | "scoring";
const known: Config[] = ["none", "rules", "monitors", "scoring"];

const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
const load = () => os.loadavg().map((value) => value.toFixed(1)).join(" ");
const secondsOf = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function admin(statement: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}
const dropDatabase = () => admin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);

interface Workspace {
  config: Config;
  id: string;
  monitors: Array<{ id: string; name: string; spec: (typeof monitorSpecs)[number] }>;
}

async function setupWorkspace(db: Db, config: Config): Promise<Workspace> {
  const [owner] = await db.insert(users).values({ email: `owner-${config}@example.test` }).returning();
  const { workspace } = await createWorkspace(db, { name: `Bench ${config}`, ownerId: owner.id, timezone: timeZone });
  await db.insert(attributeDefinitions).values(Object.entries(attributeTypes).map(([key, type]) => ({ workspaceId: workspace.id, key, type, declared: true })));
  const created: Workspace = { config, id: workspace.id, monitors: [] };
  if (config === "rules" || config === "monitors") {
    for (const spec of monitorSpecs) {
      const monitor = await createMonitor(db, workspace.id, monitorInput.parse(spec));
      await setMonitorStatus(db, workspace.id, monitor.id, "activate");
      created.monitors.push({ id: monitor.id, name: monitor.name, spec });
    }
  }
  if (config === "rules" || config === "scoring") {
    for (const spec of scoringSpecs) await createScoringRule(db, workspace.id, scoringRuleInput.parse(spec));
    await saveScoringSettings(db, workspace.id, { thresholds: { lead: 30, mql: 150 }, owner: owner.email });
  }
  return created;
}

async function ingest(db: Db, workspaceId: string, calls: TrackingCall[]): Promise<void> {
  for (let offset = 0; offset < calls.length; offset += 500) {
    const chunk = calls.slice(offset, offset + 500).map((call, index) => ({ ...call, messageId: `bench-${offset + index}` }));
    const result = await ingestCalls(db, workspaceId, chunk);
    if (result.stored !== chunk.length) throw new Error(`stored ${result.stored} of ${chunk.length}`);
  }
}

interface Pass {
  config: Config;
  ms: number;
  processed: number;
  handles: number;
  cpu: { self: number; postgres: number };
  queries: QueryStat[];
}

/** event.process's handler, called until nothing is pending, as a worker would run its jobs one after the other. */
async function processAll(database: Database, timer: QueryTimer, workspace: Workspace): Promise<Pass> {
  timer.take();
  const before = snapshot(databaseName);
  const started = performance.now();
  let processed = 0;
  let handles = 0;
  for (;;) {
    timer.recording = true;
    const result = (await eventProcess.handle({ workspaceId: workspace.id }, { database, db: database.db, jobId: `bench-${handles}`, attempt: 0 })) as { processed: number };
    timer.recording = false;
    handles += 1;
    processed += result.processed;
    if (result.processed === 0 || (await pendingEvents(database.db, workspace.id)) === 0) break;
  }
  const ms = performance.now() - started;
  const cpu = perThousand(before, snapshot(databaseName), processed);
  return { config: workspace.config, ms, processed, handles, cpu: { self: cpu.self, postgres: cpu.postgres }, queries: timer.take() };
}

interface Outcome {
  pending: number;
  matches: number;
  point_awards: number;
  points: number;
  balances: number;
  tagged: number;
  tags: number;
  emitted: number;
  engagement: number;
  fit: number;
  stages: number;
  scored: number;
  score_sum: number;
  score_history: number;
  tasks: number;
  messages: number;
}

async function outcome(db: Db, workspaceId: string): Promise<Outcome> {
  const [row] = await queryRows<Outcome>(
    db,
    raw`select
      (select count(*)::int from events where workspace_id = ${workspaceId} and processed_at is null) as pending,
      (select count(*)::int from monitor_matches where workspace_id = ${workspaceId}) as matches,
      (select count(*)::int from point_transactions where workspace_id = ${workspaceId}) as point_awards,
      (select coalesce(sum(amount), 0)::int from point_transactions where workspace_id = ${workspaceId}) as points,
      (select coalesce(sum(points_balance), 0)::int from contacts where workspace_id = ${workspaceId}) as balances,
      (select count(*)::int from contacts where workspace_id = ${workspaceId} and cardinality(tags) > 0) as tagged,
      (select coalesce(sum(cardinality(tags)), 0)::int from contacts where workspace_id = ${workspaceId}) as tags,
      (select count(*)::int from events where workspace_id = ${workspaceId} and name = 'monitor.matched') as emitted,
      (select count(*)::int from score_events where workspace_id = ${workspaceId} and kind = 'engagement') as engagement,
      (select count(*)::int from score_events where workspace_id = ${workspaceId} and kind = 'fit') as fit,
      (select count(*)::int from score_events where workspace_id = ${workspaceId} and kind = 'stage') as stages,
      (select count(*)::int from contacts where workspace_id = ${workspaceId} and score <> 0) as scored,
      (select coalesce(sum(score), 0)::int from contacts where workspace_id = ${workspaceId}) as score_sum,
      (select coalesce(sum(delta), 0)::int from score_events where workspace_id = ${workspaceId}) as score_history,
      (select count(*)::int from tasks where workspace_id = ${workspaceId}) as tasks,
      (select count(*)::int from messages where workspace_id = ${workspaceId}) as messages`,
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as unknown as Outcome;
}

/** Each monitor's matches for a sample of contacts against testMonitor's replay of their histories. */
async function checkReplay(db: Db, workspace: Workspace): Promise<{ pairs: number; matches: number; wrong: string[] }> {
  const sample = await queryRows<{ id: string; external_id: string }>(
    db,
    raw`(select id, external_id from contacts where workspace_id = ${workspace.id} order by (substr(external_id, 3))::int limit ${Math.ceil(checkContacts / 2)})
        union
        (select id, external_id from contacts where workspace_id = ${workspace.id} order by md5(external_id) limit ${Math.floor(checkContacts / 2)})`,
  );
  const counted = await queryRows<{ monitor_id: string; contact_id: string; n: number }>(
    db,
    raw`select monitor_id, contact_id, count(*)::int as n from monitor_matches where workspace_id = ${workspace.id} group by 1, 2`,
  );
  const actual = new Map(counted.map((row) => [`${row.monitor_id}:${row.contact_id}`, Number(row.n)]));
  const wrong: string[] = [];
  let pairs = 0;
  let matches = 0;
  for (const contact of sample) {
    for (const monitor of workspace.monitors) {
      const replay = await testMonitor(db, workspace.id, monitorInput.parse(monitor.spec), contact.id);
      const got = actual.get(`${monitor.id}:${contact.id}`) ?? 0;
      pairs += 1;
      matches += got;
      if (replay.matches.length !== got) wrong.push(`${contact.external_id} × "${monitor.name}": processed ${got}, replay ${replay.matches.length}`);
    }
  }
  return { pairs, matches, wrong };
}

/** What a query of event.process is for, by its text (first pattern that matches). */
const labels: Array<[RegExp, string]> = [
  [/^select pg_advisory_xact_lock\(hashtext\(\$1\)\)$/, "monitors: advisory lock, per (event, monitor)"],
  [/pg_advisory_xact_lock/, "monitors: advisory locks, per batch"],
  [/^insert into monitor_counters/, "monitors: counter upsert"],
  [/^update monitor_counters/, "monitors: spend counters"],
  [/from monitor_counters/, "monitors: window read"],
  [/join monitor_counters/, "monitors: window buckets, per batch"],
  [/^insert into monitor_matches/, "monitors: match insert"],
  [/^update monitor_matches/, "monitors: match results"],
  [/from monitor_matches/, "monitors: limit check"],
  [/from "monitors"/, "monitors: active monitors"],
  [/'monitor\.matched'/, "monitors: event action"],
  [/set tags = array_append/, "monitors: tag action"],
  [/point_balances|point_transactions|reward_settings|points_balance|^select id from contacts where workspace_id = \$1 and id = \$2 for update$/, "monitors: points action (rewards)"],
  [/from score_events where .*kind = 'engagement'/, "scoring: cap counts"],
  [/^insert into score_events/, "scoring: score rows"],
  [/^select idempotency_key as key from score_events/, "scoring: keys already scored"],
  [/^with matched as/, "scoring: fit refresh (segment SQL)"],
  [/score_fit <> 0/, "scoring: fit refresh, anything to do"],
  [/from "scoring_rules"/, "scoring: rules"],
  [/scoring_settings/, "scoring: settings"],
  [/score_engagement = c\.score_engagement/, "scoring: engagement update"],
  [/^select id, score_fit, .* for update$/, "scoring: lock contacts"],
  [/lifecycle_stage = x\.stage/, "scoring: stage moves"],
  [/tasks|into messages|members m join users|select name, type, timestamp from events/, "scoring: MQL hand-off"],
  [/contact_identities/, "event.process: resolve contact, per call"],
  [/processed_at is null order by id limit/, "event.process: take batch"],
  [/^update events e set contact_id/, "event.process: mark processed"],
  [/^update contacts c set last_seen_at/, "event.process: last seen"],
  [/^select id, contact_id, name, properties, timestamp from events/, "event.process: named events"],
  [/attribute_definitions/, "event.process: attribute catalogue"],
  [/journey/, "journeys: triggers and waits"],
  [/"segments"|segment_memberships/, "segments: real-time refresh"],
  [/workspaces/, "workspace time zone"],
  [/pgboss|INSERT INTO .*job/i, "pg-boss"],
];

function label(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  for (const [pattern, name] of labels) if (pattern.test(flat)) return name;
  return `other: ${flat.slice(0, 70)}`;
}

function printBreakdown(pass: Pass): void {
  const labelled = byLabel(pass.queries);
  const queryMs = labelled.reduce((sum, item) => sum + item.ms, 0);
  const queries = labelled.reduce((sum, item) => sum + item.count, 0);
  console.log(
    `\nwhere the time went, ${pass.config}: ${fmt(queries)} queries (${(queries / pass.processed).toFixed(1)} an event) took ${secondsOf(queryMs)} of ${secondsOf(pass.ms)}, ` +
      `${fmt((queryMs * 1000) / queries)} µs each on average; outside queries (JavaScript, event loop) ${secondsOf(pass.ms - queryMs)}`,
  );
  console.log(`  ${"query".padEnd(58)} ${"queries".padStart(9)} ${"per event".padStart(9)} ${"time".padStart(8)} ${"share".padStart(6)} ${"µs each".padStart(8)}`);
  for (const item of labelled.slice(0, top)) {
    console.log(
      `  ${item.label.padEnd(58)} ${fmt(item.count).padStart(9)} ${(item.count / pass.processed).toFixed(2).padStart(9)} ${secondsOf(item.ms).padStart(8)} ${`${((item.ms / pass.ms) * 100).toFixed(1)}%`.padStart(6)} ${fmt((item.ms * 1000) / item.count).padStart(8)}`,
    );
  }
  const rest = labelled.slice(top);
  if (rest.length > 0) {
    const ms = rest.reduce((sum, item) => sum + item.ms, 0);
    const count = rest.reduce((sum, item) => sum + item.count, 0);
    console.log(`  ${`${rest.length} other labels`.padEnd(58)} ${fmt(count).padStart(9)} ${(count / pass.processed).toFixed(2).padStart(9)} ${secondsOf(ms).padStart(8)} ${`${((ms / pass.ms) * 100).toFixed(1)}%`.padStart(6)}`);
  }
  const areas = new Map<string, { ms: number; count: number }>();
  for (const item of labelled) {
    const area = item.label.split(":")[0];
    const sum = areas.get(area) ?? { ms: 0, count: 0 };
    areas.set(area, { ms: sum.ms + item.ms, count: sum.count + item.count });
  }
  console.log(`  by area: ${[...areas].map(([area, sum]) => `${area} ${secondsOf(sum.ms)} (${fmt(sum.count)} queries)`).join(", ")}`);
}

async function main() {
  for (const config of configs) if (!known.includes(config)) throw new Error(`BENCH_CONFIGS: unknown configuration ${config} (${known.join(", ")})`);
  const watchdog = setTimeout(() => {
    console.error(`stopped: the run took longer than ${maxMinutes} minutes (BENCH_MAX_MINUTES)`);
    void dropDatabase().finally(() => process.exit(2));
  }, maxMinutes * 60_000);
  watchdog.unref();
  const runStarted = performance.now();
  const check = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [{ server_version: version }] = await check`show server_version`;
  await check.end();
  console.log(`monitors: ${os.cpus().length} cores, Node ${process.versions.node}, PostgreSQL ${version}; load average at start ${load()}`);
  console.log(
    `${fmt(contactCount)} contacts, ${fmt(eventCount)} events a configuration, configurations ${configs.join(", ")}; ` +
      `${monitorSpecs.length} monitors, ${scoringSpecs.length} scoring rules (${scoringSpecs.filter((spec) => spec.kind === "attribute").length} fit, ` +
      `${scoringSpecs.filter((spec) => spec.kind === "behaviour").length} engagement)`,
  );

  await dropDatabase();
  await admin(`CREATE DATABASE ${databaseName}`);
  // Migrated by the ordinary open, then reopened on a client whose queries are timed.
  await (await openDatabase({ url: benchUrl })).close();
  const timer = new QueryTimer(label);
  const client = postgres(benchUrl, { max: 10, onnotice: () => {} });
  const db = drizzle(timer.wrap(client), { schema }) as unknown as Db;
  const database: Database = { kind: "postgres", db, queue: { connectionString: benchUrl }, close: () => client.end({ timeout: 5 }) };
  const boss = await createBoss(database, { maintenance: false });
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  let failed = false;
  try {
    await ensureQueues(boss, jobs);
    setBoss(boss);

    let started = performance.now();
    const calls = makeCalls(eventCount, contactCount, seed).map((raw) => {
      const parsed = parseBatchItem(raw);
      if ("reason" in parsed) throw new Error(parsed.reason);
      return parsed.call;
    });
    const names = new Map<string, number>();
    for (const call of calls) {
      const name = call.type === "page" ? "Page Viewed" : call.type === "track" ? call.event : call.type;
      names.set(name, (names.get(name) ?? 0) + 1);
    }
    console.log(`events: ${[...names].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${fmt(n)}`).join(", ")}; ${new Set(calls.map((call) => call.userId)).size} contacts active`);

    const workspaces: Workspace[] = [];
    for (const config of configs) {
      const workspace = await setupWorkspace(db, config);
      await seedContacts(sql, workspace.id, contactCount);
      await seedHistory(sql, workspace.id, historyPerContact);
      await ingest(db, workspace.id, calls);
      workspaces.push(workspace);
    }
    await sql`analyze`;
    await sql`checkpoint`;
    console.log(`set up ${configs.length} workspaces (contacts and ${fmt(historyPerContact * contactCount)} processed history events seeded, events stored through ingestCalls) in ${secondsOf(performance.now() - started)}; load average ${load()}`);

    const passes: Pass[] = [];
    for (const workspace of workspaces) {
      started = performance.now();
      const pass = await processAll(database, timer, workspace);
      passes.push(pass);
      const cpu = cpuAvailable ? ` | CPU per 1,000 events: bench ${fmt(pass.cpu.self)} ms, Postgres ${fmt(pass.cpu.postgres)} ms` : "";
      console.log(
        `${workspace.config.padEnd(8)} ${fmt(pass.processed)} events in ${secondsOf(pass.ms)} = ${fmt(pass.processed / (pass.ms / 1000))} events/s ` +
          `(${pass.handles} event.process run${pass.handles === 1 ? "" : "s"})${cpu}; load average ${load()}`,
      );
      await sql`checkpoint`;
    }

    const baseline = passes.find((pass) => pass.config === "none");
    if (baseline) {
      const rate = (pass: Pass) => pass.processed / (pass.ms / 1000);
      for (const pass of passes.filter((item) => item !== baseline)) {
        const cpuRatio = cpuAvailable ? `; CPU per event ${((pass.cpu.self + pass.cpu.postgres) / (baseline.cpu.self + baseline.cpu.postgres)).toFixed(2)}x` : "";
        console.log(`${pass.config} / none: ${(rate(pass) / rate(baseline)).toFixed(2)} of the throughput (each event takes ${(pass.ms / baseline.ms).toFixed(2)}x as long)${cpuRatio}`);
      }
    }

    console.log("");
    for (const workspace of workspaces) {
      const result = await outcome(db, workspace.id);
      const pass = passes.find((item) => item.config === workspace.config)!;
      console.log(
        `${workspace.config.padEnd(8)} matches ${fmt(result.matches)} | points: ${fmt(result.point_awards)} awards, ${fmt(result.points)} in all | tags ${fmt(result.tags)} on ${fmt(result.tagged)} contacts | ` +
          `monitor.matched events ${fmt(result.emitted)} | score rows: engagement ${fmt(result.engagement)}, fit ${fmt(result.fit)}, stage ${fmt(result.stages)} | ` +
          `${fmt(result.scored)} contacts scored, ${fmt(result.score_sum)} points of score | hand-off tasks ${fmt(result.tasks)}, messages ${fmt(result.messages)}`,
      );
      const problems: string[] = [];
      if (result.pending !== 0 || pass.processed !== eventCount) problems.push(`${result.pending} events pending, ${pass.processed} processed of ${eventCount}`);
      if (result.points !== result.balances) problems.push(`points balances ${result.balances} ≠ ledger ${result.points}`);
      if (result.score_sum !== result.score_history) problems.push(`scores ${result.score_sum} ≠ score history ${result.score_history}`);
      const hasMonitors = workspace.monitors.length > 0;
      const hasScoring = workspace.config === "rules" || workspace.config === "scoring";
      if (!hasMonitors && (result.matches > 0 || result.point_awards > 0 || result.tags > 0)) problems.push("matches without monitors");
      if (!hasScoring && result.engagement + result.fit > 0) problems.push("scores without rules");
      if (hasMonitors && result.matches === 0) problems.push("no monitor matched");
      if (hasScoring && (result.engagement === 0 || result.fit === 0)) problems.push("nothing scored");
      if (hasMonitors) {
        const byMonitor = await queryRows<{ monitor_id: string; n: number; contacts: number }>(
          db,
          raw`select monitor_id, count(*)::int as n, count(distinct contact_id)::int as contacts from monitor_matches where workspace_id = ${workspace.id} group by 1`,
        );
        const counts = new Map(byMonitor.map((row) => [row.monitor_id, row]));
        console.log(`         by monitor: ${workspace.monitors.map((monitor) => `${monitor.name} ${fmt(Number(counts.get(monitor.id)?.n ?? 0))}`).join("; ")}`);
        started = performance.now();
        const replay = await checkReplay(db, workspace);
        console.log(
          `         replay check: ${replay.pairs} (contact, monitor) pairs of ${Math.round(replay.pairs / workspace.monitors.length)} contacts, ${fmt(replay.matches)} matches, ` +
            `${replay.wrong.length === 0 ? "all equal to testMonitor's replay" : `${replay.wrong.length} differ`} (${secondsOf(performance.now() - started)})`,
        );
        for (const line of replay.wrong.slice(0, 10)) console.log(`           ${line}`);
        if (replay.wrong.length > 0) problems.push(`${replay.wrong.length} pairs differ from the replay`);
      }
      if (problems.length > 0) {
        failed = true;
        console.log(`         WRONG: ${problems.join("; ")}`);
      }
    }

    for (const pass of passes) printBreakdown(pass);
    if (process.env.BENCH_DUMP_QUERIES) {
      const fs = await import("node:fs");
      fs.writeFileSync(process.env.BENCH_DUMP_QUERIES, JSON.stringify(passes.map((pass) => ({ config: pass.config, queries: pass.queries.sort((a, b) => b.ms - a.ms) })), null, 1));
    }
  } finally {
    await sql.end();
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
    await database.close();
    await dropDatabase();
    console.log(`\nload average at end ${load()}; whole run ${secondsOf(performance.now() - runStarted)}`);
  }
  if (failed) throw new Error("wrong counts (see WRONG above)");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
