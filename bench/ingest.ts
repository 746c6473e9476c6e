// npm run bench:ingest — tracking-call ingestion through POST /api/v1/batch on `next start`
// against Postgres, with autocannon (batches of 100 track events over 10k userIds, new
// messageIds in every request). Baseline, measured in the same run: raw multi-row INSERTs of
// the same rows into the same `events` table with postgres.js. Then how fast `event.process`
// (a separate `npm run worker`) drains the backlog the load left.
//
// Needs an existing build (NEXT_DIST_DIR or .next) and BENCH_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres), where it recreates `tideline_bench_ingest`.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { openDatabase } from "../db/client";
import { ensureOwnerWorkspace } from "../lib/workspaces/create";
import { cpuAvailable, perThousand, snapshot, type CpuSnapshot } from "./lib/cpu";

const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = "tideline_bench_ingest";
const seconds = Number(process.env.BENCH_SECONDS || 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS || 3);
const connectionCounts = (process.env.BENCH_CONNECTIONS || "16,64").split(",").map(Number);
const rawConnections = Number(process.env.BENCH_RAW_CONNECTIONS || 4);
const drainSeconds = Number(process.env.BENCH_DRAIN_SECONDS || 120);
const batchSize = 100;
const distinctUsers = 10_000;
const distDir = process.env.NEXT_DIST_DIR || ".next";

const benchUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

async function recreateDatabase(): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${databaseName}`);
  await admin.end();
}

/** A fresh database, migrated, with an owner, a workspace and its write key. */
async function prepare(): Promise<{ workspaceId: string; writeKey: string }> {
  await recreateDatabase();
  const database = await openDatabase({ url: benchUrl });
  try {
    const { workspace, writeKey } = await ensureOwnerWorkspace(database.db, {
      email: "bench@example.com",
      password: "bench password",
      workspaceName: "Bench",
    });
    return { workspaceId: workspace.id, writeKey };
  } finally {
    await database.close();
  }
}

// ── the calls ────────────────────────────────────────────────────────────────
const eventNames = ["Product Viewed", "Product Added", "Checkout Started", "Order Completed", "Signed In"];
const categories = ["shoes", "books", "garden", "games"];
let userCursor = 0;

function trackCall(tag: string, request: number, index: number, at: string) {
  const user = (userCursor = (userCursor + 7919) % distinctUsers);
  return {
    type: "track",
    messageId: `${tag}-${request}-${index}`,
    userId: `user-${user}`,
    event: eventNames[(request + index) % eventNames.length],
    properties: { productId: `p-${(request * 31 + index) % 5000}`, price: 19.99 + (index % 40), currency: "EUR", category: categories[index % 4] },
    context: { library: { name: "bench", version: "1" } },
    timestamp: at,
  };
}

function batchBody(tag: string, request: number): string {
  const at = new Date().toISOString();
  const batch = Array.from({ length: batchSize }, (_, index) => trackCall(tag, request, index, at));
  return JSON.stringify({ batch, sentAt: at });
}

// ── next start ───────────────────────────────────────────────────────────────
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output()}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`next start did not become healthy:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

/** The web tier only (JOBS_IN_WEB=false): processing is measured on its own afterwards. */
async function startServer(): Promise<{ url: string; pid?: number; stop(): Promise<void>; output(): string }> {
  const port = await freePort();
  let output = "";
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const nodeArgs = (process.env.BENCH_NODE_ARGS || "").split(" ").filter(Boolean);
  const next = path.join("node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [...nodeArgs, next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: benchUrl, JOBS_IN_WEB: "false", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, () => output);
  return { url, pid: child.pid, stop: () => stopProcess(child), output: () => output };
}

// ── load ─────────────────────────────────────────────────────────────────────
interface ApiRun {
  connections: number;
  tag: string;
  eventsPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  acknowledged: number;
  acknowledgedRequests: number[];
  cpu?: CpuSnapshot;
}

async function fire(url: string, writeKey: string, connections: number, duration: number, tag: string): Promise<ApiRun> {
  let request = 0;
  let acknowledged = 0;
  const acknowledgedRequests: number[] = [];
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
  const result = await autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: "/api/v1/batch",
        headers: { "content-type": "application/json", authorization },
        setupRequest(req, context) {
          const id = request++;
          (context as { id?: number }).id = id;
          return { ...req, body: batchBody(tag, id) };
        },
        onResponse(status, body, context) {
          if (status < 200 || status >= 300) return;
          const reply = JSON.parse(body) as { accepted?: number; duplicates?: number };
          acknowledged += (reply.accepted ?? 0) - (reply.duplicates ?? 0);
          acknowledgedRequests.push((context as { id: number }).id);
        },
      },
    ],
  });
  const elapsed = result.duration;
  return {
    connections,
    tag,
    eventsPerSecond: acknowledged / elapsed,
    requestsPerSecond: acknowledgedRequests.length / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    acknowledged,
    acknowledgedRequests,
  };
}

