// npm run bench:broadcast — a broadcast to a large audience on Postgres, email over the outbox
// channel (no SMTP configured). For each audience size (BENCH_CONTACTS, default 100k and 1M):
//
// - fan-out: a static list of N contacts, createBroadcast + sendBroadcast (lib/broadcasts/manage.ts),
//   then the queued `broadcast.fanout` job run through the job runner (jobs/run.ts drainJobs ->
//   runFanout: claim, snapshot, pages of 1,000 messages + queued events + message.send jobs) in
//   a child process of its own, so its peak RSS is the fan-out's alone;
// - baseline, same run, same database, same empty tables: raw INSERT ... SELECT of the same N
//   messages, their queued events and N pg-boss job rows (50,000 a statement), the floor of what
//   the fan-out writes, with no snapshot, no pages, no lease and no round trips;
// - sends (first size only): `npm run worker` (a separate process, every queue) works the
//   message.send jobs through deliverMessage and the outbox adapter for BENCH_SEND_SECONDS.
//
// Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; the benchmark
// creates tideline_bench_broadcast next to it and drops it at the end), BENCH_CONTACTS (sizes,
// comma-separated, default 100000,1000000), BENCH_SEND_SECONDS (default 60), BENCH_MAX_MINUTES
// (the whole run is stopped after this, default 25). Exits non-zero on errors and wrong counts,
// never on a missed target.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { constants, PerformanceObserver } from "node:perf_hooks";
import postgres from "postgres";
import type PgBoss from "pg-boss";
import { openDatabase, type Database } from "@/db/client";
import { users } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { broadcastFanout } from "@/jobs/broadcast-fanout";
import { messageSend } from "@/jobs/message-send";
import { jobs } from "@/jobs/registry";
import { drainJobs } from "@/jobs/run";
import { createBroadcast, sendBroadcast } from "@/lib/broadcasts/manage";
import { createTemplate } from "@/lib/messages/templates";
import { createSegment } from "@/lib/segments/manage";
import { broadcastCreateSchema } from "@/lib/validation/broadcasts";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createWorkspace } from "@/lib/workspaces/create";
import { cpuAvailable, perThousand, snapshot } from "./lib/cpu";

const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = "tideline_bench_broadcast";
const sizes = (process.env.BENCH_CONTACTS || "100000,1000000")
  .split(",")
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const sendSeconds = Number(process.env.BENCH_SEND_SECONDS || 60);
const maxMinutes = Number(process.env.BENCH_MAX_MINUTES || 25);
const baselineChunk = 50_000;
const baselineQueue = "bench.baseline";
// Read by the fan-out child: what to run and where.
const childSpec = process.env.BENCH_BROADCAST_CHILD;

const benchUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── the fan-out, in a child process ─────────────────────────────────────────────
interface FanoutReport {
  startedAt: number;
  finishedAt: number;
  completed: number;
  failed: number;
  rssStart: number;
  rssPeak: number;
  heapPeak: number;
  /** heapUsed seen right after V8's own mark-sweeps during the fan-out (0 when it ran none). */
  liveHeapPeak: number;
  majorGcs: number;
  /** heapUsed after a forced full collection just before and just after the fan-out. */
  heapBefore: number;
  heapAfter: number;
  maxRss: number;
  /** CPU milliseconds of this process and of the database's Postgres backends during the fan-out. */
  cpuSelfMs: number;
  cpuPostgresMs: number;
}

/** Child mode: runs the queued broadcast.fanout job once and reports its time and memory on stdout. */
async function fanoutChild(spec: { url: string; database: string }): Promise<void> {
  const database = await openDatabase({ url: spec.url, migrate: false });
  const boss = await createBoss(database, { maintenance: false });
  setBoss(boss);
  // The child runs with --expose-gc: one full collection on each side of the measured work.
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  let heapPeak = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  // heapUsed right after each mark-sweep is the live heap; the peaks above also count garbage
  // V8 has not collected yet, which grows with how long the process runs.
  let liveHeapPeak = 0;
  let majorGcs = 0;
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      majorGcs++;
      liveHeapPeak = Math.max(liveHeapPeak, process.memoryUsage().heapUsed);
    }
  });
  gcs.observe({ entryTypes: ["gc"] });
  // Taken here, while this process's connections are open: a backend that exits takes its CPU time with it.
  const cpuBefore = snapshot(spec.database);
  const startedAt = Date.now();
  // The serverless drain path: fetch, runJob (schema check, handle -> runFanout), complete.
  const report = await drainJobs(boss, database, [broadcastFanout], 1000);
  const finishedAt = Date.now();
  const cpuAfter = snapshot(spec.database);
  clearInterval(sampler);
  gcs.disconnect();
  sample();
  collect();
  const heapAfter = process.memoryUsage().heapUsed;
  const counts = report[broadcastFanout.name];
  const result: FanoutReport = {
    startedAt,
    finishedAt,
    completed: counts.completed,
    failed: counts.failed,
    rssStart,
    rssPeak,
    heapPeak,
    liveHeapPeak,
    majorGcs,
    heapBefore,
    heapAfter,
    // KiB on Linux: the process's peak resident set, start-up included.
    maxRss: process.resourceUsage().maxRSS * 1024,
    cpuSelfMs: cpuAfter.self - cpuBefore.self,
    cpuPostgresMs: cpuAfter.postgres - cpuBefore.postgres,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await boss.stop({ graceful: false, wait: true, timeout: 2000 });
  await database.close();
}

