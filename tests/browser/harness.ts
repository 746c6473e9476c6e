import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { openDatabase, type Database } from "@/db/client";
import { createFreshPostgres, migratedDataDir, postgresUrl } from "../helpers/database";

export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Why browser tests cannot run here, or undefined when they can. Printed, never silent. */
export function browserSkipReason(): string | undefined {
  if (!fs.existsSync(chromiumPath)) {
    return `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;
  }
  return buildSkipReason();
}

/** Why tests that need `next start` (but no browser) cannot run here, or undefined when they can. */
export function buildSkipReason(): string | undefined {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(process.cwd(), distDir, "BUILD_ID"))) return `no production build in ${distDir} (run npm run build first)`;
  return undefined;
}

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

export interface RunningApp {
  url: string;
  kind: "embedded" | "postgres";
  /** Where its data lives: a Postgres URL or an embedded data directory. */
  database: AppDatabase;
  stop(): Promise<void>;
  logs(): string;
}

export type AppDatabase = { DATABASE_URL: string } | { DATA_DIR: string };

/** A fresh, empty database of the given kind that the caller prepares, starts apps on, and drops. */
export async function freshAppDatabase(kind: "embedded" | "postgres"): Promise<{ database: AppDatabase; drop(): Promise<void> }> {
  if (kind === "postgres") {
    const fresh = await createFreshPostgres();
    return { database: { DATABASE_URL: fresh.url }, drop: fresh.drop };
  }
  const dir = migratedDataDir("tideline-e2e-");
  return { database: { DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `next start` on a fresh, empty database of the given kind (dropped by stop()), or on
 * `options.database`, which the caller owns (prepared beforehand, inspected after stop()).
 */
export async function startApp(
  kind: "embedded" | "postgres",
  env: Record<string, string> = {},
  options: { database?: AppDatabase } = {},
): Promise<RunningApp> {
  const port = await freePort();
  const fresh = !options.database && kind === "postgres" ? await createFreshPostgres() : undefined;
  const database: AppDatabase = options.database ?? (fresh ? { DATABASE_URL: fresh.url } : { DATA_DIR: migratedDataDir("tideline-e2e-") });
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      // APP_URL: links in messages (sent by the in-process workers) point back at this server.
      env: { ...process.env, ...database, APP_URL: `http://127.0.0.1:${port}`, ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`next start did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    kind,
    database,
    logs: () => output,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(undefined);
        child.once("exit", resolve);
        setTimeout(() => child.kill("SIGKILL"), 5000);
      });
      await fresh?.drop();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

export const appKinds: Array<"embedded" | "postgres"> = postgresUrl ? ["embedded", "postgres"] : ["embedded"];

/** Completes the first-run setup page; leaves the page signed in on the new workspace. */
export async function setupThroughUi(
  page: import("playwright-core").Page,
  app: RunningApp,
  owner: { name: string; email: string; password: string; workspace: string },
): Promise<void> {
  await page.goto(`${app.url}/setup`);
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByLabel("Workspace name").fill(owner.workspace);
  await page.getByRole("button", { name: "Create owner and workspace" }).click();
  await page.waitForURL(/\/w\/[^/]+$/);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `check` until it passes: the app's workers do their part in the background. */
export async function until<T>(check: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${(error as Error).message}`);
      await sleep(400);
    }
  }
}

/** With SCREENSHOT_DIR set, keeps a full-page screenshot of the page for a look. */
export async function screenshot(page: import("playwright-core").Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Opens an app's database from the test process (embedded: only while the app is stopped). */
export function openAppDatabase(database: AppDatabase): Promise<Database> {
  return "DATABASE_URL" in database ? openDatabase({ url: database.DATABASE_URL }) : openDatabase({ dataDir: database.DATA_DIR });
}
