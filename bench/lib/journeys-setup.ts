// Shared by bench/journeys.ts: the bench database, a workspace with its templates, contacts
// seeded set-based, journeys built from a compact graph, enrolment in chunks, a worker process.
import { spawn, type ChildProcess } from "node:child_process";
import postgres from "postgres";
import type { Db } from "@/db/client";
import { attributeDefinitions, senderIdentities, users, type Journey } from "@/db/schema";
import { enrol } from "@/lib/journeys/enrol";
import type { JourneyGraph } from "@/lib/journeys/graph";
import { createJourney, publishJourney } from "@/lib/journeys/manage";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createWorkspace } from "@/lib/workspaces/create";

export const adminUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
export const databaseName = "tideline_bench_journeys";

export const benchUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

export const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function recreateDatabase(): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${databaseName}`);
  await admin.end();
}

export async function dropDatabase(): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}

export interface BenchWorkspace {
  workspaceId: string;
  /** Email templates (marketing), by name. */
  templates: Record<string, string>;
}

/** A workspace with a default sender, the `plan` attribute declared and these email templates (no SMTP: the outbox sends). */
export async function setupWorkspace(db: Db, name: string, templateNames: string[]): Promise<BenchWorkspace> {
  const [owner] = await db.insert(users).values({ email: `owner-${name.toLowerCase()}@example.test` }).returning();
  const { workspace } = await createWorkspace(db, { name, ownerId: owner.id });
  await db.insert(senderIdentities).values({ workspaceId: workspace.id, name: "Acme", email: "news@example.test", isDefault: true });
  await db.insert(attributeDefinitions).values({ workspaceId: workspace.id, key: "plan", type: "string", declared: true });
  const templates: Record<string, string> = {};
  for (const templateName of templateNames) {
    const { template } = await createTemplate(
      db,
      workspace.id,
      templateCreateSchema.parse({
        name: templateName,
        channel: "email",
        kind: "marketing",
        format: "code",
        subject: `${templateName}, {{ contact.first_name | default: "there" }}`,
        content: { component: "welcome", props: {} },
      }),
    );
    templates[templateName] = template.id;
  }
  return { workspaceId: workspace.id, templates };
}

/**
 * Contacts u-1 … u-N in one statement each (generate_series): an email, a first name, a
 * `plan` attribute (three in four "pro") and their user_id and email identities, so tracking
 * calls with `userId: "u-<i>"` find them.
 */
export async function seedContacts(sql: postgres.Sql, workspaceId: string, count: number): Promise<void> {
  await sql`
    insert into contacts (workspace_id, external_id, email, first_name, attributes)
    select ${workspaceId}, 'u-' || i, 'person' || i || '@example.com', 'First' || i,
           jsonb_build_object('plan', case when i % 4 = 0 then 'free' else 'pro' end, 'seats', i % 50)
    from generate_series(1, ${count}::int) as i`;
  await sql`
    insert into contact_identities (workspace_id, kind, value, contact_id)
    select workspace_id, 'user_id'::identity_kind, external_id, id from contacts where workspace_id = ${workspaceId}
    union all
    select workspace_id, 'email'::identity_kind, email, id from contacts where workspace_id = ${workspaceId}`;
  await sql`analyze contacts`;
  await sql`analyze contact_identities`;
}

/** A graph from a compact list: nodes with their settings, edges as "from>to" or "from:handle>to" (as tests/journeys.test.ts). */
export function graph(nodes: Array<[string, string, Record<string, unknown>]>, edges: string[]): JourneyGraph {
  return {
    nodes: nodes.map(([id, type, data], index) => ({ id, type: type as JourneyGraph["nodes"][number]["type"], position: { x: 0, y: index * 100 }, data })),
    edges: edges.map((text, index) => {
      const [from, to] = text.split(">");
      const [source, handle] = from.split(":");
      return { id: `e${index}`, source, target: to, sourceHandle: handle ?? null };
    }),
  };
}

export async function publish(db: Db, workspaceId: string, name: string, body: JourneyGraph): Promise<Journey> {
  const journey = await createJourney(db, workspaceId, { name, graph: body });
  return publishJourney(db, workspaceId, journey.id);
}

/** Enrols contacts (by external id range, inclusive) through enrol(), chunk by chunk, as the API's enrolment does. */
export async function enrolRange(db: Db, sql: postgres.Sql, journey: Journey, from: number, to: number, now: Date, chunk = 5000): Promise<number> {
  const rows = await sql<{ id: string }[]>`
    select id from contacts where workspace_id = ${journey.workspaceId} and external_id = any(
      select 'u-' || i from generate_series(${from}::int, ${to}::int) as i) order by id`;
  let entered = 0;
  for (let offset = 0; offset < rows.length; offset += chunk) {
    const entries = rows.slice(offset, offset + chunk).map((row) => ({ contactId: row.id, entry: { source: "api" } }));
    entered += (await enrol(db, journey, entries, now)).runs.length;
  }
  return entered;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const running = new Set<number>();

/** Kills the worker processes still running (the run's watchdog). */
export function killWorkers(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `npm run worker` against the bench database, in its own process group (tsx runs the script in a child of its own). */
export async function startWorker(): Promise<WorkerProcess> {
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS || "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "node_modules/tsx/dist/cli.mjs", "jobs/worker.ts"], {
    env: { ...process.env, DATABASE_URL: benchUrl, APP_URL: "https://mkt.example.test", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  running.add(child.pid!);
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  void exited.then(() => running.delete(child.pid!));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const until = Date.now() + 60_000;
  while (!output.includes("Tideline worker running")) {
    if (child.exitCode !== null) throw new Error(`worker exited:\n${output}`);
    if (Date.now() > until) {
      signal("SIGKILL");
      throw new Error(`worker did not start:\n${output}`);
    }
    await sleep(100);
  }
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