const children = new Set<ChildProcess>();

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
  });
}

/** The environment of a child: this database, the outbox (no SMTP from the environment). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: benchUrl, APP_URL: "https://mkt.example.test", NODE_ENV: "production", ...extra };
  delete env.SMTP_URL;
  return env;
}

async function runFanoutChild(sql: postgres.Sql, workspaceId: string, broadcastId: string) {
  let output = "";
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "bench/broadcast.ts"], {
    env: childEnv({ BENCH_BROADCAST_CHILD: JSON.stringify({ url: benchUrl, database: databaseName }) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // The snapshot's end, seen from outside: recipient_count is written when it commits.
  let snapshotAt: number | undefined;
  let running = true;
  const watch = (async () => {
    while (running) {
      const [row] = await sql<{ n: number | null }[]>`select recipient_count as n from broadcasts where workspace_id = ${workspaceId} and id = ${broadcastId}`;
      if (snapshotAt === undefined && row?.n !== null && row?.n !== undefined) snapshotAt = Date.now();
      await sleep(100);
    }
  })();
  const code = await exited;
  running = false;
  await watch;
  children.delete(child);
  const line = output.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("{")) throw new Error(`fan-out child exited with ${code}:\n${output.slice(-3000)}`);
  const report = JSON.parse(line) as FanoutReport;
  if (report.completed !== 1 || report.failed !== 0) throw new Error(`the broadcast.fanout job did not complete (completed ${report.completed}, failed ${report.failed}):\n${output.slice(-3000)}`);
  return { ...report, snapshotAt };
}

// ── set-up ──────────────────────────────────────────────────────────────────
async function recreateDatabase(): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin.unsafe(`create database ${databaseName}`);
    // A runaway query must not hold the shared machine for long.
    await admin.unsafe(`alter database ${databaseName} set statement_timeout = '600s'`);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
  } finally {
    await admin.end();
  }
}

interface Setup {
  workspaceId: string;
  templateId: string;
  lists: Map<number, string>;
}

/** A workspace without SMTP (email goes to the outbox), a template, max(sizes) contacts and a static list per size. */
async function seed(database: Database, sql: postgres.Sql): Promise<Setup> {
  const db = database.db;
  const [owner] = await db.insert(users).values({ email: "bench-broadcast@example.test" }).returning();
  const { workspace } = await createWorkspace(db, { name: "Broadcast bench", ownerId: owner.id });
  const { template } = await createTemplate(
    db,
    workspace.id,
    templateCreateSchema.parse({
      name: "Winter sale",
      channel: "email",
      format: "code",
      subject: "Winter sale, {{ contact.first_name | default: \"there\" }}",
      from_email: "news@example.test",
      content: { component: "newsletter", props: {} },
    }),
  );
  const total = sizes.at(-1)!;
  const started = performance.now();
  for (let from = 1; from <= total; from += 250_000) {
    const to = Math.min(total, from + 250_000 - 1);
    await sql`
      insert into contacts (workspace_id, id, external_id, email, first_name, last_name, timezone, locale, created_at, updated_at)
      select ${workspace.id}, md5('bench-contact-' || i)::uuid, 'ext-' || i, 'user' || i || '@example.com',
             (array['Ada','Bo','Chen','Dana','Eli','Fei','Gus','Hana'])[1 + i % 8], (array['Li','Smith','Wang','Garcia','Kim','Novak'])[1 + i % 6],
             'UTC', 'en', now(), now()
      from generate_series(${from}::int, ${to}::int) i`;
  }
  const lists = new Map<number, string>();
  for (const size of sizes) {
    const list = await createSegment(db, workspace.id, { name: `First ${size} contacts`, kind: "static" });
    await sql`
      insert into segment_memberships (workspace_id, segment_id, contact_id, entered_at)
      select ${workspace.id}, ${list.id}, md5('bench-contact-' || i)::uuid, now() from generate_series(1, ${size}::int) i`;
    await sql`update segments set member_count = ${size} where workspace_id = ${workspace.id} and id = ${list.id}`;
    lists.set(size, list.id);
  }
  await sql`vacuum analyze contacts`;
  await sql`vacuum analyze segment_memberships`;
  console.log(`Seeded ${fmt(total)} contacts and ${sizes.length} static list(s) in ${seconds(performance.now() - started)}`);
  return { workspaceId: workspace.id, templateId: template.id, lists };
}

