import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { openDatabase, type Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { attributeDefinitions, contacts } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { enrolContacts } from "@/lib/journeys/enrol";
import { createJourney, publishJourney } from "@/lib/journeys/manage";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { createFreshPostgres, postgresUrl } from "./helpers/database";
import { startWorker, type WorkerProcess } from "./helpers/spawn";

const size = 10_000;

// A real worker process moves 10k runs through a journey and is SIGKILLed twice on the way.
// Each batch of runs moves in one transaction, so a kill loses no run and repeats no send.
// The separate process needs a server database; the engine runs on both in tests/journeys.test.ts.
describe.skipIf(!postgresUrl)("10k journey runs survive their worker killed twice (Postgres)", () => {
  let fresh: Awaited<ReturnType<typeof createFreshPostgres>>;
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    fresh = await createFreshPostgres();
    database = await openDatabase({ url: fresh.url });
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
    await fresh?.drop();
  });

  it("completes every run once: no run lost, no message queued twice", { timeout: 600_000 }, async () => {
    const db = database.db;
    const { workspace } = await createOwnedWorkspace(db);
    const { template } = await createTemplate(
      db,
      workspace.id,
      templateCreateSchema.parse({ name: "Hello", channel: "email", format: "code", subject: "Hello", content: { component: "newsletter", props: {} } }),
    );
    const journey = await createJourney(db, workspace.id, {
      name: "Onboarding",
      graph: {
        nodes: [
          { id: "trigger", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
          { id: "pro", type: "condition", position: { x: 0, y: 100 }, data: { rule: { "==": [{ var: "attributes.plan" }, "pro"] } } },
          { id: "split", type: "split", position: { x: 0, y: 200 }, data: { branches: [{ key: "a", weight: 50 }, { key: "b", weight: 50 }] } },
          { id: "hello", type: "send", position: { x: 0, y: 300 }, data: { templateId: template.id } },
          { id: "tag", type: "update", position: { x: 200, y: 300 }, data: { action: "add_tag", tag: "onboarded" } },
          { id: "done", type: "exit", position: { x: 0, y: 400 }, data: {} },
        ],
        edges: [
          { id: "e1", source: "trigger", target: "pro" },
          { id: "e2", source: "pro", sourceHandle: "yes", target: "split" },
          { id: "e3", source: "pro", sourceHandle: "no", target: "tag" },
          { id: "e4", source: "split", sourceHandle: "a", target: "hello" },
          { id: "e5", source: "split", sourceHandle: "b", target: "tag" },
          { id: "e6", source: "hello", target: "done" },
          { id: "e7", source: "tag", target: "done" },
        ],
      },
    });
    await db.insert(attributeDefinitions).values({ workspaceId: workspace.id, key: "plan", type: "string", declared: true });
    await publishJourney(db, workspace.id, journey.id);
    await db.execute(sql`
      insert into contacts (workspace_id, email, attributes)
      select ${workspace.id}, 'p' || n || '@example.test', jsonb_build_object('plan', case when n % 4 = 0 then 'free' else 'pro' end)
      from generate_series(1, ${size}) as n`);
    const people = await db.select({ id: contacts.id }).from(contacts).where(sql`${contacts.workspaceId} = ${workspace.id}`);
    for (let start = 0; start < people.length; start += 1000) {
      await enrolContacts(db, workspace.id, journey.id, people.slice(start, start + 1000).map((person) => ({ contactId: person.id })), "api");
    }

    const ended = async () => {
      const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from journey_runs where workspace_id = ${workspace.id} and ended_at is not null`);
      return row.n;
    };
    const waitFor = async (condition: () => Promise<boolean>, what: string, worker: WorkerProcess, limitMs = 240_000) => {
      const deadline = Date.now() + limitMs;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker said:\n${worker.output().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    // A killed worker's jobs stay active until their expiry; expire them now instead of in a minute.
    const expireActiveJobs = () => db.execute(sql`update pgboss.job set state = 'retry', start_after = now() where state = 'active'`);

    const kills: number[] = [];
    for (const threshold of [1, 4000]) {
      const worker = startWorker(fresh.url);
      await waitFor(async () => (await ended()) >= threshold, `${threshold} runs`, worker);
      worker.kill("SIGKILL");
      await worker.exited;
      kills.push(await ended());
      await expireActiveJobs();
    }
    const last = startWorker(fresh.url);
    try {
      await waitFor(async () => (await ended()) === size, "every run to end", last);
    } finally {
      last.kill("SIGTERM");
      await last.exited;
    }
    // The kills landed with runs still in flight.
    expect(kills[0]).toBeLessThan(size);
    expect(kills[1]).toBeLessThan(size);

    // Pro contacts pass trigger, condition, split, send or tag, exit; free ones skip the split.
    const [runs] = await queryRows<{ total: number; completed: number; wrong_steps: number }>(
      db,
      sql`select count(*)::int as total, count(*) filter (where r.status = 'completed' and r.end_reason = 'exit')::int as completed,
                 count(*) filter (where r.steps <> case when c.attributes ->> 'plan' = 'pro' then 5 else 4 end)::int as wrong_steps
          from journey_runs r join contacts c on c.workspace_id = r.workspace_id and c.id = r.contact_id
          where r.workspace_id = ${workspace.id}`,
    );
    expect(runs).toEqual({ total: size, completed: size, wrong_steps: 0 });
    const [steps] = await queryRows<{ total: number; hello: number; tag: number }>(
      db,
      sql`select count(*)::int as total, count(*) filter (where node_id = 'hello')::int as hello, count(*) filter (where node_id = 'tag')::int as tag
          from journey_steps where workspace_id = ${workspace.id}`,
    );
    expect(steps.total).toBe((size * 3) / 4 * 5 + (size / 4) * 4);
    const [sent] = await queryRows<{ messages: number; contacts: number }>(
      db,
      sql`select count(*)::int as messages, count(distinct contact_id)::int as contacts from messages where workspace_id = ${workspace.id} and source = 'journey'`,
    );
    expect(sent).toEqual({ messages: steps.hello, contacts: steps.hello });
    const [tagged] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from contacts where workspace_id = ${workspace.id} and 'onboarded' = any(tags)`);
    expect(tagged.n).toBe(steps.tag);
    // A quarter are on the free plan (tag); of the rest, the split sends to about half.
    expect(steps.hello + steps.tag).toBe(size);
    expect(steps.hello).toBeGreaterThan(size * 0.3);
  });
});
