// Part 2 of npm run bench:journeys: event → first send latency through a real worker process.
// A "Signed Up" → send → exit journey; single track calls stored by ingestCalls (what
// POST /api/v1/track does: the event and its event.process job in one statement) at
// BENCH_RATE/s for BENCH_SECONDS; each call timed from its received_at (set before it is
// stored) to its message's `sent` message event. Three conditions, one after the other:
// the worker idle; a stream of 500 other events/s (known contacts) in the same workspace;
// 50,000 runs of another journey of the same workspace enrolled and due at once.
import os from "node:os";
import postgres from "postgres";
import { openDatabase, type Database } from "@/db/client";
import type { Journey } from "@/db/schema";
import { createBoss, enqueue, ensureQueues, setBoss } from "@/jobs/boss";
import { journeyAdvance } from "@/jobs/journey-advance";
import { jobs } from "@/jobs/registry";
import { parseBatchItem, parseCall, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import { benchUrl, enrolRange, fmt, graph, percentile, publish, recreateDatabase, seedContacts, setupWorkspace, sleep, startWorker } from "./journeys-setup";

const rate = Number(process.env.BENCH_RATE || 5);
const seconds = Number(process.env.BENCH_SECONDS || 30);
const streamRate = Number(process.env.BENCH_STREAM_RATE || 500);
const bulkRuns = Number(process.env.BENCH_BULK_RUNS || 50_000);
const sendWaitMs = 60_000;
const bulkWaitMs = 180_000;
// Contacts u-1 … u-1000 sign up, u-1001 … u-10000 send the stream, u-10001 … enter the bulk journey.
const streamUsers = { from: 1001, to: 10_000 };
const bulkFrom = 10_001;

interface Context {
  database: Database;
  sql: postgres.Sql;
  workspaceId: string;
  welcome: Journey;
}

interface Outcome {
  label: string;
  count: number;
  total: number[];
  toMessage: number[];
  toSent: number[];
  note: string;
  load: string;
}

function must(parsed: { call: TrackingCall } | { reason: string }): TrackingCall {
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

/** `count` Signed Up calls at `rate`/s, each stored on its own as the track route does. */
async function signups(context: Context, tag: string, firstUser: number, count: number): Promise<void> {
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const user = firstUser + index;
    const call = must(parseCall("track", { userId: `u-${user}`, event: "Signed Up", messageId: `${tag}-${user}`, properties: { source: "bench" } }));
    pending.push(ingestCalls(context.database.db, context.workspaceId, [call]));
  }
  await Promise.all(pending);
}

/** Other events (known contacts, names no journey listens to), `streamRate`/s in batches of 50 until stopped. */
function eventStream(context: Context) {
  const names = ["Product Viewed", "Product Added", "Checkout Started"];
  const perBatch = 50;
  let stopped = false;
  let sent = 0;
  const started = performance.now();
  const loop = (async () => {
    for (let batch = 0; !stopped; batch++) {
      const wait = started + (batch * perBatch * 1000) / streamRate - performance.now();
      if (wait > 0) await sleep(wait);
      const calls = Array.from({ length: perBatch }, (_, index) => {
        const n = batch * perBatch + index;
        const user = streamUsers.from + ((n * 7919) % (streamUsers.to - streamUsers.from + 1));
        return must(parseBatchItem({ type: "track", userId: `u-${user}`, event: names[n % names.length], messageId: `other-${n}`, properties: { sku: `p-${n % 500}` } }));
      });
      await ingestCalls(context.database.db, context.workspaceId, calls);
      sent += calls.length;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const [row] = await context.sql<{ processed: number }[]>`
        select count(*)::int as processed from events where workspace_id = ${context.workspaceId} and message_id like 'other-%' and processed_at is not null`;
      return { sent, processed: row.processed, seconds: (performance.now() - started) / 1000 };
    },
  };
}

interface Sample {
  received: number;
  queued: number | null;
  sent: number | null;
}

async function samples(context: Context, tag: string): Promise<Sample[]> {
  const rows = await context.sql<{ received: string; queued: string | null; sent: string | null }[]>`
    select extract(epoch from e.received_at) * 1000 as received, extract(epoch from m.created_at) * 1000 as queued,
           extract(epoch from s.at) * 1000 as sent
    from events e
    left join journey_runs r on r.workspace_id = e.workspace_id and r.journey_id = ${context.welcome.id} and r.entry ->> 'event_id' = e.id::text
    left join messages m on m.workspace_id = r.workspace_id and m.source = 'journey' and m.source_id = ${context.welcome.id}
                        and m.data -> '$journey' ->> 'run_id' = r.id::text
    left join message_events s on s.workspace_id = m.workspace_id and s.message_id = m.id and s.type = 'sent'
    where e.workspace_id = ${context.workspaceId} and e.message_id like ${`${tag}-%`}`;
  return rows.map((row) => ({ received: Number(row.received), queued: row.queued === null ? null : Number(row.queued), sent: row.sent === null ? null : Number(row.sent) }));
}

/** Waits until every call of `tag` has its message sent, or the deadline. */
async function waitSent(context: Context, tag: string, count: number, deadline: number): Promise<Sample[]> {
  for (;;) {
    const found = await samples(context, tag);
    if ((found.length === count && found.every((sample) => sample.sent !== null)) || Date.now() > deadline) return found;
    await sleep(250);
  }
}

/** Signups, then (`afterSignups`: the load stops) the wait for their messages, then `afterSent`. */
async function measure(
  context: Context,
  label: string,
  tag: string,
  firstUser: number,
  count: number,
  hooks: { afterSignups?: () => Promise<string>; afterSent?: () => Promise<string> } = {},
): Promise<Outcome> {
  const load = os.loadavg()[0].toFixed(1);
  await signups(context, tag, firstUser, count);
  const notes = [(await hooks.afterSignups?.()) ?? ""];
  const found = await waitSent(context, tag, count, Date.now() + sendWaitMs);
  notes.push((await hooks.afterSent?.()) ?? "");
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  // A call whose message was not sent within the wait counts as infinitely late.
  const total = sorted(found.map((sample) => (sample.sent === null ? Infinity : sample.sent - sample.received)));
  const toMessage = sorted(found.filter((sample) => sample.queued !== null).map((sample) => sample.queued! - sample.received));
  const toSent = sorted(found.filter((sample) => sample.sent !== null && sample.queued !== null).map((sample) => sample.sent! - sample.queued!));
  return { label, count, total, toMessage, toSent, note: notes.filter(Boolean).join("; "), load: `${load} → ${os.loadavg()[0].toFixed(1)}` };
}

function report(outcome: Outcome): void {
  const ms = (value: number) => (Number.isFinite(value) ? `${fmt(value)} ms` : `> ${sendWaitMs / 1000} s`);
  const sent = outcome.total.filter(Number.isFinite).length;
  console.log(
    `${outcome.label.padEnd(22)} ${sent}/${outcome.count} sent | p50 ${ms(percentile(outcome.total, 50))}, p95 ${ms(percentile(outcome.total, 95))}, ` +
      `p99 ${ms(percentile(outcome.total, 99))}, max ${ms(outcome.total.at(-1) ?? NaN)} | received → message queued p50 ${ms(percentile(outcome.toMessage, 50))}, ` +
      `p95 ${ms(percentile(outcome.toMessage, 95))}; queued → sent p50 ${ms(percentile(outcome.toSent, 50))}, p95 ${ms(percentile(outcome.toSent, 95))} | load ${outcome.load}`,
  );
  if (outcome.note) console.log(`${"".padEnd(22)} ${outcome.note}`);
}

async function bulkAdvance(context: Context, bulk: Journey) {
  const started = performance.now();
  const entered = await enrolRange(context.database.db, context.sql, bulk, bulkFrom, bulkFrom + bulkRuns - 1, new Date());
  const enrolMs = performance.now() - started;
  const queuedAt = Date.now();
  await enqueue(journeyAdvance, { workspaceId: context.workspaceId }, { singletonKey: context.workspaceId });
  return {
    async done() {
      const deadline = Date.now() + bulkWaitMs;
      for (;;) {
        const [row] = await context.sql<{ open: number; steps: number; last: string | null }[]>`
          select (select count(*)::int from journey_runs where workspace_id = ${context.workspaceId} and journey_id = ${bulk.id} and ended_at is null) as open,
                 (select count(*)::int from journey_steps where workspace_id = ${context.workspaceId} and journey_id = ${bulk.id}) as steps,
                 (select extract(epoch from max(ended_at)) * 1000 from journey_runs where workspace_id = ${context.workspaceId} and journey_id = ${bulk.id}) as last`;
        if (row.open === 0 || Date.now() > deadline) {
          const ms = row.open === 0 ? Number(row.last) - queuedAt : Date.now() - queuedAt;
          return (
            `bulk: ${fmt(entered)} runs enrolled in ${(enrolMs / 1000).toFixed(1)} s, then advanced by the worker (journey.advance and event.process) ` +
            (row.open === 0 ? `in ${(ms / 1000).toFixed(1)} s` : `for ${(ms / 1000).toFixed(1)} s, ${fmt(row.open)} runs left`) +
            `: ${fmt(row.steps)} steps = ${fmt(row.steps / (ms / 1000))} steps/s`
          );
        }
        await sleep(500);
      }
    },
  };
}

export async function latencyBench(): Promise<void> {
  const count = Math.round(rate * seconds);
  console.log(`\n2. Event → first send: ${count} Signed Up calls at ${rate}/s through a worker process, per condition (load average ${os.loadavg()[0].toFixed(1)})`);
  await recreateDatabase();
  const database = await openDatabase({ url: benchUrl });
  const boss = await createBoss(database, { maintenance: false });
  const sql = postgres(benchUrl, { max: 2, onnotice: () => {} });
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    await ensureQueues(boss, jobs);
    setBoss(boss);
    const db = database.db;
    const ws = await setupWorkspace(db, "Latency", ["Welcome"]);
    await seedContacts(sql, ws.workspaceId, bulkFrom + bulkRuns - 1);
    const welcome = await publish(
      db,
      ws.workspaceId,
      "Welcome",
      graph(
        [
          ["trigger", "trigger", { kind: "event", event: "Signed Up" }],
          ["welcome", "send", { templateId: ws.templates.Welcome }],
          ["exit", "exit", {}],
        ],
        ["trigger>welcome", "welcome>exit"],
      ),
    );
    const bulk = await publish(
      db,
      ws.workspaceId,
      "Bulk",
      graph(
        [
          ["trigger", "trigger", { kind: "manual" }],
          ["condition", "condition", { rule: { "==": [{ var: "attributes.plan" }, "pro"] } }],
          ["split", "split", { branches: [{ key: "a", weight: 50 }, { key: "b", weight: 50 }] }],
          ["exit", "exit", {}],
        ],
        ["trigger>condition", "condition:yes>split", "condition:no>exit", "split:a>exit", "split:b>exit"],
      ),
    );
    const context: Context = { database, sql, workspaceId: ws.workspaceId, welcome };
    worker = await startWorker();
    // Warm-up (not counted): the worker's first jobs load modules and fill caches.
    if (11 + 3 * count >= streamUsers.from) throw new Error(`BENCH_RATE × BENCH_SECONDS is at most ${Math.floor((streamUsers.from - 12) / 3)}`);
    await signups(context, "warm", 1, 10);
    await waitSent(context, "warm", 10, Date.now() + sendWaitMs);

    report(await measure(context, "idle worker", "idle", 11, count));

    const stream = eventStream(context);
    await sleep(3000);
    report(
      await measure(context, `+ ${streamRate} other events/s`, "loaded", 11 + count, count, {
        afterSignups: async () => {
          const { sent, processed, seconds: elapsed } = await stream.stop();
          return `stream: ${fmt(sent)} other events stored in ${elapsed.toFixed(1)} s, ${fmt(processed)} of them processed when the last signup was stored`;
        },
      }),
    );
    // The stream's backlog is worked off before the next condition.
    const drainUntil = Date.now() + 120_000;
    while (Date.now() < drainUntil) {
      const [row] = await sql<{ pending: number }[]>`select count(*)::int as pending from events where workspace_id = ${ws.workspaceId} and processed_at is null`;
      if (row.pending === 0) break;
      await sleep(500);
    }

    const advance = await bulkAdvance(context, bulk);
    report(await measure(context, `+ ${fmt(bulkRuns)}-run advance`, "bulk", 11 + 2 * count, count, { afterSent: () => advance.done() }));
  } finally {
    await worker?.stop();
    await sql.end();
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
    await database.close();
  }
}