/** Every phase starts from empty message and job tables, so none pays for another's rows. */
async function emptyMessageTables(sql: postgres.Sql): Promise<void> {
  await sql`truncate messages, message_events, message_contents, broadcast_recipients`;
  await sql`truncate pgboss.job`;
  await sql`checkpoint`;
}

// ── baseline: raw INSERT ... SELECT ─────────────────────────────────────────────
async function baseline(sql: postgres.Sql, setup: Setup, size: number): Promise<number> {
  const listId = setup.lists.get(size)!;
  const sourceId = `baseline-${size}`;
  let after = "00000000-0000-0000-0000-000000000000";
  let written = 0;
  const started = performance.now();
  for (;;) {
    const [row] = await sql<{ last: string | null; n: number }[]>`
      with batch as (
        select m.contact_id from segment_memberships m
        where m.workspace_id = ${setup.workspaceId} and m.segment_id = ${listId} and m.exited_at is null and m.contact_id > ${after}
        order by m.contact_id limit ${baselineChunk}
      ), inserted as (
        insert into messages (workspace_id, idempotency_key, source, source_id, contact_id, channel, kind, template_id, template_version)
        select ${setup.workspaceId}, 'baseline:' || ${sourceId} || ':contact:' || b.contact_id, 'broadcast', ${sourceId}, b.contact_id,
               'email', 'marketing', ${setup.templateId}, 1
        from batch b
        returning id
      ), recorded as (
        insert into message_events (workspace_id, message_id, type, details)
        select ${setup.workspaceId}, i.id, 'queued', '{"source":"broadcast"}'::jsonb from inserted i
      ), jobs as (
        insert into pgboss.job (name, data, retry_limit, retry_delay, retry_backoff, expire_in, keep_until, dead_letter, policy)
        select q.name, jsonb_build_object('workspaceId', ${setup.workspaceId}::text, 'messageId', i.id), q.retry_limit, q.retry_delay,
               q.retry_backoff, q.expire_seconds * interval '1 second', now() + interval '14 days', q.dead_letter, q.policy
        from inserted i join pgboss.queue q on q.name = ${baselineQueue}
      )
      select (select max(contact_id::text collate "C") from batch) as last, (select count(*)::int from batch) as n`;
    if (row.n === 0 || row.last === null) break;
    written += row.n;
    after = row.last;
  }
  const ms = performance.now() - started;
  if (written !== size) throw new Error(`baseline wrote ${written} messages, expected ${size}`);
  return ms;
}

// ── sends: npm run worker over the queued message.send jobs ─────────────────────
async function sends(sql: postgres.Sql, workspaceId: string): Promise<string> {
  // message_events is append-only: counting what a window added is cheap, a scan of messages is not.
  const [{ mark }] = await sql<{ mark: number }[]>`select coalesce(max(id), 0)::bigint as mark from message_events where workspace_id = ${workspaceId}`;
  const handled = async () => {
    const [row] = await sql<{ n: number; top: number }[]>`
      select count(*) filter (where type in ('sent', 'suppressed', 'failed'))::int as n, coalesce(max(id), ${mark})::bigint as top
      from message_events where workspace_id = ${workspaceId} and id > ${mark}`;
    return row;
  };
  let output = "";
  const worker = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], { env: childEnv({}), stdio: ["ignore", "pipe", "pipe"] });
  children.add(worker);
  worker.stdout?.on("data", (chunk) => (output += chunk));
  worker.stderr?.on("data", (chunk) => (output += chunk));
  try {
    // Timed from the first handled message, so the worker's start-up is not counted.
    const startDeadline = Date.now() + 60_000;
    let first = await handled();
    while (first.n === 0) {
      if (worker.exitCode !== null) throw new Error(`worker exited:\n${output.slice(-3000)}`);
      if (Date.now() > startDeadline) throw new Error(`no message handled within 60 s of starting the worker:\n${output.slice(-3000)}`);
      await sleep(100);
      first = await handled();
    }
    const startedAt = performance.now();
    const cpuBefore = snapshot(databaseName, worker.pid);
    await sleep(sendSeconds * 1000);
    const last = await handled();
    const elapsed = performance.now() - startedAt;
    const cpuAfter = snapshot(databaseName, worker.pid);
    if (worker.exitCode !== null) throw new Error(`worker exited:\n${output.slice(-3000)}`);
    const count = last.n - first.n;
    const [statuses] = await sql<{ sent: number; other: number }[]>`
      select count(*) filter (where type = 'sent')::int as sent, count(*) filter (where type in ('suppressed', 'failed'))::int as other
      from message_events where workspace_id = ${workspaceId} and id > ${mark}`;
    if (statuses.other > 0) throw new Error(`${statuses.other} messages were suppressed or failed; every recipient is eligible`);
    let line = `sends  ${fmt(count)} messages in ${seconds(elapsed)} = ${fmt(count / (elapsed / 1000))} messages/s (message.send, outbox, one worker process)`;
    if (cpuAvailable) {
      const cpu = perThousand(cpuBefore, cpuAfter, count);
      line += `\n       CPU per 1,000 sends: worker ${fmt(cpu.server)} ms, Postgres backends ${fmt(cpu.postgres)} ms`;
    }
    return line;
  } finally {
    await stopProcess(worker);
    children.delete(worker);
  }
}

