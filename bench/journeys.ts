// npm run bench:journeys — the journey engine on Postgres (issue #7), two figures:
//
// 1. Node steps/s per worker: N contacts (BENCH_CONTACTS, default 100,000, seeded with
//    generate_series) enrolled through enrol() into trigger → delay 1 minute → condition
//    (attributes.plan == "pro", three in four) → split 50/50 → send (email, marketing; no SMTP,
//    so the outbox) → exit. Then, in this one process as a worker would, advanceRuns in batches
//    of 500 at "now" (trigger → parked at the delay) and at now + 61 s on a test clock (delay →
//    condition → split → send → exit). Steps/s = rows written to journey_steps / time. The sends
//    are queued (messages, queued events, message.send jobs); no delivery is waited for.
//    Baseline, same run, same database, another workspace with the same runs: the floor of what
//    the engine writes, set-based — one INSERT ... SELECT of the same journey_steps rows with one
//    UPDATE of the runs to their end, then one of the messages, their queued events and their
//    pg-boss jobs (to a queue no worker reads).
// 2. Event → first send latency (bench/lib/journeys-latency.ts): a real `npm run worker`
//    process, a "Signed Up" → send journey, single track calls stored by ingestCalls as
//    POST /api/v1/track does, at BENCH_RATE/s for BENCH_SECONDS, idle and under load.
//
// Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; the run creates
// tideline_bench_journeys next to it and drops it at the end), BENCH_CONTACTS, BENCH_BATCH (runs
// per advance, default 500 as journey.advance), BENCH_PARTS (advance,latency), BENCH_MAX_MINUTES
// (the run is stopped after this, default 12). Exits non-zero on errors or wrong counts, never on
// a missed target.
import os from "node:os";
import postgres from "postgres";
import { openDatabase, type Database } from "@/db/client";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { messageSend } from "@/jobs/message-send";
import { jobs } from "@/jobs/registry";
import { advanceRuns } from "@/lib/journeys/engine";
import { cpuAvailable, perThousand, snapshot } from "./lib/cpu";
import { latencyBench } from "./lib/journeys-latency";
import { adminUrl, benchUrl, databaseName, dropDatabase, killWorkers, enrolRange, fmt, graph, publish, recreateDatabase, seedContacts, setupWorkspace } from "./lib/journeys-setup";

const contactCount = Number(process.env.BENCH_CONTACTS || 100_000);
const batchSize = Number(process.env.BENCH_BATCH || 500);
const parts = (process.env.BENCH_PARTS || "advance,latency").split(",");
const maxMinutes = Number(process.env.BENCH_MAX_MINUTES || 12);
const baselineQueue = "bench.baseline";
const load = () => os.loadavg().map((value) => value.toFixed(1)).join(" ");
const secondsOf = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const advanceGraph = (templates: Record<string, string>) =>
  graph(
    [
      ["trigger", "trigger", { kind: "manual" }],
      ["delay", "delay", { mode: "duration", duration: { amount: 1, unit: "minutes" } }],
      ["condition", "condition", { rule: { "==": [{ var: "attributes.plan" }, "pro"] } }],
      ["split", "split", { branches: [{ key: "a", weight: 50 }, { key: "b", weight: 50 }] }],
      ["send-a", "send", { templateId: templates["Offer A"] }],
      ["send-b", "send", { templateId: templates["Offer B"] }],
      ["exit", "exit", {}],
    ],
    ["trigger>delay", "delay>condition", "condition:yes>split", "condition:no>exit", "split:a>send-a", "split:b>send-b", "send-a>exit", "send-b>exit"],
  );

interface Pass {
  ms: number;
  runs: number;
  steps: number;
  sent: number;
  cpu: { self: number; postgres: number };
}

/** advanceRuns in batches until nothing is due at `now`, as journey.advance's loop does. */
async function advancePass(database: Database, workspaceId: string, now: Date): Promise<Pass> {
  const before = snapshot(databaseName);
  const started = performance.now();
  const total = { runs: 0, steps: 0, sent: 0 };
  for (;;) {
    const result = await advanceRuns(database.db, { workspaceId, now, limit: batchSize });
    total.runs += result.runs;
    total.steps += result.steps;
    total.sent += result.sent;
    if (result.runs < batchSize) break;
  }
  const ms = performance.now() - started;
  const cpu = perThousand(before, snapshot(databaseName), total.steps);
  return { ms, ...total, cpu: { self: cpu.self, postgres: cpu.postgres } };
}