/** Every acknowledged event is stored; the only extras are requests cut off when the load stopped. */
async function verify(run: ApiRun): Promise<string> {
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ stored }] = await sql<{ stored: number }[]>`
      select count(*)::int as stored from events where message_id like ${`${run.tag}-%`}`;
    const [{ acknowledgedStored }] = await sql<{ acknowledgedStored: number }[]>`
      select count(*)::int as "acknowledgedStored" from events
      where message_id like ${`${run.tag}-%`} and split_part(message_id, '-', 2)::int = any(${run.acknowledgedRequests}::int[])`;
    const ok = acknowledgedStored === run.acknowledged && stored - run.acknowledged <= run.connections * batchSize;
    const extra = stored - acknowledgedStored;
    const verdict = `stored ${stored}, acknowledged ${run.acknowledged}, acknowledged and stored ${acknowledgedStored}` +
      (extra > 0 ? `, ${extra} stored from requests in flight when the load stopped` : "");
    if (!ok) throw new Error(`verification failed: ${verdict}`);
    return verdict;
  } finally {
    await sql.end();
  }
}

async function apiRun(connections: number): Promise<ApiRun> {
  const { writeKey } = await prepare();
  const server = await startServer();
  try {
    await fire(server.url, writeKey, connections, warmupSeconds, `w${connections}`);
    const before = snapshot(databaseName, server.pid);
    const run = await fire(server.url, writeKey, connections, seconds, `r${connections}`);
    run.cpu = perThousand(before, snapshot(databaseName, server.pid), run.acknowledged);
    console.log(
      `api  ${String(connections).padStart(3)} connections: ${fmt(run.eventsPerSecond)} events/s, ${fmt(run.requestsPerSecond)} requests/s, ` +
        `p50 ${run.p50} ms, p99 ${run.p99} ms, non-2xx ${run.non2xx}, errors ${run.errors}`,
    );
    if (cpuAvailable) {
      console.log(
        `     CPU per 1,000 events: next start ${run.cpu.server.toFixed(0)} ms, Postgres backends ${run.cpu.postgres.toFixed(0)} ms, ` +
          `autocannon ${run.cpu.self.toFixed(0)} ms`,
      );
    }
    console.log(`     verified: ${await verify(run)}`);
    return run;
  } finally {
    await server.stop();
  }
}

