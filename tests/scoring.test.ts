import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { contacts, members, segmentMemberships, tasks, users } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import { jobs } from "@/jobs/registry";
import { AppError } from "@/lib/errors";
import { decayScores, decayWorkspace } from "@/lib/scoring/decay";
import { applyScoring } from "@/lib/scoring/engagement";
import { refreshFit } from "@/lib/scoring/fit";
import { recalculateScores, recalculationStatus, startRecalculation } from "@/lib/scoring/recalculate";
import { createScoringRule, updateScoringRule } from "@/lib/scoring/rules";
import { scoringRuleInput } from "@/lib/scoring/schema";
import { saveScoringSettings, scoringSettingsOf } from "@/lib/scoring/settings";
import { createSegment } from "@/lib/segments/manage";
import { stageAfter } from "@/lib/scoring/stages";
import { contactScore, mqlContacts, scoreDistribution } from "@/lib/scoring/views";
import { parseBatchItem, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

const day = 86_400_000;
// A Monday, well in the past (weeks run Monday to Sunday in the workspace's zone, UTC here).
const monday = new Date("2026-03-02T09:00:00Z");
const at = (offsetDays: number, hours = 0) => new Date(monday.getTime() + offsetDays * day + hours * 3_600_000).toISOString();

function call(raw: Record<string, unknown>): TrackingCall {
  const parsed = parseBatchItem(raw);
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

const vpRule = { kind: "attribute", name: "VP title", rule: { in: ["VP", { var: "attributes.job_title" }] }, points: 20 } as const;
const pricingRule = {
  kind: "behaviour",
  name: "Visited pricing",
  event: "Page Viewed",
  where: { in: ["/pricing", { var: "properties.path" }] },
  points: 10,
  cap: { count: 3, per: "week" },
} as const;

describe.each(databaseKinds)("lead scoring on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    process.env.APP_URL = "https://mkt.example.test";
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  async function setup() {
    const { workspace, owner } = await createOwnedWorkspace(database.db);
    return { workspace, owner };
  }

  async function track(workspaceId: string, calls: Record<string, unknown>[]) {
    await ingestCalls(database.db, workspaceId, calls.map((raw, index) => call({ messageId: `m-${Date.now()}-${Math.random()}-${index}`, ...raw })));
    await eventProcess.handle({ workspaceId }, { database, db: database.db, jobId: "test", attempt: 0 });
  }

  // One workspace's decay at the test's clock (the job, decayScores, runs every workspace at the real time).
  async function decay(workspaceId: string, now: Date) {
    return decayWorkspace(database.db, workspaceId, (await scoringSettingsOf(database.db, workspaceId)).decay, now);
  }

  const pricingView = (userId: string, timestamp: string, path = "/pricing") => ({ type: "track", event: "Page Viewed", userId, properties: { path }, timestamp });

  async function contactOf(workspaceId: string, externalId: string) {
    const [row] = await database.db.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.externalId, externalId)));
    return row;
  }

  async function scores(workspaceId: string) {
    const rows = await database.db
      .select({ externalId: contacts.externalId, score: contacts.score, fit: contacts.scoreFit, engagement: contacts.scoreEngagement })
      .from(contacts)
      .where(eq(contacts.workspaceId, workspaceId));
    return Object.fromEntries(rows.map((row) => [row.externalId, { score: row.score, fit: row.fit, engagement: row.engagement }]));
  }

  it("adds fit points for a job title containing VP, computed by the segment SQL for one contact or all, and takes them back when it changes", async () => {
    const { workspace } = await setup();
    // The first identify teaches the catalogue job_title (text), which the rule needs.
    await track(workspace.id, [
      { type: "identify", userId: "ann", traits: { email: "ann@example.test", job_title: "Engineer" } },
      { type: "identify", userId: "bob", traits: { email: "bob@example.test", job_title: "VP Engineering" } },
    ]);
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse(vpRule));
    // Bob matched before the rule existed: the set-based refresh gives him his fit.
    const all = await refreshFit(database.db, workspace.id, undefined, new Date());
    expect(all.changes.map((change) => change.after)).toEqual([20]);
    expect(await scores(workspace.id)).toEqual({ ann: { score: 0, fit: 0, engagement: 0 }, bob: { score: 20, fit: 20, engagement: 0 } });

    // Ann is promoted: event.process refreshes the fit of the contacts it touched.
    await track(workspace.id, [{ type: "identify", userId: "ann", traits: { job_title: "VP Sales" } }]);
    expect((await scores(workspace.id)).ann).toEqual({ score: 20, fit: 20, engagement: 0 });
    await track(workspace.id, [{ type: "identify", userId: "ann", traits: { job_title: "Head of Sales" } }]);
    expect((await scores(workspace.id)).ann).toEqual({ score: 0, fit: 0, engagement: 0 });

    const ann = await contactOf(workspace.id, "ann");
    const history = await contactScore(database.db, workspace.id, ann.id);
    expect(history.history.map((row) => `${row.kind}:${row.delta}:${row.scoreAfter}`)).toEqual(["fit:-20:0", "fit:20:20"]);
    expect(history.history[1].reason).toBe("VP title");

    // A fit rule may not read the score it is part of; a bad rule says where it is wrong.
    const refusal = await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...vpRule, rule: { ">": [{ var: "score" }, 10] } })).catch((error: AppError) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe("validation_failed");
    const unknown = await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...vpRule, rule: { in: ["VP", { var: "attributes.nope" }] } })).catch((error: AppError) => error);
    expect((unknown as AppError).message).toMatch(/rule\.in\[1\]\.var: unknown attribute "nope"/);
  });

  it("adds 10 for each pricing visit, at most 3 times a week, once per event however often it is processed", async () => {
    const { workspace } = await setup();
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse(pricingRule));
    await track(workspace.id, [
      pricingView("cat", at(0)),
      pricingView("cat", at(1)),
      pricingView("cat", at(0, 3), "/docs"), // not pricing
      pricingView("cat", at(2)),
      pricingView("cat", at(3)), // the week's 4th: capped
      pricingView("cat", at(6, 12)), // Sunday: still capped
    ]);
    expect((await scores(workspace.id)).cat).toEqual({ score: 30, fit: 0, engagement: 30 });
    // Next Monday is a new week; the cap counts what the database holds, across batches.
    await track(workspace.id, [pricingView("cat", at(7))]);
    await track(workspace.id, [pricingView("cat", at(8)), pricingView("cat", at(9)), pricingView("cat", at(10))]);
    expect((await scores(workspace.id)).cat.engagement).toBe(60);

    // The same events scored again (a retried batch) change nothing: each award has a key.
    const cat = await contactOf(workspace.id, "cat");
    const events = await queryRows<{ id: string | number; name: string; properties: Record<string, string>; timestamp: string | Date }>(
      database.db,
      sql`select id, name, properties, timestamp from events where workspace_id = ${workspace.id} and contact_id = ${cat.id} and name = 'Page Viewed'`,
    );
    const replayed = events.map((row) => ({ id: Number(row.id), contactId: cat.id, name: row.name, properties: row.properties, timestamp: new Date(row.timestamp) }));
    await database.db.transaction((tx) => applyScoring(tx, workspace.id, replayed, new Date()));
    expect((await scores(workspace.id)).cat.engagement).toBe(60);
    const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from score_events where workspace_id = ${workspace.id} and kind = 'engagement'`);
    expect(n).toBe(6);
  });

  it("moves the lifecycle stage up as the score crosses thresholds, never back", async () => {
    const { workspace } = await setup();
    await saveScoringSettings(database.db, workspace.id, { thresholds: { lead: 10, mql: 30, sql: 50 } });
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...pricingRule, cap: null }));
    await track(workspace.id, [{ type: "identify", userId: "dan", traits: { email: "dan@example.test" } }]);
    const stage = async () => (await contactOf(workspace.id, "dan")).lifecycleStage;
    expect(await stage()).toBeNull();
    await track(workspace.id, [pricingView("dan", at(0))]);
    expect(await stage()).toBe("lead");
    await track(workspace.id, [pricingView("dan", at(1)), pricingView("dan", at(2)), pricingView("dan", at(3)), pricingView("dan", at(4)), pricingView("dan", at(5))]);
    // 60 in one batch: straight past mql to sql.
    expect(await stage()).toBe("sql");

    // A customer stays a customer; a stage set outside the ladder is left alone.
    await track(workspace.id, [
      { type: "identify", userId: "eve", traits: { lifecycle_stage: "customer" } },
      { type: "identify", userId: "fay", traits: { lifecycle_stage: "partner" } },
    ]);
    await track(workspace.id, [pricingView("eve", at(0)), pricingView("fay", at(0))]);
    expect((await contactOf(workspace.id, "eve")).lifecycleStage).toBe("customer");
    expect((await contactOf(workspace.id, "fay")).lifecycleStage).toBe("partner");

    // A lower threshold moves nobody by itself; a recalculation applies it to everyone's score.
    await track(workspace.id, [pricingView("gil", at(0)), pricingView("gil", at(1))]);
    expect((await contactOf(workspace.id, "gil")).lifecycleStage).toBe("lead");
    await saveScoringSettings(database.db, workspace.id, { thresholds: { lead: 10, mql: 20, sql: 50 } });
    expect((await contactOf(workspace.id, "gil")).lifecycleStage).toBe("lead");
    await recalculateScores(database.db, workspace.id, new Date().toISOString());
    expect((await contactOf(workspace.id, "gil")).lifecycleStage).toBe("mql");
    expect((await contactOf(workspace.id, "dan")).lifecycleStage).toBe("sql");
    expect((await contactOf(workspace.id, "eve")).lifecycleStage).toBe("customer");
    const gil = await contactOf(workspace.id, "gil");
    expect(await database.db.select().from(tasks).where(and(eq(tasks.workspaceId, workspace.id), eq(tasks.contactId, gil.id)))).toHaveLength(1);

    expect(stageAfter({ before: 5, after: 35, stage: "subscriber" }, { lead: 10, mql: 30 })).toEqual({ stage: "mql", handOff: true });
    expect(stageAfter({ before: 35, after: 5, stage: "mql" }, { lead: 10, mql: 30 })).toEqual({ handOff: false });
    expect(stageAfter({ before: 31, after: 60, stage: "lead" }, { mql: 30, sql: 50 })).toEqual({ stage: "sql", handOff: true });
    expect(stageAfter({ before: 5, after: 35, stage: "sql" }, { lead: 10, mql: 30 })).toEqual({ handOff: false });

    const distribution = await scoreDistribution(database.db, workspace.id);
    expect(distribution.buckets.reduce((sum, bucket) => sum + bucket.contacts, 0)).toBe(distribution.contacts);
  });

  it("applies the thresholds when an anonymous visitor's engagement joins a known contact", async () => {
    const { workspace } = await setup();
    await saveScoringSettings(database.db, workspace.id, { thresholds: { lead: 10, mql: 30, sql: 50 } });
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...pricingRule, cap: null }));
    await track(workspace.id, [{ type: "identify", userId: "ivy", traits: { email: "ivy@example.test" } }, pricingView("ivy", at(0))]);
    const visitor = (timestamp: string) => ({ type: "track", event: "Page Viewed", anonymousId: "device-9", properties: { path: "/pricing" }, timestamp });
    await track(workspace.id, [visitor(at(1)), visitor(at(2))]);
    expect((await contactOf(workspace.id, "ivy")).lifecycleStage).toBe("lead");
    const mqls = await createSegment(database.db, workspace.id, { name: "MQLs", rule: { "==": [{ var: "lifecycle_stage" }, "mql"] } });

    // Signing in on that device merges the visitor into Ivy: 10 + 20 crosses 30, so she is an
    // MQL now, and in the MQL segment when the same job ends.
    await track(workspace.id, [{ type: "identify", userId: "ivy", anonymousId: "device-9" }]);
    const ivy = await contactOf(workspace.id, "ivy");
    const inSegment = await database.db.select().from(segmentMemberships).where(and(eq(segmentMemberships.segmentId, mqls.id), isNull(segmentMemberships.exitedAt)));
    expect(inSegment.map((member) => member.contactId)).toEqual([ivy.id]);
    expect(ivy.score).toBe(30);
    expect(ivy.lifecycleStage).toBe("mql");
    expect(await database.db.select().from(tasks).where(and(eq(tasks.workspaceId, workspace.id), eq(tasks.contactId, ivy.id)))).toHaveLength(1);
    const [stageRow] = await queryRows<{ reason: string; score_after: number }>(
      database.db,
      sql`select reason, score_after from score_events where workspace_id = ${workspace.id} and contact_id = ${ivy.id} and kind = 'stage' order by at desc limit 1`,
    );
    expect(stageRow).toMatchObject({ reason: "mql", score_after: 30 });
  });

  it("keeps the further stage when a visitor already handed to sales signs in as a lead, and hands them over once", async () => {
    const { workspace } = await setup();
    await saveScoringSettings(database.db, workspace.id, { thresholds: { lead: 10, mql: 30, sql: 50 } });
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...pricingRule, cap: null }));
    await track(workspace.id, [{ type: "identify", userId: "jon" }, pricingView("jon", at(0))]);
    const visitor = (timestamp: string) => ({ type: "track", event: "Page Viewed", anonymousId: "device-7", properties: { path: "/pricing" }, timestamp });
    await track(workspace.id, [visitor(at(1)), visitor(at(2)), visitor(at(3))]);
    const taskCount = async () =>
      (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from tasks where workspace_id = ${workspace.id}`))[0].n;
    expect(await taskCount()).toBe(1);

    await track(workspace.id, [{ type: "identify", userId: "jon", anonymousId: "device-7" }]);
    const jon = await contactOf(workspace.id, "jon");
    expect(jon.score).toBe(40);
    expect(jon.lifecycleStage).toBe("mql");
    expect(await taskCount()).toBe(1);
  });

  it("hands an MQL to sales once: one task with the recent activity, one email to the owner, one webhook, even when the score crosses twice", async () => {
    const { workspace, owner } = await setup();
    await saveScoringSettings(database.db, workspace.id, {
      thresholds: { lead: 10, mql: 30 },
      owner: owner.email,
      handoff_webhook_url: "https://crm.example.test/hooks/mql",
      decay: { kind: "halve", days: 7 },
    });
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...pricingRule, cap: null }));
    const start = new Date(Date.now() - 60 * day);
    const when = (days: number) => new Date(start.getTime() + days * day).toISOString();
    await track(workspace.id, [
      { type: "identify", userId: "gus", traits: { email: "gus@example.test", first_name: "Gus" }, timestamp: when(0) },
      { type: "track", event: "Signed Up", userId: "gus", timestamp: when(0) },
      pricingView("gus", when(0)),
      pricingView("gus", when(0.1)),
      pricingView("gus", when(0.2)),
    ]);
    const gus = await contactOf(workspace.id, "gus");
    expect(gus.score).toBe(30);
    expect(gus.lifecycleStage).toBe("mql");

    // Two weeks of silence halve it twice (30 → 15 → 7), below the threshold; new visits cross it again.
    await decay(workspace.id, new Date(start.getTime() + 15 * day));
    expect((await contactOf(workspace.id, "gus")).score).toBe(7);
    await track(workspace.id, [pricingView("gus", when(16)), pricingView("gus", when(16.1)), pricingView("gus", when(16.2))]);
    expect((await contactOf(workspace.id, "gus")).score).toBe(37);

    const handOffs = await database.db.select().from(tasks).where(and(eq(tasks.workspaceId, workspace.id), eq(tasks.source, "scoring")));
    expect(handOffs).toHaveLength(1);
    expect(handOffs[0]).toMatchObject({ contactId: gus.id, assigneeId: owner.id, status: "open" });
    expect(handOffs[0].title).toBe("MQL: Gus (score 30)");
    expect(handOffs[0].notes).toContain("Recent activity:");
    expect(handOffs[0].notes).toMatch(/Page Viewed[\s\S]*Signed Up/);
    const sent = await queryRows<{ channel: string; to_address: string; data: { $content?: { subject: string; text: string }; type?: string; contact?: { id: string } } }>(
      database.db,
      sql`select channel, to_address, data from messages where workspace_id = ${workspace.id} and source = 'scoring' order by channel::text`,
    );
    expect(sent.map((row) => `${row.channel}:${row.to_address}`)).toEqual([`email:${owner.email}`, "webhook:https://crm.example.test/hooks/mql"]);
    expect(sent[0].data.$content?.subject).toBe("New task: MQL: Gus (score 30)");
    expect(sent[0].data.$content?.text).toMatch(/^A lead reached MQL/);
    expect(sent[1].data).toMatchObject({ type: "contact.mql", contact: { id: gus.id } });

    const mqls = await mqlContacts(database.db, workspace.id);
    expect(mqls.map((row) => [row.id, row.taskId])).toEqual([[gus.id, handOffs[0].id]]);
  });

  it("halves engagement after N days without activity, once per period, with the job's clock", async () => {
    const { workspace } = await setup();
    await saveScoringSettings(database.db, workspace.id, { decay: { kind: "halve", days: 7 } });
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...pricingRule, cap: null }));
    const start = new Date(Date.now() - 90 * day);
    const when = (days: number) => new Date(start.getTime() + days * day).toISOString();
    await track(workspace.id, [pricingView("hal", when(0)), pricingView("hal", when(0.01)), pricingView("hal", when(0.02))]);
    const engagement = async () => (await contactOf(workspace.id, "hal")).scoreEngagement;
    expect(await engagement()).toBe(30);
    await decay(workspace.id, new Date(start.getTime() + 6.9 * day));
    expect(await engagement()).toBe(30);
    await decay(workspace.id, new Date(start.getTime() + 7.5 * day));
    expect(await engagement()).toBe(15);
    // The same period again (the next hourly run): nothing more.
    await decay(workspace.id, new Date(start.getTime() + 8 * day));
    expect(await engagement()).toBe(15);
    await decay(workspace.id, new Date(start.getTime() + 14.2 * day));
    expect(await engagement()).toBe(7);
    // Back after 30 days: the halvings the job had not made yet (days 21 and 28) come first, then the visit.
    await track(workspace.id, [pricingView("hal", when(30))]);
    expect(await engagement()).toBe(1 + 10);
    const hal = await contactOf(workspace.id, "hal");
    const history = await contactScore(database.db, workspace.id, hal.id);
    expect(history.history.filter((row) => row.kind === "decay").map((row) => row.delta)).toEqual([-2, -4, -8, -15]);

    // A recalculation of the same history under the same rules ends at the same place.
    await recalculateScores(database.db, workspace.id, new Date().toISOString(), new Date(start.getTime() + 30.5 * day));
    expect((await contactOf(workspace.id, "hal")).scoreEngagement).toBe(11);
  });

  it("takes back points older than N days with the expire decay", async () => {
    const { workspace } = await setup();
    await saveScoringSettings(database.db, workspace.id, { decay: { kind: "expire", days: 30 } });
    await createScoringRule(database.db, workspace.id, scoringRuleInput.parse({ ...pricingRule, cap: null }));
    const start = new Date(Date.now() - 10 * day);
    await track(workspace.id, [pricingView("ivy", new Date(start.getTime()).toISOString()), pricingView("ivy", new Date(start.getTime() + 5 * day).toISOString())]);
    expect((await contactOf(workspace.id, "ivy")).scoreEngagement).toBe(20);
    // The hourly job at the real time: nothing is 30 days old yet.
    expect((await decayScores(database.db)).workspaces).toBeGreaterThanOrEqual(1);
    expect((await contactOf(workspace.id, "ivy")).scoreEngagement).toBe(20);
    await decay(workspace.id, new Date(start.getTime() + 31 * day));
    expect((await contactOf(workspace.id, "ivy")).scoreEngagement).toBe(10);
    await decay(workspace.id, new Date(start.getTime() + 31 * day));
    expect((await contactOf(workspace.id, "ivy")).scoreEngagement).toBe(10);
    await decay(workspace.id, new Date(start.getTime() + 36 * day));
    expect((await contactOf(workspace.id, "ivy")).score).toBe(0);
  });

  it("recalculates after a rule change to the scores processing the same events under the new rules gives", async () => {
    const calls = (prefix: string) => [
      { type: "identify", userId: `${prefix}-jo`, traits: { email: `${prefix}-jo@example.test`, job_title: "VP Product" } },
      { type: "identify", userId: `${prefix}-kim`, traits: { email: `${prefix}-kim@example.test`, job_title: "Analyst" } },
      ...[0, 1, 2, 3, 4, 8].map((offset) => pricingView(`${prefix}-jo`, at(offset))),
      ...[0, 0.5, 9].map((offset) => pricingView(`${prefix}-kim`, at(offset))),
      { type: "track", event: "Demo Requested", userId: `${prefix}-kim`, timestamp: at(9) },
    ];
    const byPerson = (rows: Record<string, unknown>) => Object.fromEntries(Object.entries(rows).map(([key, value]) => [key.split("-").slice(1).join("-"), value]));

    // Before: only pricing visits count, 3 a week.
    const before = await setup();
    const pricing = await createScoringRule(database.db, before.workspace.id, scoringRuleInput.parse(pricingRule));
    await track(before.workspace.id, calls("a"));
    expect(byPerson(await scores(before.workspace.id))).toEqual({ jo: { score: 40, fit: 0, engagement: 40 }, kim: { score: 30, fit: 0, engagement: 30 } });

    // The change: 2 a week worth 15, a VP fit rule and a demo rule.
    await updateScoringRule(database.db, before.workspace.id, pricing.id, { points: 15, cap: { count: 2, per: "week" } });
    await createScoringRule(database.db, before.workspace.id, scoringRuleInput.parse(vpRule));
    await createScoringRule(database.db, before.workspace.id, scoringRuleInput.parse({ kind: "behaviour", name: "Demo", event: "Demo Requested", points: 25 }));
    const recalculation = await startRecalculation(database.db, before.workspace.id);
    expect(recalculation).toMatchObject({ done: 0, total: 2 });
    await expect(startRecalculation(database.db, before.workspace.id)).rejects.toMatchObject({ code: "conflict" });
    expect(await recalculationStatus(database.db, before.workspace.id)).toMatchObject({ done: 0, stopped: false });
    // A job that failed for good leaves the progress unfinished: the page says it stopped, and another may start.
    await database.db.execute(sql`update pgboss.job set state = 'failed' where name = 'score.recalculate' and data->>'workspaceId' = ${before.workspace.id}`);
    expect(await recalculationStatus(database.db, before.workspace.id)).toMatchObject({ stopped: true });
    await startRecalculation(database.db, before.workspace.id);
    await recalculateScores(database.db, before.workspace.id, recalculation.startedAt, new Date(), 1);
    const settings = await scoringSettingsOf(database.db, before.workspace.id);
    expect(settings.recalculation).toMatchObject({ done: 2, total: 2 });
    expect(settings.recalculation?.finishedAt).toBeTruthy();

    // Fresh: the new rules from the start, the same events.
    const fresh = await setup();
    await track(fresh.workspace.id, calls("b").slice(0, 2));
    await createScoringRule(database.db, fresh.workspace.id, scoringRuleInput.parse({ ...pricingRule, points: 15, cap: { count: 2, per: "week" } }));
    await createScoringRule(database.db, fresh.workspace.id, scoringRuleInput.parse(vpRule));
    await createScoringRule(database.db, fresh.workspace.id, scoringRuleInput.parse({ kind: "behaviour", name: "Demo", event: "Demo Requested", points: 25 }));
    await track(fresh.workspace.id, calls("b"));

    const recalculated = byPerson(await scores(before.workspace.id));
    expect(recalculated).toEqual(byPerson(await scores(fresh.workspace.id)));
    expect(recalculated).toEqual({ jo: { score: 20 + 45, fit: 20, engagement: 45 }, kim: { score: 0 + 45 + 25, fit: 0, engagement: 70 } });
    // The history says what changed and keeps the engagement rows the new rules give.
    const [jo] = await database.db.select().from(contacts).where(and(eq(contacts.workspaceId, before.workspace.id), eq(contacts.externalId, "a-jo")));
    const history = await contactScore(database.db, before.workspace.id, jo.id);
    expect(history.history.filter((row) => row.kind === "engagement").map((row) => row.delta)).toEqual([15, 15, 15]);
    expect(history.history.find((row) => row.kind === "recalculation")?.delta).toBe(25);
  });

  it("refuses a settings owner who is not a member, and thresholds out of order", async () => {
    const { workspace } = await setup();
    const [stranger] = await database.db.insert(users).values({ email: `stranger-${Date.now()}@example.test` }).returning();
    await expect(saveScoringSettings(database.db, workspace.id, { owner: stranger.email })).rejects.toMatchObject({ code: "validation_failed" });
    await database.db.insert(members).values({ workspaceId: workspace.id, userId: stranger.id, role: "marketer" });
    expect((await saveScoringSettings(database.db, workspace.id, { owner: stranger.email.toUpperCase() })).owner?.id).toBe(stranger.id);
  });
});