/** The floor: the same steps, run updates, messages, queued events and jobs as single set-based statements. */
async function baseline(sql: postgres.Sql, workspaceId: string, journeyId: string, templateId: string, t0: Date, t1: Date) {
  const source = sql`
    select r.workspace_id, r.journey_id, r.id, r.contact_id, (c.attributes ->> 'plan') = 'pro' as pro,
           ('x' || substr(md5(r.journey_id || ':split:' || r.contact_id), 1, 8))::bit(32)::bigint < 2147483648 as a
    from journey_runs r join contacts c on c.workspace_id = r.workspace_id and c.id = r.contact_id
    where r.workspace_id = ${workspaceId} and r.journey_id = ${journeyId}`;
  const before = snapshot(databaseName);
  const started = performance.now();
  const [{ steps }] = await sql<{ steps: number }[]>`
    with src as materialized (${source}),
    written as (
      insert into journey_steps (workspace_id, journey_id, run_id, node_id, outcome, handle, detail, arrived_at, left_at)
      select s.workspace_id, s.journey_id, s.id, v.node_id, 'completed',
             case v.node_id when 'condition' then case when s.pro then 'yes' else 'no' end when 'split' then case when s.a then 'a' else 'b' end end,
             case when v.node_id like 'send%' then jsonb_build_object('message_id', gen_random_uuid()) end,
             case when v.node_id = 'trigger' then ${t0} else ${t1} end::timestamptz, case when v.node_id = 'trigger' then ${t0} else ${t1} end::timestamptz
      from src s cross join lateral (values ('trigger', false), ('delay', false), ('condition', false), ('split', true), ('send', true), ('exit', false)) as v(node_id, pro_only)
      where s.pro or not v.pro_only
      returning 1),
    moved as (
      update journey_runs r set node_id = 'exit', node_entered_at = ${t1}, status = 'completed', due_at = null, wait_until = null,
        steps = case when s.pro then 6 else 4 end, ended_at = ${t1}, end_reason = 'exit'
      from src s where r.workspace_id = s.workspace_id and r.id = s.id
      returning 1)
    select (select count(*)::int from written) as steps, (select count(*)::int from moved) as runs`;
  const stepsMs = performance.now() - started;
  const [{ messages }] = await sql<{ messages: number }[]>`
    with inserted as (
      insert into messages (workspace_id, idempotency_key, source, source_id, contact_id, channel, kind, template_id, template_version, data)
      select s.workspace_id, 'journey:' || s.id || ':send:4', 'journey', s.journey_id, s.contact_id, 'email', 'marketing', ${templateId}, 1,
             jsonb_build_object('$journey', jsonb_build_object('id', s.journey_id, 'run_id', s.id))
      from (${source}) s where s.pro
      returning id, workspace_id),
    recorded as (
      insert into message_events (workspace_id, message_id, type, details)
      select i.workspace_id, i.id, 'queued', '{"source":"journey"}'::jsonb from inserted i),
    queued as (
      insert into pgboss.job (name, data, retry_limit, retry_delay, retry_backoff, expire_in, keep_until, dead_letter, policy)
      select q.name, jsonb_build_object('workspaceId', i.workspace_id, 'messageId', i.id), q.retry_limit, q.retry_delay,
             q.retry_backoff, q.expire_seconds * interval '1 second', now() + interval '14 days', q.dead_letter, q.policy
      from inserted i join pgboss.queue q on q.name = ${baselineQueue})
    select count(*)::int as messages from inserted`;
  const ms = performance.now() - started;
  const cpu = perThousand(before, snapshot(databaseName), steps);
  return { steps, messages, stepsMs, ms, cpu };
}

