import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { broadcastRecipients, broadcasts, contacts, events, messages, type Broadcast } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { checkCompletion } from "@/lib/broadcasts/complete";
import { countAudience, runFanout } from "@/lib/broadcasts/fanout";
import { cancelBroadcast, createBroadcast, getBroadcast, pauseBroadcast, resumeBroadcast, sendBroadcast, unscheduleBroadcast, updateBroadcast } from "@/lib/broadcasts/manage";
import { localMomentIn } from "@/lib/broadcasts/schedule";
import { twoProportionTest } from "@/lib/broadcasts/significance";
import { broadcastProgress, broadcastStats } from "@/lib/broadcasts/stats";
import { pickWinner } from "@/lib/broadcasts/winner";
import { setConsent } from "@/lib/messages/consent";
import { deliverMessage } from "@/lib/messages/send";
import { suppressAddress } from "@/lib/messages/suppressions";
import { createTemplate } from "@/lib/messages/templates";
import { changeListMembers } from "@/lib/segments/membership";
import { createSegment } from "@/lib/segments/manage";
import { broadcastCreateSchema } from "@/lib/validation/broadcasts";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

describe.each(databaseKinds)("broadcasts on %s", (kind) => {
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

  /** A workspace (outbox channel), a template, and a static list of `size` contacts. */
  async function setup(size: number, options: { timezones?: Array<string | null> } = {}) {
    const db = database.db;
    const { workspace, owner } = await createOwnedWorkspace(db);
    const { template } = await createTemplate(
      db,
      workspace.id,
      templateCreateSchema.parse({
        name: "Winter sale",
        channel: "email",
        format: "code",
        subject: "Winter sale, {{ contact.first_name }}",
        from_email: "news@example.test",
        content: { component: "newsletter", props: {} },
      }),
    );
    const rows = await db
      .insert(contacts)
      .values(
        Array.from({ length: size }, (_, index) => ({
          workspaceId: workspace.id,
          email: `c${index}@example.test`,
          firstName: `C${index}`,
          timezone: options.timezones ? options.timezones[index % options.timezones.length] : null,
        })),
      )
      .returning({ id: contacts.id, email: contacts.email });
    const list = await createSegment(db, workspace.id, { name: "Everyone", kind: "static" });
    await changeListMembers(db, workspace.id, list.id, { add: rows.map((row) => row.id) });
    return { workspace, owner, template, contacts: rows, list };
  }

  async function create(workspaceId: string, body: Record<string, unknown>) {
    return createBroadcast(database.db, workspaceId, broadcastCreateSchema.parse({ name: "Winter sale", ...body }));
  }

  async function broadcastMessages(workspaceId: string, broadcastId: string) {
    return database.db
      .select()
      .from(messages)
      .where(and(eq(messages.workspaceId, workspaceId), eq(messages.source, "broadcast"), eq(messages.sourceId, broadcastId)));
  }

  async function deliverAll(workspaceId: string, broadcastId: string, now?: Date) {
    for (const message of await broadcastMessages(workspaceId, broadcastId)) {
      if (message.status === "queued") await deliverMessage(database.db, workspaceId, message.id, { now, finalAttempt: true });
    }
  }

  async function reload(broadcast: Pick<Broadcast, "workspaceId" | "id">) {
    return (await getBroadcast(database.db, broadcast.workspaceId, broadcast.id))!;
  }

  it("sends to every eligible member exactly once and is then sent, with a funnel of what happened", async () => {
    const { workspace, template, contacts: people, list } = await setup(30);
    const excluded = await createSegment(database.db, workspace.id, { name: "Staff", kind: "static" });
    await changeListMembers(database.db, workspace.id, excluded.id, { add: [people[0].id, people[1].id] });
    await suppressAddress(database.db, { workspaceId: workspace.id, channel: "email", address: people[2].email!, reason: "hard_bounce" });
    await setConsent(database.db, { workspaceId: workspace.id, contactId: people[3].id, channel: "email", status: "revoked", source: "one_click" });

    const broadcast = await create(workspace.id, { template_id: template.id, audience: { include: [list.id], exclude: [excluded.id] } });
    expect(broadcast.status).toBe("draft");
    expect(await countAudience(database.db, workspace.id, broadcast.audience)).toBe(28);

    const scheduled = await sendBroadcast(database.db, workspace.id, broadcast.id);
    expect(scheduled.status).toBe("scheduled");
    // Changing the audience after sending started changes nothing: the snapshot is taken.
    const result = await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-1", pageSize: 7 });
    expect(result).toMatchObject({ status: "queued", queued: 28, done: true });
    await changeListMembers(database.db, workspace.id, list.id, { remove: [people[10].id] });

    const again = await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-2", pageSize: 7 });
    expect(again.status).toBe("queued");
    if (again.status === "queued") expect(again.queued).toBe(0);

    const queued = await broadcastMessages(workspace.id, broadcast.id);
    expect(queued).toHaveLength(28);
    expect(new Set(queued.map((message) => message.contactId)).size).toBe(28);
    expect(queued.map((message) => message.contactId)).not.toContain(people[0].id);

    await deliverAll(workspace.id, broadcast.id);
    const statuses = (await broadcastMessages(workspace.id, broadcast.id)).map((message) => message.status);
    expect(statuses.filter((status) => status === "sent")).toHaveLength(26);
    expect(statuses.filter((status) => status === "suppressed")).toHaveLength(2);

    expect(await checkCompletion(database.db, workspace.id, broadcast.id)).toEqual({ status: "sent" });
    const done = await reload(broadcast);
    expect(done.status).toBe("sent");
    expect(done.recipientCount).toBe(28);
    const stats = await broadcastStats(database.db, done);
    expect(stats.totals).toMatchObject({ recipients: 28, suppressed: 2, sent: 26, delivered: 26, queued: 0 });
    expect(stats.progress).toMatchObject({ total: 28, queued: 0, sent: 26, suppressed: 2 });
  });

  it("resumes a fan-out that died mid-way without skipping or repeating anyone, and holds one fan-out at a time", async () => {
    const { workspace, template, list } = await setup(25);
    const broadcast = await create(workspace.id, { template_id: template.id, audience: { include: [list.id] } });
    await sendBroadcast(database.db, workspace.id, broadcast.id);
    // The first fan-out queues two pages, then its worker dies (the lease stays taken).
    const first = await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-a", pageSize: 5, maxPages: 2 });
    expect(first).toMatchObject({ status: "queued", queued: 10, done: false });
    expect(await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-b", pageSize: 5 })).toEqual({ status: "skipped", reason: "held_by_another_fanout" });
    // Once the lease runs out, the retry takes over from the cursor.
    const later = new Date(Date.now() + 10 * 60_000);
    const second = await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-b", pageSize: 5, now: later });
    expect(second).toMatchObject({ status: "queued", queued: 15, done: true });
    const queued = await broadcastMessages(workspace.id, broadcast.id);
    expect(queued).toHaveLength(25);
    expect(new Set(queued.map((message) => message.contactId)).size).toBe(25);
    const [jobsQueued] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pgboss.job where name = 'message.send' and data->>'workspaceId' = ${workspace.id}`,
    );
    expect(jobsQueued.n).toBe(25);
  });

  it("pauses mid-send (queued messages wait), resumes where it stopped, and cancels what was not sent", async () => {
    const { workspace, template, list } = await setup(12);
    const broadcast = await create(workspace.id, { template_id: template.id, audience: { include: [list.id] } });
    await sendBroadcast(database.db, workspace.id, broadcast.id);
    await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-1", pageSize: 4, maxPages: 1 });
    const [firstMessage] = await broadcastMessages(workspace.id, broadcast.id);
    await deliverMessage(database.db, workspace.id, firstMessage.id);

    await pauseBroadcast(database.db, workspace.id, broadcast.id);
    // The fan-out stops at its next page; queued messages are not handed over while paused.
    expect(await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-1", pageSize: 4 })).toMatchObject({ status: "skipped" });
    await deliverAll(workspace.id, broadcast.id);
    let rows = await broadcastMessages(workspace.id, broadcast.id);
    expect(rows).toHaveLength(4);
    expect(rows.filter((row) => row.status === "sent")).toHaveLength(1);
    expect((await broadcastProgress(database.db, await reload(broadcast))).queued).toBe(11);

    await resumeBroadcast(database.db, workspace.id, broadcast.id);
    const resumed = await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-2", pageSize: 4, requeue: true, maxPages: 1 });
    expect(resumed).toMatchObject({ status: "queued", queued: 4 });
    await deliverAll(workspace.id, broadcast.id);
    rows = await broadcastMessages(workspace.id, broadcast.id);
    expect(rows.filter((row) => row.status === "sent")).toHaveLength(8);

    await cancelBroadcast(database.db, workspace.id, broadcast.id);
    expect(await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-3", pageSize: 4 })).toEqual({ status: "skipped", reason: "cancelled" });
    const progress = await broadcastProgress(database.db, await reload(broadcast));
    expect(progress).toMatchObject({ total: 12, sent: 8, queued: 0, cancelled: 4 });
    await expect(pauseBroadcast(database.db, workspace.id, broadcast.id)).rejects.toThrow(/cancelled broadcast cannot be paused/);
  });

  it("schedules for later, can be unscheduled and edited, and a stale fan-out does not start it early", async () => {
    const { workspace, template, list } = await setup(3);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const broadcast = await create(workspace.id, { template_id: template.id, audience: { include: [list.id] }, schedule: { kind: "at", at } });
    const scheduled = await sendBroadcast(database.db, workspace.id, broadcast.id);
    expect(scheduled.status).toBe("scheduled");
    expect(scheduled.scheduledAt?.toISOString()).toBe(at);
    const [job] = await queryRows<{ start_after: string | Date }>(
      database.db,
      sql`select start_after from pgboss.job where name = 'broadcast.fanout' and data->>'broadcastId' = ${broadcast.id}`,
    );
    expect(new Date(job.start_after).toISOString()).toBe(at);
    await expect(updateBroadcast(database.db, workspace.id, broadcast.id, { name: "Renamed" })).rejects.toThrow(/unschedule/);
    await unscheduleBroadcast(database.db, workspace.id, broadcast.id);
    const later = new Date(Date.now() + 7200_000).toISOString();
    await updateBroadcast(database.db, workspace.id, broadcast.id, { schedule: { kind: "at", at: later } });
    await sendBroadcast(database.db, workspace.id, broadcast.id);
    // The first schedule's job runs at the first time and finds the broadcast not yet due.
    expect(await runFanout(database.db, workspace.id, broadcast.id, { owner: "old", now: new Date(at) })).toEqual({ status: "skipped", reason: "not_due" });
    expect(await runFanout(database.db, workspace.id, broadcast.id, { owner: "new", now: new Date(later) })).toMatchObject({ status: "queued", queued: 3 });
    await expect(sendBroadcast(database.db, workspace.id, broadcast.id)).rejects.toThrow(/not .*draft|cannot/);
  });

  it("sends at a local time in each contact's timezone, with the fallback zone for contacts without one", async () => {
    const { workspace, template, list, contacts: people } = await setup(3, { timezones: ["Asia/Shanghai", "America/New_York", null] });
    const localTime = "2031-03-10T09:00";
    const broadcast = await create(workspace.id, {
      template_id: template.id,
      audience: { include: [list.id] },
      schedule: { kind: "local", local_time: localTime, fallback_timezone: "Europe/Berlin" },
    });
    const scheduled = await sendBroadcast(database.db, workspace.id, broadcast.id);
    expect(scheduled.scheduledAt?.toISOString()).toBe("2031-03-09T19:00:00.000Z");
    await runFanout(database.db, workspace.id, broadcast.id, { owner: "job", now: scheduled.scheduledAt! });
    const byContact = new Map((await broadcastMessages(workspace.id, broadcast.id)).map((message) => [message.contactId, message.notBefore?.toISOString()]));
    expect(byContact.get(people[0].id)).toBe("2031-03-10T01:00:00.000Z");
    expect(byContact.get(people[1].id)).toBe(localMomentIn(localTime, "America/New_York").toISOString());
    expect(byContact.get(people[1].id)).toBe("2031-03-10T13:00:00.000Z");
    expect(byContact.get(people[2].id)).toBe("2031-03-10T08:00:00.000Z");
  });

  it("throttles to the given messages a minute", async () => {
    const { workspace, template, list } = await setup(7);
    const broadcast = await create(workspace.id, { template_id: template.id, audience: { include: [list.id] }, throttle_per_minute: 3 });
    await sendBroadcast(database.db, workspace.id, broadcast.id);
    const now = new Date("2031-01-01T10:00:00Z");
    await runFanout(database.db, workspace.id, broadcast.id, { owner: "job", now });
    const queued = await broadcastMessages(workspace.id, broadcast.id);
    const minutes = queued.map((message) => (message.notBefore!.getTime() - now.getTime()) / 60_000).sort();
    expect(minutes).toEqual([0, 0, 0, 1, 1, 1, 2]);
    // Each message's job waits for its moment; the first minute's start at once.
    const starts = await queryRows<{ message_id: string; start_after: string | Date }>(
      database.db,
      sql`select data->>'messageId' as message_id, start_after from pgboss.job where name = 'message.send' and data->>'workspaceId' = ${workspace.id}`,
    );
    expect(starts).toHaveLength(7);
    const due = new Map(queued.map((message) => [message.id, message.notBefore!]));
    for (const job of starts) {
      const notBefore = due.get(job.message_id)!;
      if (notBefore > now) expect(new Date(job.start_after).toISOString()).toBe(notBefore.toISOString());
      else expect(new Date(job.start_after).getTime()).toBeLessThan(now.getTime());
    }
  });

  it("splits an A/B test stickily by weight, and the variant's subject is what is sent", async () => {
    const { workspace, template, list } = await setup(400);
    const broadcast = await create(workspace.id, {
      template_id: template.id,
      audience: { include: [list.id] },
      ab_test: { mode: "split", metric: "clicks", variants: [{ weight: 75 }, { weight: 25, subject: "Last chance, {{ contact.first_name }}" }] },
    });
    await sendBroadcast(database.db, workspace.id, broadcast.id);
    await runFanout(database.db, workspace.id, broadcast.id, { owner: "job" });
    const rows = await broadcastMessages(workspace.id, broadcast.id);
    const b = rows.filter((row) => row.variant === "B");
    expect(rows.every((row) => row.variant === "A" || row.variant === "B")).toBe(true);
    expect(b.length).toBeGreaterThan(60);
    expect(b.length).toBeLessThan(140);
    // Sticky: the same broadcast draws the same variant for the same contact.
    const recipients = await database.db.select().from(broadcastRecipients).where(eq(broadcastRecipients.broadcastId, broadcast.id));
    const drawn = new Map(recipients.map((row) => [row.contactId, row.variant]));
    expect(rows.every((row) => drawn.get(row.contactId!) === row.variant)).toBe(true);
    await deliverMessage(database.db, workspace.id, b[0].id);
    const [sentB] = await database.db.select().from(messages).where(eq(messages.id, b[0].id));
    expect(sentB.subject).toMatch(/^Last chance, C\d+$/);
  });

  it("tests on part of the audience, picks the variant the data favours, and sends it to the rest", async () => {
    const { workspace, template, list } = await setup(300);
    const broadcast = await create(workspace.id, {
      template_id: template.id,
      audience: { include: [list.id] },
      ab_test: { mode: "winner", test_percent: 40, metric: "clicks", wait_hours: 4, variants: [{}, { subject: "B subject" }] },
    });
    await sendBroadcast(database.db, workspace.id, broadcast.id);
    const start = new Date();
    const test = await runFanout(database.db, workspace.id, broadcast.id, { owner: "job", now: start });
    expect(test).toMatchObject({ status: "queued", waitingForWinner: true });
    let rows = await broadcastMessages(workspace.id, broadcast.id);
    expect(rows.length).toBeGreaterThan(80);
    expect(rows.length).toBeLessThan(160);
    await deliverAll(workspace.id, broadcast.id);
    // Variant B's recipients click three times as often.
    rows = await broadcastMessages(workspace.id, broadcast.id);
    let index = 0;
    for (const row of rows) {
      const clicks = row.variant === "B" ? index % 10 < 6 : index % 10 < 2;
      index++;
      if (clicks) await database.db.update(messages).set({ status: "clicked", openedAt: new Date(), clickedAt: new Date() }).where(eq(messages.id, row.id));
    }
    expect(await pickWinner(database.db, workspace.id, broadcast.id, { now: new Date(start.getTime() + 3600_000) })).toMatchObject({ status: "early" });
    const outcome = await pickWinner(database.db, workspace.id, broadcast.id, { now: new Date(start.getTime() + 4 * 3600_000) });
    expect(outcome).toMatchObject({ status: "chosen", winner: "B" });
    if (outcome.status === "chosen") {
      expect(outcome.decision.significant).toBe(true);
      expect(outcome.decision.pValue).toBeLessThan(0.05);
    }
    const rest = await runFanout(database.db, workspace.id, broadcast.id, { owner: "job-2" });
    expect(rest).toMatchObject({ status: "queued", done: true });
    const all = await broadcastMessages(workspace.id, broadcast.id);
    expect(all).toHaveLength(300);
    const testIds = new Set(rows.map((row) => row.id));
    expect(all.filter((row) => !testIds.has(row.id)).every((row) => row.variant === "B")).toBe(true);
    const stats = await broadcastStats(database.db, await reload(broadcast));
    expect(stats.variants.map((variant) => variant.key)).toEqual(["A", "B"]);
    expect(stats.variants[0].test).toMatchObject({ against: "B", significant: true });
  });

  it("counts conversions and revenue within the attribution window", async () => {
    const { workspace, template, list, contacts: people } = await setup(4);
    const broadcast = await create(workspace.id, {
      template_id: template.id,
      audience: { include: [list.id] },
      conversion: { event: "Order Completed", revenue_property: "revenue", window_hours: 24 },
    });
    await sendBroadcast(database.db, workspace.id, broadcast.id);
    await runFanout(database.db, workspace.id, broadcast.id, { owner: "job" });
    const sentAt = new Date();
    await deliverAll(workspace.id, broadcast.id, sentAt);
    const order = (contactId: string, at: Date, revenue: number | string, n: number) => ({
      workspaceId: workspace.id,
      messageId: `order-${broadcast.id}-${n}`,
      type: "track" as const,
      name: "Order Completed",
      contactId,
      properties: { revenue },
      timestamp: at,
    });
    await database.db.insert(events).values([
      order(people[0].id, new Date(sentAt.getTime() + 3600_000), 120.5, 1),
      order(people[0].id, new Date(sentAt.getTime() + 7200_000), "30", 2),
      order(people[1].id, new Date(sentAt.getTime() + 2 * 86400_000), 999, 3), // outside the window
      order(people[2].id, new Date(sentAt.getTime() - 3600_000), 50, 4), // before the send
      order(people[3].id, new Date(sentAt.getTime() + 60_000), "not a number", 5),
    ]);
    const stats = await broadcastStats(database.db, await reload(broadcast));
    expect(stats.totals.converted).toBe(2);
    expect(stats.totals.revenue).toBeCloseTo(150.5);
    expect(stats.rates.conversionOfDelivered).toBeCloseTo(0.5);
  });

  it("refuses what cannot be sent with reasons", async () => {
    const { workspace, template, list } = await setup(1);
    const parsed = broadcastCreateSchema.safeParse({ name: "x", template_id: template.id, audience: { include: [] } });
    expect(parsed.success).toBe(false);
    await expect(create(workspace.id, { template_id: template.id, audience: { include: ["00000000-0000-4000-8000-000000000000"] } })).rejects.toThrow(/No segment or list/);
    const winnerLocal = broadcastCreateSchema.safeParse({
      name: "x",
      template_id: template.id,
      audience: { include: [list.id] },
      schedule: { kind: "local", local_time: "2031-01-01T09:00" },
      ab_test: { mode: "winner", test_percent: 10, metric: "opens", wait_hours: 2, variants: [{}, {}] },
    });
    expect(winnerLocal.success).toBe(false);
    const past = await create(workspace.id, { template_id: template.id, audience: { include: [list.id] }, schedule: { kind: "at", at: "2020-01-01T00:00:00Z" } });
    await expect(sendBroadcast(database.db, workspace.id, past.id)).rejects.toThrow(/passed/);
    const [row] = await database.db.select().from(broadcasts).where(eq(broadcasts.id, past.id));
    expect(row.status).toBe("draft");
  });
});

describe("two-proportion test", () => {
  it("matches a worked example and calls small differences noise", () => {
    // 200/1000 vs 250/1000: pooled 0.225, z = −0.05 / 0.018675 ≈ −2.677, p ≈ 0.0074.
    const test = twoProportionTest(200, 1000, 250, 1000)!;
    expect(test.z).toBeCloseTo(-2.677, 3);
    expect(test.pValue).toBeCloseTo(0.0074, 4);
    expect(test.significant).toBe(true);
    expect(twoProportionTest(10, 100, 12, 100)!.significant).toBe(false);
    expect(twoProportionTest(0, 100, 0, 100)).toBeNull();
  });
});