// ── baseline: raw multi-row INSERTs ──────────────────────────────────────────
async function rawRun(): Promise<number> {
  const { workspaceId } = await prepare();
  const sql = postgres(benchUrl, { max: rawConnections, onnotice: () => {} });
  const columns = ["workspace_id", "message_id", "type", "name", "user_id", "properties", "context", "timestamp", "received_at"] as const;
  let inserted = 0;
  let request = 0;
  const insertOne = async () => {
    const id = request++;
    const at = new Date();
    const rows = Array.from({ length: batchSize }, (_, index) => {
      const call = trackCall("raw", id, index, at.toISOString());
      return {
        workspace_id: workspaceId,
        message_id: call.messageId,
        type: "track",
        name: call.event,
        user_id: call.userId,
        properties: sql.json(call.properties),
        context: sql.json(call.context),
        timestamp: at,
        received_at: at,
      };
    });
    await sql`insert into events ${sql(rows, columns)}`;
    inserted += rows.length;
  };
  const loop = async (until: number) => {
    while (Date.now() < until) await insertOne();
  };
  try {
    await Promise.all(Array.from({ length: rawConnections }, () => loop(Date.now() + warmupSeconds * 1000)));
    inserted = 0;
    const before = snapshot(databaseName);
    const started = performance.now();
    const until = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: rawConnections }, () => loop(until)));
    const rate = inserted / ((performance.now() - started) / 1000);
    console.log(`raw  ${String(rawConnections).padStart(3)} connections: ${fmt(rate)} events/s (multi-row INSERT of ${batchSize}, postgres.js)`);
    if (cpuAvailable) {
      const cpu = perThousand(before, snapshot(databaseName), inserted);
      console.log(`     CPU per 1,000 events: Postgres backends ${cpu.postgres.toFixed(0)} ms, inserting script ${cpu.self.toFixed(0)} ms`);
    }
    return rate;
  } finally {
    await sql.end();
  }
}

// ── event.process draining the backlog ───────────────────────────────────────
async function drain(): Promise<void> {
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const pending = async () => (await sql<{ n: number }[]>`select count(*)::int as n from events where processed_at is null`)[0].n;
  const backlog = await pending();
  let output = "";
  // `npm run worker`, as a separate process; BENCH_WORKER_NODE_ARGS="--cpu-prof ..." profiles it.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS || "").split(" ").filter(Boolean);
  const worker = spawn(process.execPath, ["--import", "tsx", ...nodeArgs, "jobs/worker.ts"], {
    env: { ...process.env, DATABASE_URL: benchUrl, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout?.on("data", (chunk) => (output += chunk));
  worker.stderr?.on("data", (chunk) => (output += chunk));
  try {
    let started: number | undefined;
    let left = backlog;
    const deadline = Date.now() + drainSeconds * 1000;
    while (left > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (worker.exitCode !== null) throw new Error(`worker exited:\n${output}`);
      left = await pending();
      // Timed from the first processed batch, so the worker's start-up is not counted.
      if (started === undefined && left < backlog) started = performance.now();
    }
    const elapsed = started === undefined ? 0 : (performance.now() - started) / 1000;
    const done = backlog - left;
    const [{ people }] = await sql<{ people: number }[]>`select count(*)::int as people from contacts`;
    console.log(
      `drain event.process: ${done} of ${backlog} events in ${elapsed.toFixed(1)} s = ${fmt(elapsed ? done / elapsed : 0)} events/s, ` +
        `${people} contacts created` + (left > 0 ? ` (stopped after ${drainSeconds} s with ${left} left)` : ""),
    );
  } finally {
    await stopProcess(worker);
    await sql.end();
  }
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

async function main() {
  if (!fs.existsSync(path.join(distDir, "BUILD_ID"))) throw new Error(`No build in ${distDir}: run \`npm run build\` (or set NEXT_DIST_DIR).`);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [{ server_version: version }] = await admin`show server_version`;
  await admin.end();
  console.log(
    `ingest through POST /api/v1/batch: ${batchSize} track calls a request, ${distinctUsers} userIds, ${seconds} s runs after ${warmupSeconds} s warm-up; ` +
      `${os.cpus().length} cores, Node ${process.versions.node}, PostgreSQL ${version}`,
  );
  // Other work on the machine moves the throughput; the load average says how much there was.
  const load = () => os.loadavg()[0].toFixed(1);
  console.log(`load average at start ${load()}`);
  const raw = await rawRun();
  const runs: ApiRun[] = [];
  for (const connections of connectionCounts) runs.push(await apiRun(connections));
  const best = runs.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
  console.log(
    `best api ${fmt(best.eventsPerSecond)} events/s (${best.connections} connections) vs raw ${fmt(raw)} events/s: ratio ${(best.eventsPerSecond / raw).toFixed(2)}`,
  );
  await drain();
  console.log(`load average at end ${load()}`);
  const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await cleanup.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await cleanup.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