async function advanceBench(): Promise<void> {
  console.log(`\n1. Node steps/s per worker: ${fmt(contactCount)} contacts, batches of ${batchSize} runs (load average ${load()})`);
  await recreateDatabase();
  const database = await openDatabase({ url: benchUrl });
  const boss = await createBoss(database, { maintenance: false });
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureQueues(boss, jobs);
    setBoss(boss);
    const send = await boss.getQueue(messageSend.name);
    // The baseline's jobs go to a queue like message.send's that no worker reads.
    await boss.createQueue(baselineQueue, {
      name: baselineQueue,
      policy: send!.policy,
      retryLimit: send!.retryLimit,
      retryDelay: send!.retryDelay,
      retryBackoff: send!.retryBackoff,
      expireInSeconds: send!.expireInSeconds,
      deadLetter: send!.deadLetter,
    });
    const db = database.db;
    const engine = await setupWorkspace(db, "Engine", ["Offer A", "Offer B"]);
    const floor = await setupWorkspace(db, "Floor", ["Offer A", "Offer B"]);
    let started = performance.now();
    for (const ws of [engine, floor]) await seedContacts(sql, ws.workspaceId, contactCount);
    console.log(`seeded ${fmt(contactCount)} contacts twice (engine and baseline workspaces) in ${secondsOf(performance.now() - started)}`);
    const journey = await publish(db, engine.workspaceId, "Offer", advanceGraph(engine.templates));
    const floorJourney = await publish(db, floor.workspaceId, "Offer", advanceGraph(floor.templates));
    const pro = contactCount - Math.floor(contactCount / 4);
    const expectedSteps = pro * 6 + (contactCount - pro) * 4;

    const t0 = new Date();
    const t1 = new Date(t0.getTime() + 61_000);
    await enrolRange(db, sql, floorJourney, 1, contactCount, t0);
    started = performance.now();
    const entered = await enrolRange(db, sql, journey, 1, contactCount, t0);
    const enrolMs = performance.now() - started;
    if (entered !== contactCount) throw new Error(`enrolled ${entered} of ${contactCount}`);
    console.log(`enrol ${fmt(entered)} runs through enrol() in chunks of 5,000: ${secondsOf(enrolMs)} = ${fmt(entered / (enrolMs / 1000))} runs/s`);
    await sql`analyze journey_runs`;
    await sql`checkpoint`;

    const floorRun = await baseline(sql, floor.workspaceId, floorJourney.id, floor.templates["Offer A"], t0, t1);
    if (floorRun.steps !== expectedSteps || floorRun.messages !== pro) throw new Error(`baseline wrote ${JSON.stringify(floorRun)}`);
    await sql`checkpoint`;

    const first = await advancePass(database, engine.workspaceId, t0);
    const second = await advancePass(database, engine.workspaceId, t1);
    const [counts] = await sql<{ steps: number; completed: number; messages: number; jobs: number }[]>`
      select (select count(*)::int from journey_steps where workspace_id = ${engine.workspaceId}) as steps,
             (select count(*)::int from journey_runs where workspace_id = ${engine.workspaceId} and status = 'completed') as completed,
             (select count(*)::int from messages where workspace_id = ${engine.workspaceId} and source = 'journey') as messages,
             (select count(*)::int from pgboss.job where name = ${messageSend.name}) as jobs`;
    const steps = first.steps + second.steps;
    if (counts.steps !== expectedSteps || steps !== expectedSteps || counts.completed !== contactCount || counts.messages !== pro || counts.jobs !== pro) {
      throw new Error(`engine wrote ${JSON.stringify({ ...counts, reported: steps, expectedSteps, pro })}`);
    }
    const rate = (n: number, ms: number) => n / (ms / 1000);
    const engineMs = first.ms + second.ms;
    const cpuLine = (cpu: { self: number; postgres: number }, who: string) =>
      cpuAvailable ? ` | CPU per 1,000 steps: ${who} ${cpu.self.toFixed(0)} ms, Postgres ${cpu.postgres.toFixed(0)} ms` : "";
    console.log(
      `advance at now      (trigger → parked at the delay): ${fmt(first.runs)} runs, ${fmt(first.steps)} steps in ${secondsOf(first.ms)} = ${fmt(rate(first.steps, first.ms))} steps/s` +
        cpuLine(first.cpu, "engine"),
    );
    console.log(
      `advance at now+61 s (delay → condition → split → send → exit): ${fmt(second.runs)} runs, ${fmt(second.steps)} steps, ${fmt(second.sent)} sends queued in ` +
        `${secondsOf(second.ms)} = ${fmt(rate(second.steps, second.ms))} steps/s` + cpuLine(second.cpu, "engine"),
    );
    console.log(
      `engine total: ${fmt(steps)} steps in ${secondsOf(engineMs)} = ${fmt(rate(steps, engineMs))} steps/s per worker (target ≥ 5,000); ` +
        `sends queued, not delivered (the advance only is measured)`,
    );
    console.log(
      `baseline (set-based floor, same rows): steps + run updates ${secondsOf(floorRun.stepsMs)} = ${fmt(rate(floorRun.steps, floorRun.stepsMs))} steps/s; ` +
        `with messages, queued events and jobs ${secondsOf(floorRun.ms)} = ${fmt(rate(floorRun.steps, floorRun.ms))} steps/s` + cpuLine(floorRun.cpu, "script"),
    );
    console.log(
      `engine / baseline: ${(rate(steps, engineMs) / rate(floorRun.steps, floorRun.ms)).toFixed(2)} of the full floor, ` +
        `${(rate(steps, engineMs) / rate(floorRun.steps, floorRun.stepsMs)).toFixed(2)} of steps + runs alone (load average ${load()})`,
    );
  } finally {
    await sql.end();
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
    await database.close();
  }
}

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`stopped: the run took longer than ${maxMinutes} minutes (BENCH_MAX_MINUTES)`);
    killWorkers();
    void dropDatabase().finally(() => process.exit(2));
  }, maxMinutes * 60_000);
  watchdog.unref();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [{ server_version: version }] = await admin`show server_version`;
  await admin.end();
  const started = performance.now();
  console.log(`journeys: ${os.cpus().length} cores, Node ${process.versions.node}, PostgreSQL ${version}; load average at start ${load()}`);
  try {
    if (parts.includes("advance")) await advanceBench();
    if (parts.includes("latency")) await latencyBench();
  } finally {
    await dropDatabase();
    console.log(`\nload average at end ${load()}; whole run ${secondsOf(performance.now() - started)}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
