import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { eraseContact } from "@/db/queries/contacts";
import { queryRows } from "@/db/sql";
import { attributeDefinitions, contacts, journeyRuns, messages, senderIdentities, tasks, type Journey } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import { jobs } from "@/jobs/registry";
import { closeSmtpPools } from "@/lib/channels/smtp";
import { verifyWebhookSignature } from "@/lib/channels/webhook";
import { enrolDateTriggers } from "@/lib/journeys/dates";
import { enrolContacts } from "@/lib/journeys/enrol";
import { advanceRuns, nextLocalWeekdayTime } from "@/lib/journeys/engine";
import type { JourneyGraph } from "@/lib/journeys/graph";
import { archiveJourney, createJourney, pauseJourney, publishJourney, resumeJourney, updateJourney } from "@/lib/journeys/manage";
import { contactJourneys, listRuns, nodeStats } from "@/lib/journeys/stats";
import { deliverMessage } from "@/lib/messages/send";
import { saveMessagingSettings } from "@/lib/messages/settings";
import { contactCoupons, createCampaign } from "@/lib/rewards/coupons";
import { createTemplate } from "@/lib/messages/templates";
import { changeListMembers } from "@/lib/segments/membership";
import { createSegment } from "@/lib/segments/manage";
import { parseBatchItem, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";
import { startSmtpCatcher, type SmtpCatcher } from "./helpers/smtp";

function call(raw: Record<string, unknown>): TrackingCall {
  const parsed = parseBatchItem(raw);
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

const day = 86_400_000;

/** A graph from a compact list: nodes with their settings, edges as "from>to" or "from:handle>to". */
function graph(nodes: Array<[string, string, Record<string, unknown>]>, edges: string[]): JourneyGraph {
  return {
    nodes: nodes.map(([id, type, data], index) => ({ id, type: type as JourneyGraph["nodes"][number]["type"], position: { x: 0, y: index * 100 }, data })),
    edges: edges.map((text, index) => {
      const [from, to] = text.split(">");
      const [source, handle] = from.split(":");
      return { id: `e${index}`, source, target: to, sourceHandle: handle ?? null };
    }),
  };
}

describe.each(databaseKinds)("journeys on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;
  let smtp: SmtpCatcher;

  beforeAll(async () => {
    process.env.APP_URL = "https://mkt.example.test";
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
    smtp = await startSmtpCatcher();
  });

  afterEach(() => {
    smtp.received.length = 0;
    smtp.count = 0;
  });

  afterAll(async () => {
    closeSmtpPools();
    await smtp?.close();
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  async function workspace(options: { smtp?: boolean } = {}) {
    const db = database.db;
    const { workspace, owner } = await createOwnedWorkspace(db);
    if (options.smtp) await saveMessagingSettings(db, workspace.id, { smtpUrl: smtp.url, postalAddress: "1 Harbour Road" });
    await db.insert(senderIdentities).values({ workspaceId: workspace.id, name: "Acme", email: "news@example.test", isDefault: true });
    const template = async (name: string, subject: string) =>
      (
        await createTemplate(
          db,
          workspace.id,
          templateCreateSchema.parse({ name, channel: "email", kind: "transactional", format: "code", subject, content: { component: "transactional", props: {} } }),
        )
      ).template;
    return { workspace, owner, template };
  }

  /** What the worker does with a batch of tracking calls: process them (entries, wake-ups) and advance at once. */
  async function track(workspaceId: string, calls: Record<string, unknown>[], receivedAt?: Date) {
    await ingestCalls(database.db, workspaceId, calls.map(call), receivedAt);
    await eventProcess.handle({ workspaceId }, { database, db: database.db, jobId: "test", attempt: 0 });
  }

  async function advance(workspaceId: string, now: Date) {
    for (;;) {
      const { runs } = await advanceRuns(database.db, { workspaceId, now, limit: 200 });
      if (runs < 200) return;
    }
  }

  async function journeyMessages(workspaceId: string) {
    return database.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.source, "journey")));
  }

  async function deliverQueued(workspaceId: string) {
    const queued = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.status, "queued")));
    for (const message of queued) await deliverMessage(database.db, workspaceId, message.id, { finalAttempt: true });
  }

  async function publish(workspaceId: string, name: string, body: JourneyGraph): Promise<Journey> {
    const journey = await createJourney(database.db, workspaceId, { name, graph: body });
    return publishJourney(database.db, workspaceId, journey.id);
  }

  function received() {
    return smtp.received.map((mail) => `${mail.envelopeTo[0]} ${mail.parsed.subject}`).sort();
  }

  it("runs the whitepaper journey: thank-you at once, the case study three days later only to those who saw pricing", async () => {
    const { workspace: ws, template } = await workspace({ smtp: true });
    const thanks = await template("Thanks", "Thanks for downloading {{ event.properties.title }}");
    const caseStudy = await template("Case study", "How Acme cut costs, {{ contact.first_name }}");
    const journey = await publish(
      ws.id,
      "Whitepaper",
      graph(
        [
          ["trigger", "trigger", { kind: "event", event: "Whitepaper Downloaded", reentry: "never" }],
          ["thanks", "send", { templateId: thanks.id }],
          ["wait3", "delay", { mode: "duration", duration: { amount: 3, unit: "days" } }],
          ["pricing", "condition", { rule: { performed: { event: "Pricing Viewed", within_days: 7 } } }],
          ["case", "send", { templateId: caseStudy.id }],
          ["done", "exit", {}],
        ],
        ["trigger>thanks", "thanks>wait3", "wait3>pricing", "pricing:yes>case", "pricing:no>done"],
      ),
    );
    expect(journey).toMatchObject({ status: "active", version: 1, triggerEvent: "Whitepaper Downloaded" });

    const start = new Date();
    await track(ws.id, [
      { type: "identify", userId: "ann", traits: { email: "ann@example.test", firstName: "Ann" } },
      { type: "identify", userId: "bob", traits: { email: "bob@example.test", firstName: "Bob" } },
      { type: "track", userId: "ann", event: "Whitepaper Downloaded", properties: { title: "The MA guide" } },
      { type: "track", userId: "bob", event: "Whitepaper Downloaded", properties: { title: "The MA guide" } },
      // A second download never enters again ("never").
      { type: "track", userId: "bob", event: "Whitepaper Downloaded", properties: { title: "The MA guide" } },
    ]);
    await deliverQueued(ws.id);
    expect(received()).toEqual(["ann@example.test Thanks for downloading The MA guide", "bob@example.test Thanks for downloading The MA guide"]);

    await track(ws.id, [{ type: "track", userId: "ann", event: "Pricing Viewed", properties: { plan: "pro" } }]);
    // Two days on, nothing is due; three days on, the condition splits them.
    await advance(ws.id, new Date(start.getTime() + 2 * day));
    expect(await journeyMessages(ws.id)).toHaveLength(2);
    await advance(ws.id, new Date(start.getTime() + 3 * day + 60_000));
    await deliverQueued(ws.id);
    expect(received()).toEqual([
      "ann@example.test How Acme cut costs, Ann",
      "ann@example.test Thanks for downloading The MA guide",
      "bob@example.test Thanks for downloading The MA guide",
    ]);
    // Advancing again (a retried job) sends nothing more.
    await advance(ws.id, new Date(start.getTime() + 4 * day));
    await deliverQueued(ws.id);
    expect(smtp.received).toHaveLength(3);

    const stats = Object.fromEntries((await nodeStats(database.db, ws.id, journey.id)).map((node) => [node.nodeId, node]));
    expect(stats.thanks).toMatchObject({ entered: 2, completed: 2, waiting: 0 });
    expect(stats.case).toMatchObject({ entered: 1, completed: 1 });
    expect(stats.done).toMatchObject({ entered: 1, completed: 1 });
    const runs = await listRuns(database.db, ws.id, journey.id);
    expect(runs.runs.map((run) => run.status)).toEqual(["completed", "completed"]);
    const [annsRun] = await contactJourneys(database.db, ws.id, runs.runs.find((run) => run.email === "ann@example.test")!.contactId);
    expect(annsRun.path.map((step) => step.nodeId)).toEqual(["trigger", "thanks", "wait3", "pricing", "case"]);
  });

  it("sends the cart recovery email only to those who did not order within the hour", async () => {
    const { workspace: ws, template } = await workspace({ smtp: true });
    const recovery = await template("Recovery", "You left {{ event.properties.items }} items in your cart");
    const journey = await publish(
      ws.id,
      "Cart abandoned",
      graph(
        [
          ["trigger", "trigger", { kind: "event", event: "Cart Updated", where: { ">": [{ var: "properties.items" }, 0] }, reentry: "after_exit" }],
          ["wait", "wait", { for: "event", event: "Order Completed", timeout: { amount: 1, unit: "hours" } }],
          ["recover", "send", { templateId: recovery.id }],
          ["bought", "exit", {}],
        ],
        ["trigger>wait", "wait:timeout>recover", "wait:matched>bought"],
      ),
    );
    const start = new Date();
    await track(ws.id, [
      { type: "identify", userId: "cat", traits: { email: "cat@example.test" } },
      { type: "identify", userId: "dan", traits: { email: "dan@example.test" } },
      { type: "identify", userId: "eve", traits: { email: "eve@example.test" } },
      { type: "track", userId: "cat", event: "Cart Updated", properties: { items: 2 } },
      { type: "track", userId: "dan", event: "Cart Updated", properties: { items: 3 } },
      // An empty cart does not match the trigger's property rule.
      { type: "track", userId: "eve", event: "Cart Updated", properties: { items: 0 } },
    ]);
    await track(ws.id, [{ type: "track", userId: "cat", event: "Order Completed", properties: { revenue: 40 } }]);
    await advance(ws.id, new Date(start.getTime() + 61 * 60_000));
    await deliverQueued(ws.id);
    expect(received()).toEqual(["dan@example.test You left 3 items in your cart"]);
    const stats = Object.fromEntries((await nodeStats(database.db, ws.id, journey.id)).map((node) => [node.nodeId, node]));
    expect(stats.wait).toMatchObject({ entered: 2, completed: 2 });
    expect(stats.bought).toMatchObject({ entered: 1 });
    expect(stats.recover).toMatchObject({ entered: 1 });
  });

  it("keeps runs on the version they entered, freezes them while paused, and ends them on archive", async () => {
    const { workspace: ws, template } = await workspace();
    const first = await template("First", "Version one");
    const second = await template("Second", "Version two");
    const body = (templateId: string) =>
      graph(
        [
          ["trigger", "trigger", { kind: "manual", reentry: "always" }],
          ["delay", "delay", { mode: "duration", duration: { amount: 1, unit: "days" } }],
          ["send", "send", { templateId }],
        ],
        ["trigger>delay", "delay>send"],
      );
    const journey = await publish(ws.id, "Versions", body(first.id));
    const [ann] = await database.db.insert(contacts).values({ workspaceId: ws.id, email: "ann@example.test" }).returning();
    const start = new Date();
    await enrolContacts(database.db, ws.id, journey.id, [{ contactId: ann.id, key: "k1" }], "api", start);
    // The same idempotency key enters once, even with re-entry allowed.
    await enrolContacts(database.db, ws.id, journey.id, [{ contactId: ann.id, key: "k1" }], "api", start);
    await advance(ws.id, start);
    await updateJourney(database.db, ws.id, journey.id, { graph: body(second.id) });
    expect((await publishJourney(database.db, ws.id, journey.id)).version).toBe(2);
    await enrolContacts(database.db, ws.id, journey.id, [{ contactId: ann.id, key: "k2" }], "api", start);
    await advance(ws.id, start);

    await pauseJourney(database.db, ws.id, journey.id);
    await advance(ws.id, new Date(start.getTime() + 2 * day));
    expect(await journeyMessages(ws.id)).toHaveLength(0);
    await expect(enrolContacts(database.db, ws.id, journey.id, [{ contactId: ann.id }], "api", start)).rejects.toThrow(/paused/);

    await resumeJourney(database.db, ws.id, journey.id);
    await advance(ws.id, new Date(start.getTime() + 2 * day));
    const sent = await journeyMessages(ws.id);
    expect(sent.map((message) => message.templateId).sort()).toEqual([first.id, second.id].sort());

    await enrolContacts(database.db, ws.id, journey.id, [{ contactId: ann.id, key: "k3" }], "api", start);
    await advance(ws.id, start);
    await archiveJourney(database.db, ws.id, journey.id);
    const runs = await database.db.select().from(journeyRuns).where(and(eq(journeyRuns.workspaceId, ws.id), eq(journeyRuns.journeyId, journey.id)));
    expect(runs.map((run) => run.status).sort()).toEqual(["completed", "completed", "exited"]);
  });

  it("ends a run as converted when the goal is reached, from any node", async () => {
    const { workspace: ws, template } = await workspace();
    const nudge = await template("Nudge", "Still thinking?");
    const journey = await publish(
      ws.id,
      "Trial",
      graph(
        [
          ["trigger", "trigger", { kind: "event", event: "Trial Started", goal: { performed: { event: "Subscribed" } } }],
          ["delay", "delay", { mode: "duration", duration: { amount: 5, unit: "days" } }],
          ["nudge", "send", { templateId: nudge.id }],
        ],
        ["trigger>delay", "delay>nudge"],
      ),
    );
    const start = new Date();
    await track(ws.id, [
      { type: "track", userId: "fay", event: "Trial Started" },
      { type: "track", userId: "gus", event: "Trial Started" },
    ]);
    await track(ws.id, [{ type: "track", userId: "fay", event: "Subscribed" }]);
    const fay = await queryRows<{ status: string; end_reason: string }>(
      database.db,
      sql`select r.status, r.end_reason from journey_runs r join contact_identities i on i.workspace_id = r.workspace_id and i.contact_id = r.contact_id
          where r.workspace_id = ${ws.id} and i.kind = 'user_id' and i.value = 'fay'`,
    );
    expect(fay).toEqual([{ status: "converted", end_reason: "goal" }]);
    await advance(ws.id, new Date(start.getTime() + 6 * day));
    expect(await journeyMessages(ws.id)).toHaveLength(1);
    const stats = Object.fromEntries((await nodeStats(database.db, ws.id, journey.id)).map((node) => [node.nodeId, node]));
    expect(stats.trigger).toMatchObject({ entered: 2, converted: 1 });
  });

  it("enrols a segment's entrants, splits them stickily, tags them and gives sales a task with an email", async () => {
    const { workspace: ws, owner, template } = await workspace();
    const offer = await template("Offer", "An offer");
    const list = await createSegment(database.db, ws.id, { name: "VIP", kind: "static" });
    const journey = await publish(
      ws.id,
      "VIP",
      graph(
        [
          ["trigger", "trigger", { kind: "segment", segmentId: list.id }],
          ["split", "split", { branches: [{ key: "a", weight: 50 }, { key: "b", weight: 50 }] }],
          ["offer", "send", { templateId: offer.id }],
          ["tag", "update", { action: "add_tag", tag: "vip-b" }],
          ["task", "task", { title: "Call this VIP", assigneeId: owner.id, notify: true }],
        ],
        ["trigger>split", "split:a>offer", "split:b>tag", "tag>task"],
      ),
    );
    const people = await database.db
      .insert(contacts)
      .values(Array.from({ length: 40 }, (_, index) => ({ workspaceId: ws.id, email: `v${index}@example.test` })))
      .returning({ id: contacts.id });
    await changeListMembers(database.db, ws.id, list.id, { add: people.map((person) => person.id) });
    await advance(ws.id, new Date());
    const runs = await database.db.select().from(journeyRuns).where(and(eq(journeyRuns.workspaceId, ws.id), eq(journeyRuns.journeyId, journey.id)));
    expect(runs).toHaveLength(40);
    const offers = (await journeyMessages(ws.id)).filter((message) => message.templateId === offer.id);
    const tagged = await queryRows<{ count: number }>(database.db, sql`select count(*)::int as count from contacts where workspace_id = ${ws.id} and 'vip-b' = any(tags)`);
    expect(offers.length + tagged[0].count).toBe(40);
    expect(offers.length).toBeGreaterThan(5);
    expect(tagged[0].count).toBeGreaterThan(5);
    const made = await database.db.select().from(tasks).where(eq(tasks.workspaceId, ws.id));
    expect(made).toHaveLength(tagged[0].count);
    expect(made[0]).toMatchObject({ title: "Call this VIP", assigneeId: owner.id, status: "open", source: "journey" });
    // The owner is told by email (through the pipeline, once per task).
    const notes = await database.db.select().from(messages).where(and(eq(messages.workspaceId, ws.id), eq(messages.toAddress, owner.email)));
    expect(notes).toHaveLength(made.length);
    await deliverQueued(ws.id);
    const [note] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, ws.id), eq(messages.id, notes[0].id)));
    expect(note).toMatchObject({ status: "sent", subject: "New task: Call this VIP" });

    // Leaving and re-entering the segment enters again (after_exit is the default) and takes the same branch.
    const aBranch = new Set(offers.map((message) => message.contactId));
    const someone = people.find((person) => aBranch.has(person.id))!;
    await changeListMembers(database.db, ws.id, list.id, { remove: [someone.id] });
    await changeListMembers(database.db, ws.id, list.id, { add: [someone.id] });
    await advance(ws.id, new Date());
    const again = (await journeyMessages(ws.id)).filter((message) => message.contactId === someone.id);
    expect(again).toHaveLength(2);
  });

  it("enrols on a birthday at nine in the contact's own timezone, once that day", async () => {
    const { workspace: ws, template } = await workspace();
    const card = await template("Birthday", "Happy birthday");
    await database.db.insert(attributeDefinitions).values({ workspaceId: ws.id, key: "birthday", type: "date", declared: true });
    await publish(
      ws.id,
      "Birthday",
      graph(
        [
          ["trigger", "trigger", { kind: "date", attribute: "birthday", offsetDays: 0, time: "09:00", yearly: true, reentry: "always" }],
          ["card", "send", { templateId: card.id }],
        ],
        ["trigger>card"],
      ),
    );
    await database.db.insert(contacts).values([
      { workspaceId: ws.id, email: "sh@example.test", timezone: "Asia/Shanghai", attributes: { birthday: "1990-03-10" } },
      { workspaceId: ws.id, email: "ny@example.test", timezone: "America/New_York", attributes: { birthday: "1985-03-10" } },
      { workspaceId: ws.id, email: "bad@example.test", timezone: "Asia/Shanghai", attributes: { birthday: "1990-02-30" } },
    ]);
    // 01:30 UTC on 10 March 2027 is 09:30 in Shanghai and the evening of the 9th in New York.
    const shanghaiMorning = new Date("2027-03-10T01:30:00Z");
    await enrolDateTriggers(database.db, shanghaiMorning);
    await enrolDateTriggers(database.db, new Date("2027-03-10T02:30:00Z"));
    await advance(ws.id, shanghaiMorning);
    expect((await journeyMessages(ws.id)).length).toBe(1);
    // 14:00 UTC is 09:00 in New York (EST on 10 March 2027).
    await enrolDateTriggers(database.db, new Date("2027-03-10T14:00:00Z"));
    await advance(ws.id, new Date("2027-03-10T14:00:00Z"));
    expect((await journeyMessages(ws.id)).length).toBe(2);
  });

  it("refuses to publish a graph with problems, naming the nodes", async () => {
    const { workspace: ws } = await workspace();
    const journey = await createJourney(database.db, ws.id, {
      name: "Broken",
      graph: graph(
        [
          ["trigger", "trigger", { kind: "event", reentry: "never" }],
          ["check", "condition", { rule: { ">": [{ var: "attributes.unknown" }, 1] } }],
          ["send", "send", { templateId: "00000000-0000-4000-8000-000000000000" }],
          ["lost", "exit", {}],
        ],
        ["trigger>check", "check:yes>send"],
      ),
    });
    const error = await publishJourney(database.db, ws.id, journey.id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "validation_failed" });
    const problems = (error as { details: Array<{ nodeId?: string; code: string }> }).details.map((problem) => `${problem.nodeId}:${problem.code}`);
    expect(problems).toEqual(expect.arrayContaining(["trigger:trigger_event_missing", "check:rule_invalid", "send:template_missing", "lost:unreachable", "check:branch_unconnected"]));
  });

  it("moves a batch once when two workers advance the same runs at the same time", async () => {
    const { workspace: ws, template } = await workspace();
    const hello = await template("Hello", "Hello");
    const journey = await publish(
      ws.id,
      "Hello",
      graph([["trigger", "trigger", { kind: "manual" }], ["hello", "send", { templateId: hello.id }]], ["trigger>hello"]),
    );
    const people = await database.db
      .insert(contacts)
      .values(Array.from({ length: 300 }, (_, index) => ({ workspaceId: ws.id, email: `p${index}@example.test` })))
      .returning({ id: contacts.id });
    const now = new Date();
    await enrolContacts(database.db, ws.id, journey.id, people.map((person) => ({ contactId: person.id })), "api", now);
    await Promise.all([advance(ws.id, now), advance(ws.id, now), advance(ws.id, now)]);
    const sent = await journeyMessages(ws.id);
    expect(sent).toHaveLength(300);
    expect(new Set(sent.map((message) => message.contactId)).size).toBe(300);
  });

  it("keeps one run when two contacts in the same journey merge, and erasing a contact removes its runs", async () => {
    const { workspace: ws } = await workspace();
    const journey = await publish(
      ws.id,
      "Browse",
      graph(
        [
          ["trigger", "trigger", { kind: "event", event: "Product Viewed" }],
          ["later", "delay", { mode: "duration", duration: { amount: 1, unit: "days" } }],
        ],
        ["trigger>later"],
      ),
    );
    await track(ws.id, [
      { type: "track", userId: "hal", event: "Product Viewed" },
      { type: "track", anonymousId: "visitor-1", event: "Product Viewed" },
    ]);
    expect(await listRuns(database.db, ws.id, journey.id)).toMatchObject({ runs: [{ status: "waiting" }, { status: "waiting" }] });
    await track(ws.id, [{ type: "identify", userId: "hal", anonymousId: "visitor-1", traits: { email: "hal@example.test" } }]);
    const runs = (await listRuns(database.db, ws.id, journey.id)).runs;
    expect(runs.map((run) => `${run.status}:${run.endReason ?? ""}`).sort()).toEqual(["exited:merged", "waiting:"]);
    expect(new Set(runs.map((run) => run.contactId)).size).toBe(1);

    await eraseContact(database.db, ws.id, runs[0].contactId);
    expect((await listRuns(database.db, ws.id, journey.id)).runs).toHaveLength(0);
    expect(await nodeStats(database.db, ws.id, journey.id)).toEqual([]);
  });

  it("posts a signed webhook for each run that reaches the webhook node, once", async () => {
    const { workspace: ws } = await workspace();
    await saveMessagingSettings(database.db, ws.id, { webhookSecret: "whsec_journey" });
    const received: Array<{ body: string; signature: string }> = [];
    const server = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ body, signature: String(request.headers["x-tideline-signature"]) });
        response.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const journey = await publish(
        ws.id,
        "CRM",
        graph(
          [
            ["trigger", "trigger", { kind: "event", event: "Demo Requested" }],
            ["crm", "webhook", { url: `http://127.0.0.1:${port}/leads` }],
          ],
          ["trigger>crm"],
        ),
      );
      await track(ws.id, [{ type: "track", userId: "ivy", event: "Demo Requested", properties: { seats: 12 } }]);
      await advance(ws.id, new Date());
      await deliverQueued(ws.id);
      await deliverQueued(ws.id);
      expect(received).toHaveLength(1);
      expect(verifyWebhookSignature("whsec_journey", received[0].signature, received[0].body)).toBe(true);
      expect(JSON.parse(received[0].body)).toMatchObject({ journey_id: journey.id, node_id: "crm", event: { name: "Demo Requested", properties: { seats: 12 } } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("rewards with points and a coupon, and a later send shows the code", async () => {
    const { workspace: ws, template } = await workspace({ smtp: true });
    const welcome = await template("Welcome gift", "Your gift: {{ coupon.code }}");
    const campaign = await createCampaign(database.db, ws.id, { name: "Welcome", source: "generated", pattern: "GIFT-XXXXX", quantity: 5, value: { kind: "percent", percent: 10 } });
    await publish(
      ws.id,
      "Welcome gift",
      graph(
        [
          ["trigger", "trigger", { kind: "event", event: "Signed Up" }],
          ["points", "reward", { kind: "points", amount: 50, reason: "Welcome" }],
          ["coupon", "reward", { kind: "coupon", campaignId: campaign.id }],
          ["send", "send", { templateId: welcome.id }],
        ],
        ["trigger>points", "points>coupon", "coupon>send"],
      ),
    );
    await track(ws.id, [{ type: "identify", userId: "joy", traits: { email: "joy@example.test" } }, { type: "track", userId: "joy", event: "Signed Up" }]);
    await advance(ws.id, new Date());
    await deliverQueued(ws.id);
    const [joy] = await database.db.select().from(contacts).where(eq(contacts.workspaceId, ws.id));
    expect(joy.pointsBalance).toBe(50);
    const [coupon] = await contactCoupons(database.db, ws.id, joy.id);
    expect(received()).toEqual([`joy@example.test Your gift: ${coupon.code.code}`]);
  });

  it("waits until the next chosen weekday and time in the contact's timezone", () => {
    // Friday 5 March 2027, 12:00 UTC = 20:00 in Shanghai. Next Monday 09:00 there is 01:00 UTC on 8 March.
    const now = new Date("2027-03-05T12:00:00Z");
    expect(nextLocalWeekdayTime(now, [1], "09:00", "Asia/Shanghai").toISOString()).toBe("2027-03-08T01:00:00.000Z");
    // The same day, later: 09:00 Friday in New York is 14:00 UTC.
    expect(nextLocalWeekdayTime(now, [5], "09:00", "America/New_York").toISOString()).toBe("2027-03-05T14:00:00.000Z");
  });
});
