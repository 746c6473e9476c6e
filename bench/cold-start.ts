// npm run bench:cold-start — how long `next start` takes to serve its first database-backed
// page on a brand-new database (embedded PGlite, and Postgres when BENCH_DATABASE_URL is set).
// Baseline, measured in the same run: the same server with in-process workers off
// (JOBS_IN_WEB=false), answering a request that needs no database.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const runs = Number(process.env.BENCH_RUNS || 3);
const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;

async function until(url: string, started: number, ok: (status: number) => boolean): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      await response.arrayBuffer();
      if (ok(response.status)) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (performance.now() - started > 120_000) throw new Error(`timed out waiting for ${url}`);
  }
}

async function once(kind: "embedded" | "postgres", port: number, baseline: boolean, reuseDataDir?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  if (baseline) env.JOBS_IN_WEB = "false";
  delete env.DATABASE_URL;
  let drop = async () => {};
  if (kind === "embedded") {
    env.DATA_DIR = reuseDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tideline-bench-"));
  } else {
    const name = `tideline_bench_${process.pid}_${port}`;
    const admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    drop = async () => {
      const again = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
      await again.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    };
  }
  const started = performance.now();
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env,
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const listening = await until(`${base}/robots.txt`, started, () => true);
    if (baseline) return { listening, health: 0, setupPage: 0, dataDir: env.DATA_DIR };
    const health = await until(`${base}/api/health`, started, (status) => status === 200);
    const setupStart = performance.now();
    await until(`${base}/setup`, setupStart, (status) => status === 200);
    const setupPage = performance.now() - started;
    return { listening, health, setupPage, dataDir: env.DATA_DIR };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await drop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("Run `npm run build` first.");
  const kinds: Array<"embedded" | "postgres"> = postgresUrl ? ["embedded", "postgres"] : ["embedded"];
  console.log(`cold start of next start on a new database, median of ${runs} runs (${os.cpus().length} cores)`);
  for (const kind of kinds) {
    const samples = [];
    const baselines = [];
    const restarts = [];
    for (let i = 0; i < runs; i++) {
      baselines.push(await once(kind, 3900 + i, true));
      const fresh = await once(kind, 3950 + i, false);
      samples.push(fresh);
      // Restarting on the data directory the fresh run created (embedded: the everyday `npm run dev`).
      if (kind === "embedded") restarts.push(await once(kind, 3970 + i, false, fresh.dataDir));
    }
    const listening = median(baselines.map((s) => s.listening));
    const health = median(samples.map((s) => s.health));
    const setupPage = median(samples.map((s) => s.setupPage));
    console.log(
      `${kind.padEnd(9)} baseline (no database) ${listening.toFixed(0)} ms | database open, migrated, workers up ${health.toFixed(0)} ms ` +
        `(${(health / listening).toFixed(2)}x) | setup page ${setupPage.toFixed(0)} ms (${(setupPage / listening).toFixed(2)}x)`,
    );
    if (restarts.length > 0) {
      const restart = median(restarts.map((s) => s.health));
      console.log(
        `${kind.padEnd(9)} restart on an existing data directory: workers up ${restart.toFixed(0)} ms (${(restart / listening).toFixed(2)}x)`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