// ── one size ────────────────────────────────────────────────────────────────
interface SizeResult {
  size: number;
  fanoutMs: number;
  snapshotMs?: number;
  baselineMs: number;
  rssStart: number;
  heapPeak: number;
  heapAfter: number;
  maxRss: number;
}

async function measureSize(database: Database, sql: postgres.Sql, setup: Setup, size: number): Promise<SizeResult> {
  await emptyMessageTables(sql);
  const cpuBefore = snapshot(databaseName);
  const baselineMs = await baseline(sql, setup, size);
  const cpuAfter = snapshot(databaseName);
  console.log(`baseline  ${fmt(size)} messages + queued events + job rows by INSERT ... SELECT in ${seconds(baselineMs)} = ${fmt(size / (baselineMs / 1000))} recipients/s`);
  if (cpuAvailable) console.log(`          CPU per 1,000 recipients: Postgres backends ${fmt(((cpuAfter.postgres - cpuBefore.postgres) * 1000) / size)} ms`);

  await emptyMessageTables(sql);
  const input = broadcastCreateSchema.parse({ name: `Winter sale to ${size}`, template_id: setup.templateId, audience: { include: [setup.lists.get(size)!] } });
  const broadcast = await createBroadcast(database.db, setup.workspaceId, input);
  await sendBroadcast(database.db, setup.workspaceId, broadcast.id);
  const report = await runFanoutChild(sql, setup.workspaceId, broadcast.id);
  const fanoutMs = report.finishedAt - report.startedAt;
  const snapshotMs = report.snapshotAt ? report.snapshotAt - report.startedAt : undefined;

  // Exactly one message, one queued event and one message.send job per recipient.
  const [counts] = await sql<{ messages: number; events: number; jobs: number; recipients: number | null; done: boolean }[]>`
    select (select count(*)::int from messages where workspace_id = ${setup.workspaceId} and source = 'broadcast' and source_id = ${broadcast.id}) as messages,
           (select count(*)::int from message_events where workspace_id = ${setup.workspaceId} and type = 'queued') as events,
           (select count(*)::int from pgboss.job where name = ${messageSend.name}) as jobs,
           (select recipient_count from broadcasts where workspace_id = ${setup.workspaceId} and id = ${broadcast.id}) as recipients,
           (select fanned_out_at is not null from broadcasts where workspace_id = ${setup.workspaceId} and id = ${broadcast.id}) as done`;
  if (counts.messages !== size || counts.events !== size || counts.jobs !== size || counts.recipients !== size || !counts.done) {
    throw new Error(`fan-out of ${size}: ${JSON.stringify(counts)}`);
  }
  console.log(
    `fan-out   ${fmt(size)} recipients in ${seconds(fanoutMs)} = ${fmt(size / (fanoutMs / 1000))} recipients/s` +
      (snapshotMs !== undefined ? ` (snapshot ~${seconds(snapshotMs)}, pages ${fmt(size / ((fanoutMs - snapshotMs) / 1000))}/s)` : "") +
      ` | ratio to baseline ${(baselineMs / fanoutMs).toFixed(2)}`,
  );
  console.log(
    `          RSS of the fan-out process: ${mb(report.rssStart)} before, ${mb(report.maxRss)} peak | heap used: ${mb(report.heapPeak)} peak, ` +
      `${report.majorGcs} mark-sweeps by V8` + (report.majorGcs ? ` (largest heap after one ${mb(report.liveHeapPeak)})` : "") +
      `, ${mb(report.heapBefore)} before and ${mb(report.heapAfter)} after, each after a forced full collection`,
  );
  if (cpuAvailable) {
    console.log(
      `          CPU per 1,000 recipients: fan-out process ${fmt((report.cpuSelfMs * 1000) / size)} ms, Postgres backends ${fmt((report.cpuPostgresMs * 1000) / size)} ms`,
    );
  }
  if (size === sizes[0]) console.log(await sends(sql, setup.workspaceId));
  return { size, fanoutMs, snapshotMs, baselineMs, rssStart: report.rssStart, heapPeak: report.heapPeak, heapAfter: report.heapAfter, maxRss: report.maxRss };
}

