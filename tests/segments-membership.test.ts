import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { events, segmentMemberships } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import { segmentRefresh } from "@/jobs/segment-refresh";
import { jobs } from "@/jobs/registry";
import { parseBatchItem, type TrackingCall } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import { changeListMembers, followClock, recomputeSegment } from "@/lib/segments/membership";
import { contactSegments, createSegment, listMembers, previewRule } from "@/lib/segments/manage";
import { findContact } from "@/db/queries/contacts";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

function call(raw: Record<string, unknown>): TrackingCall {
  const parsed = parseBatchItem(raw);
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

describe.each(databaseKinds)("segment membership on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  // What the worker does for each batch: process calls, then real-time segment checks.
  async function track(workspaceId: string, calls: Record<string, unknown>[]) {
    await ingestCalls(database.db, workspaceId, calls.map(call));
    await eventProcess.handle({ workspaceId }, { database, db: database.db, jobId: "test", attempt: 0 });
  }

  async function listSegmentsById(workspaceId: string) {
    const rows = await queryRows<{ id: string; computed_at: string }>(database.db, sql`select id, computed_at::text from segments where workspace_id = ${workspaceId}::uuid`);
    return new Map(rows.map((row) => [row.id, row.computed_at]));
  }

  async function memberEmails(workspaceId: string, segmentId: string) {
    const { members } = await listMembers(database.db, workspaceId, segmentId, { limit: 100 });
    return members.map((member) => member.email).sort();
  }

  it("keeps a rule's members current as traits change, with history and timeline events", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await track(workspace.id, [
      { type: "identify", userId: "u1", traits: { email: "ann@example.com", plan: "pro" } },
      { type: "identify", userId: "u2", traits: { email: "bob@example.com", plan: "free" } },
    ]);
    const pro = await createSegment(database.db, workspace.id, { name: "Pro", rule: { "==": [{ var: "attributes.plan" }, "pro"] } });
    expect(await recomputeSegment(database.db, workspace.id, pro.id)).toMatchObject({ entered: 1, exited: 0, members: 1 });
    expect(await recomputeSegment(database.db, workspace.id, pro.id)).toMatchObject({ entered: 0, exited: 0, members: 1 });
    expect(await memberEmails(workspace.id, pro.id)).toEqual(["ann@example.com"]);

    // Real time: the change is applied by the job that processes the call.
    await track(workspace.id, [
      { type: "identify", userId: "u2", traits: { plan: "pro" } },
      { type: "identify", userId: "u1", traits: { plan: "free" } },
    ]);
    expect(await memberEmails(workspace.id, pro.id)).toEqual(["bob@example.com"]);

    const ann = (await findContact(database.db, workspace.id, { externalId: "u1" }))!;
    const history = await contactSegments(database.db, workspace.id, ann.id);
    expect(history).toHaveLength(1);
    expect(history[0].exited_at).not.toBeNull();
    const timeline = await database.db
      .select({ name: events.name })
      .from(events)
      .where(and(eq(events.workspaceId, workspace.id), eq(events.contactId, ann.id), sql`${events.name} like 'segment.%'`));
    expect(timeline.map((event) => event.name).sort()).toEqual(["segment.entered", "segment.exited"]);
  });

  it("puts a brand-new contact into a segment that selects by absence", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const anonymous = await createSegment(database.db, workspace.id, { name: "No email", rule: { missing: ["email"] } });
    await recomputeSegment(database.db, workspace.id, anonymous.id);
    await track(workspace.id, [{ type: "page", anonymousId: "visitor-1" }]);
    const { members } = await listMembers(database.db, workspace.id, anonymous.id);
    expect(members).toHaveLength(1);
  });

  it("lets a time window expire without new activity, and remembers past members", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const now = Date.now();
    await track(workspace.id, [
      { type: "identify", userId: "buyer", traits: { email: "buyer@example.com" } },
      { type: "track", userId: "buyer", event: "Order Completed", properties: { amount: 120 }, timestamp: new Date(now - 23 * 3_600_000).toISOString() },
    ]);
    const recent = await createSegment(database.db, workspace.id, {
      name: "Ordered today",
      rule: { performed: { event: "Order Completed", within_days: 1, where: { ">": [{ var: "properties.amount" }, 100] } } },
    });
    const lapsed = await createSegment(database.db, workspace.id, {
      name: "Were recent buyers this week",
      rule: { and: [{ in_segment: { segment: recent.id, within_days: 7 } }, { "!": { in_segment: { segment: recent.id } } }] },
    });
    await recomputeSegment(database.db, workspace.id, recent.id, new Date(now));
    await recomputeSegment(database.db, workspace.id, lapsed.id, new Date(now));
    expect(await memberEmails(workspace.id, recent.id)).toEqual(["buyer@example.com"]);
    expect(await memberEmails(workspace.id, lapsed.id)).toEqual([]);

    const later = new Date(now + 2 * 3_600_000);
    expect(await recomputeSegment(database.db, workspace.id, recent.id, later)).toMatchObject({ exited: 1, members: 0 });
    await recomputeSegment(database.db, workspace.id, lapsed.id, later);
    expect(await memberEmails(workspace.id, lapsed.id)).toEqual(["buyer@example.com"]);
  });

  it("follows the clock to the minute: who crossed a window's edge is checked, with no full recompute", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const start = Date.now();
    const hour = 3_600_000;
    await track(workspace.id, [
      { type: "identify", userId: "early", traits: { email: "early@example.com" } },
      { type: "identify", userId: "late", traits: { email: "late@example.com" } },
      { type: "track", userId: "early", event: "Visit", timestamp: new Date(start - 23 * hour).toISOString() },
      { type: "track", userId: "late", event: "Visit", timestamp: new Date(start - 1 * hour).toISOString() },
    ]);
    const visited = await createSegment(database.db, workspace.id, { name: "Visited today", rule: { performed: { event: "Visit", within_days: 1 } } });
    const quiet = await createSegment(database.db, workspace.id, { name: "Quiet today", rule: { "!": { performed: { event: "Visit", within_days: 1 } } } });
    // Reads "Visited today" with no window: it learns of the clock through the segment it reads.
    const visitedWithEmail = await createSegment(database.db, workspace.id, {
      name: "Visited today, with email",
      rule: { and: [{ in_segment: { segment: visited.id } }, { "!": { missing: ["email"] } }] },
    });
    const recentlyVisited = await createSegment(database.db, workspace.id, {
      name: "Visited today within the last 2 hours",
      rule: { in_segment: { segment: visited.id, within_days: 2 / 24 } },
    });
    for (const segment of [visited, quiet, visitedWithEmail, recentlyVisited]) await recomputeSegment(database.db, workspace.id, segment.id, new Date(start));
    expect(await memberEmails(workspace.id, visited.id)).toEqual(["early@example.com", "late@example.com"]);
    expect(await memberEmails(workspace.id, quiet.id)).toEqual([]);
    const computedAt = async () => (await listSegmentsById(workspace.id)).get(visited.id);

    // A minute before early's visit leaves the window: nobody crossed an edge, nobody is checked.
    const before = await computedAt();
    expect(await followClock(database.db, workspace.id, visited.id, new Date(start + hour - 60_000))).toEqual({ checked: 0, entered: 0, exited: 0 });
    // A minute after: early is checked and leaves, and the segments reading it follow.
    expect(await followClock(database.db, workspace.id, visited.id, new Date(start + hour + 60_000))).toEqual({ checked: 1, entered: 0, exited: 2 });
    expect(await followClock(database.db, workspace.id, quiet.id, new Date(start + hour + 60_000))).toEqual({ checked: 1, entered: 1, exited: 0 });
    expect(await memberEmails(workspace.id, visited.id)).toEqual(["late@example.com"]);
    expect(await memberEmails(workspace.id, visitedWithEmail.id)).toEqual(["late@example.com"]);
    expect(await memberEmails(workspace.id, quiet.id)).toEqual(["early@example.com"]);
    expect(await computedAt()).toEqual(before);
    // Followed again up to the same minute: nothing is checked twice.
    expect(await followClock(database.db, workspace.id, visited.id, new Date(start + hour + 60_000))).toEqual({ checked: 0, entered: 0, exited: 0 });

    // Two hours after early left "Visited today", their stay slides out of the 2-hour window.
    expect(await memberEmails(workspace.id, recentlyVisited.id)).toEqual(["early@example.com", "late@example.com"]);
    expect(await followClock(database.db, workspace.id, recentlyVisited.id, new Date(start + 3 * hour + 2 * 60_000))).toEqual({ checked: 1, entered: 0, exited: 1 });
    expect(await memberEmails(workspace.id, recentlyVisited.id)).toEqual(["late@example.com"]);

    // A rule comparing a date with days_ago has no edge to look for: it is left to a recompute.
    const old = await createSegment(database.db, workspace.id, { name: "Old contacts", rule: { "<": [{ var: "created_at" }, { days_ago: 30 }] } });
    await recomputeSegment(database.db, workspace.id, old.id, new Date(start));
    expect(await followClock(database.db, workspace.id, old.id, new Date(start + hour))).toBeUndefined();
  });

  it("every minute, follows windowed segments and queues the due recomputes of days_ago ones", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await track(workspace.id, [{ type: "identify", userId: "m", traits: { email: "m@example.com" } }]);
    const now = Date.now();
    const windowed = await createSegment(database.db, workspace.id, { name: "Visited today", rule: { performed: { event: "Visit", within_days: 1 } } });
    const due = await createSegment(database.db, workspace.id, { name: "Old", rule: { "<": [{ var: "created_at" }, { days_ago: 30 }] } });
    const recent = await createSegment(database.db, workspace.id, { name: "Old too", rule: { "<": [{ var: "created_at" }, { days_ago: 31 }] } });
    await recomputeSegment(database.db, workspace.id, windowed.id, new Date(now - 2 * 60_000));
    await recomputeSegment(database.db, workspace.id, due.id, new Date(now - 10 * 60_000));
    await recomputeSegment(database.db, workspace.id, recent.id, new Date(now - 60_000));

    await segmentRefresh.handle({}, { database, db: database.db, jobId: "test", attempt: 0 });
    const [followed] = await queryRows<{ at: Date | string }>(database.db, sql`select clock_checked_at as at from segments where id = ${windowed.id}::uuid`);
    expect(new Date(followed.at).getTime()).toBeGreaterThanOrEqual(now);
    const queued = await queryRows<{ segment: string }>(
      database.db,
      sql`select data->>'segmentId' as segment from pgboss.job where name = 'segment.recompute' and data->>'workspaceId' = ${workspace.id}`,
    );
    expect(queued.map((job) => job.segment)).toEqual([due.id]);
  });

  it("tells the segments reading a segment who moved when that segment is recomputed", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await track(workspace.id, [{ type: "identify", userId: "n", traits: { email: "n@example.com" } }]);
    const now = Date.now();
    const newcomers = await createSegment(database.db, workspace.id, { name: "New this week", rule: { ">=": [{ var: "created_at" }, { days_ago: 7 }] } });
    const newcomersWithEmail = await createSegment(database.db, workspace.id, {
      name: "New this week, with email",
      rule: { and: [{ in_segment: { segment: newcomers.id } }, { "!": { missing: ["email"] } }] },
    });
    await recomputeSegment(database.db, workspace.id, newcomers.id, new Date(now));
    await recomputeSegment(database.db, workspace.id, newcomersWithEmail.id, new Date(now));
    expect(await memberEmails(workspace.id, newcomersWithEmail.id)).toEqual(["n@example.com"]);
    // Eight days on, the date has crossed the line; recomputing the first segment is enough.
    expect(await recomputeSegment(database.db, workspace.id, newcomers.id, new Date(now + 8 * 86_400_000))).toMatchObject({ exited: 1, members: 0 });
    expect(await memberEmails(workspace.id, newcomersWithEmail.id)).toEqual([]);
  });

  it("cascades a change to segments that read the changed segment", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await track(workspace.id, [{ type: "identify", userId: "v", traits: { email: "v@example.com", vip: false } }]);
    const vip = await createSegment(database.db, workspace.id, { name: "VIP", rule: { "==": [{ var: "attributes.vip" }, true] } });
    const vipWithEmail = await createSegment(database.db, workspace.id, {
      name: "VIP with email",
      rule: { and: [{ in_segment: { segment: vip.id } }, { "!": { missing: ["email"] } }] },
    });
    await recomputeSegment(database.db, workspace.id, vip.id);
    await recomputeSegment(database.db, workspace.id, vipWithEmail.id);
    await track(workspace.id, [{ type: "identify", userId: "v", traits: { vip: true } }]);
    expect(await memberEmails(workspace.id, vipWithEmail.id)).toEqual(["v@example.com"]);
  });

  it("adds and removes static list members by hand, idempotently", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await track(workspace.id, [
      { type: "identify", userId: "a", traits: { email: "a@example.com" } },
      { type: "identify", userId: "b", traits: { email: "b@example.com" } },
    ]);
    const a = (await findContact(database.db, workspace.id, { externalId: "a" }))!;
    const b = (await findContact(database.db, workspace.id, { externalId: "b" }))!;
    const list = await createSegment(database.db, workspace.id, { name: "Event guests", kind: "static" });
    expect(await changeListMembers(database.db, workspace.id, list.id, { add: [a.id, b.id] })).toMatchObject({ members: 2 });
    expect(await changeListMembers(database.db, workspace.id, list.id, { add: [a.id] })).toMatchObject({ entered: [], members: 2 });
    expect(await changeListMembers(database.db, workspace.id, list.id, { remove: [b.id] })).toMatchObject({ exited: [b.id], members: 1 });
    const rows = await database.db.select().from(segmentMemberships).where(eq(segmentMemberships.segmentId, list.id));
    expect(rows).toHaveLength(2);
  });

  it("previews a rule's count and sample, and refuses an invalid rule with its path", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await track(workspace.id, [{ type: "identify", userId: "p", traits: { email: "p@example.com", seats: 12 } }]);
    const preview = await previewRule(database.db, workspace.id, { ">": [{ var: "attributes.seats" }, 10] });
    expect(preview.count).toBe(1);
    expect(preview.sample[0].email).toBe("p@example.com");
    await expect(previewRule(database.db, workspace.id, { and: [true, { ">": [{ var: "attributes.nope" }, 1] }] })).rejects.toMatchObject({
      status: 422,
      details: [{ path: "$.and[1].>[0].var", message: expect.stringContaining("unknown attribute") }],
    });
    const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from segments where workspace_id = ${workspace.id}`);
    expect(n).toBe(0);
  });
});