async function main() {
  if (sizes.length === 0) throw new Error("BENCH_CONTACTS names no size (e.g. 100000,1000000)");
  const [cpu] = os.cpus();
  const load = () => os.loadavg().map((value) => value.toFixed(1)).join(" ");
  console.log(`Machine: ${os.cpus().length} cores (${cpu?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load()}`);
  const watchdog = setTimeout(() => {
    console.error(`Stopped: the run passed BENCH_MAX_MINUTES (${maxMinutes}).`);
    for (const child of children) child.kill("SIGKILL");
    dropDatabase().finally(() => process.exit(1));
  }, maxMinutes * 60_000);

  await recreateDatabase();
  let database: Database | undefined;
  let boss: PgBoss | undefined;
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const results: SizeResult[] = [];
  try {
    database = await openDatabase({ url: benchUrl });
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
    // The baseline's job rows go to a queue like message.send's that no worker reads.
    const send = await boss.getQueue(messageSend.name);
    await boss.createQueue(baselineQueue, {
      name: baselineQueue,
      policy: send!.policy,
      retryLimit: send!.retryLimit,
      retryDelay: send!.retryDelay,
      retryBackoff: send!.retryBackoff,
      expireInSeconds: send!.expireInSeconds,
      deadLetter: send!.deadLetter,
    });
    const [{ version }] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
    console.log(`PostgreSQL ${version}; sizes ${sizes.map(fmt).join(", ")}; sends measured for ${sendSeconds} s on the ${fmt(sizes[0])} broadcast`);
    const setup = await seed(database, sql);
    for (const size of sizes) {
      console.log(`\n${fmt(size)} recipients (load average ${load()})`);
      results.push(await measureSize(database, sql, setup, size));
    }
  } finally {
    for (const child of children) await stopProcess(child, "SIGKILL");
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await sql.end();
    await database?.close();
    await dropDatabase();
    clearTimeout(watchdog);
  }

  console.log(`\nload average at end ${load()}`);
  console.log(
    `${"recipients".padStart(12)}${"fan-out/s".padStart(12)}${"baseline/s".padStart(12)}${"ratio".padStart(8)}` +
      `${"RSS before".padStart(12)}${"RSS peak".padStart(10)}${"heap peak".padStart(11)}${"heap after".padStart(12)}`,
  );
  for (const r of results) {
    console.log(
      `${fmt(r.size).padStart(12)}${fmt(r.size / (r.fanoutMs / 1000)).padStart(12)}${fmt(r.size / (r.baselineMs / 1000)).padStart(12)}` +
        `${(r.baselineMs / r.fanoutMs).toFixed(2).padStart(8)}${mb(r.rssStart).padStart(12)}${mb(r.maxRss).padStart(10)}` +
        `${mb(r.heapPeak).padStart(11)}${mb(r.heapAfter).padStart(12)}`,
    );
  }
  const best = results.at(-1)!;
  const rate = best.size / (best.fanoutMs / 1000);
  console.log(`Target >= 10,000 recipients/s fan-out on 2 cores: ${fmt(rate)}/s at ${fmt(best.size)} — ${rate >= 10_000 ? "met" : "missed"}`);
  if (results.length >= 2) {
    const small = results[0];
    console.log(
      `${fmt(best.size)} / ${fmt(small.size)} recipients: peak RSS ${(best.maxRss / small.maxRss).toFixed(2)}x, heap after a full collection ${(best.heapAfter / small.heapAfter).toFixed(2)}x ` +
        `(memory that does not grow with the audience: about 1.0x)`,
    );
  }
}

if (childSpec) {
  fanoutChild(JSON.parse(childSpec) as { url: string; database: string }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
