import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { broadcasts, contacts, events, messageEvents, messages, type NewMessage } from "@/db/schema";
import { dashboardRange } from "@/lib/dashboard/range";
import { dashboardStats, hasActivity } from "@/lib/dashboard/stats";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

// The workspace is in Shanghai (UTC+8): its days start at 16:00 UTC the day before. "Now" is
// noon on 10 March there, so the 7-day range is 4 March 00:00 (03-03T16:00Z) to now, and the
// previous range the 6½ days before that.
const timezone = "Asia/Shanghai";
const now = new Date("2026-03-10T04:00:00Z");
const at = (iso: string) => new Date(iso);

describe.each(databaseKinds)("dashboard on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });

  afterAll(async () => {
    await database?.close();
  });

  async function seed() {
    const db = database.db;
    const { workspace } = await createOwnedWorkspace(db, "Dashboard");
    const workspaceId = workspace.id;
    expect(await hasActivity(db, workspaceId)).toBe(false);

    const [old, feb, lateMarch3, midnightMarch4, earlyMarch10] = await db
      .insert(contacts)
      .values([
        { workspaceId, email: "old@example.test", createdAt: at("2026-01-01T00:00:00Z") },
        { workspaceId, email: "feb@example.test", createdAt: at("2026-02-26T00:00:00Z") },
        // 23:59 on 3 March in Shanghai: the previous range.
        { workspaceId, email: "late3@example.test", createdAt: at("2026-03-03T15:59:00Z") },
        // 00:00 on 4 March in Shanghai: the first moment of the range.
        { workspaceId, email: "mid4@example.test", createdAt: at("2026-03-03T16:00:00Z") },
        // 9 March in UTC but 01:00 on 10 March (today) in Shanghai.
        { workspaceId, email: "early10@example.test", createdAt: at("2026-03-09T17:00:00Z") },
      ])
      .returning();

    const event = (name: string | null, timestamp: string, contactId: string | null = old.id, properties: Record<string, unknown> = {}) => ({
      workspaceId,
      messageId: randomUUID(),
      type: name ? ("track" as const) : ("identify" as const),
      name,
      contactId,
      properties: properties as Record<string, string | number>,
      timestamp: at(timestamp),
    });

    const [sale, flash, february] = await db
      .insert(broadcasts)
      .values([
        {
          workspaceId,
          name: "Spring sale",
          status: "sent",
          channel: "email",
          templateId: randomUUID(),
          audience: { include: [], exclude: [] },
          conversion: { event: "Order Completed", revenueProperty: "total", windowHours: 24 },
          startedAt: at("2026-03-05T02:00:00Z"),
          createdAt: at("2026-03-04T09:00:00Z"),
        },
        {
          workspaceId,
          name: "Flash sale",
          status: "sent",
          channel: "email",
          templateId: randomUUID(),
          audience: { include: [], exclude: [] },
          conversion: { event: "Order Completed", revenueProperty: "total", windowHours: 24 },
          startedAt: at("2026-03-05T08:00:00Z"),
          createdAt: at("2026-03-05T07:00:00Z"),
        },
        {
          workspaceId,
          name: "February news",
          status: "sent",
          channel: "email",
          templateId: randomUUID(),
          audience: { include: [], exclude: [] },
          conversion: { event: "Order Completed", revenueProperty: "total", windowHours: 24 },
          startedAt: at("2026-03-02T00:00:00Z"),
          // Finished, but its window still covers the order 5 h after the send.
          finishedAt: at("2026-03-02T00:10:00Z"),
          createdAt: at("2026-03-01T00:00:00Z"),
        },
      ])
      .returning();
    // Drafts and an old one, so "the last five" leaves one out.
    await db.insert(broadcasts).values(
      ["Draft A", "Draft B", "Draft C", "Ancient"].map((name, index) => ({
        workspaceId,
        name,
        status: name === "Ancient" ? ("sent" as const) : ("draft" as const),
        channel: "email" as const,
        templateId: randomUUID(),
        audience: { include: [], exclude: [] },
        createdAt: name === "Ancient" ? at("2025-06-01T00:00:00Z") : at(`2026-03-0${6 + index}T00:00:00Z`),
      })),
    );

    const message = (values: Partial<NewMessage> & { sentAt: Date | null }): NewMessage => ({
      workspaceId,
      idempotencyKey: randomUUID(),
      source: "api",
      channel: "email",
      kind: "marketing",
      status: "sent",
      createdAt: values.sentAt ?? now,
      ...values,
    });
    const [opened, botOnly, bounced, , previous] = await db
      .insert(messages)
      .values([
        // 5 March in Shanghai: opened and clicked by a person.
        message({
          source: "broadcast",
          sourceId: sale.id,
          contactId: midnightMarch4.id,
          status: "clicked",
          sentAt: at("2026-03-05T02:00:00Z"),
          openedAt: at("2026-03-05T03:00:00Z"),
          clickedAt: at("2026-03-05T03:01:00Z"),
        }),
        // Opened only by a mail privacy proxy: delivered, never opened.
        message({ source: "broadcast", sourceId: sale.id, contactId: earlyMarch10.id, status: "delivered", sentAt: at("2026-03-05T03:00:00Z") }),
        // 00:10 on 10 March in Shanghai.
        message({ source: "broadcast", sourceId: sale.id, contactId: lateMarch3.id, status: "bounced", sentAt: at("2026-03-09T16:10:00Z") }),
        message({ source: "broadcast", sourceId: flash.id, contactId: midnightMarch4.id, status: "delivered", sentAt: at("2026-03-05T08:00:00Z") }),
        // The previous range.
        message({ source: "broadcast", sourceId: february.id, contactId: feb.id, status: "opened", sentAt: at("2026-03-02T00:00:00Z"), openedAt: at("2026-03-02T01:00:00Z") }),
        // An SMS: sent, but no opens to report, so not part of the rates.
        message({ channel: "sms", contactId: old.id, status: "delivered", sentAt: at("2026-03-06T02:00:00Z") }),
        // A test send to the team, and one still queued: neither counts.
        message({ source: "test", status: "sent", sentAt: at("2026-03-06T02:00:00Z"), openedAt: at("2026-03-06T02:05:00Z") }),
        message({ status: "queued", sentAt: null }),
      ])
      .returning();

    await db.insert(messageEvents).values([
      { workspaceId, messageId: botOnly.id, type: "opened", bot: true, at: at("2026-03-05T03:00:05Z") },
      { workspaceId, messageId: opened.id, type: "opened", at: at("2026-03-05T03:00:00Z") },
      { workspaceId, messageId: opened.id, type: "unsubscribed", at: at("2026-03-06T00:00:00Z") },
      { workspaceId, messageId: bounced.id, type: "bounced", at: at("2026-03-09T16:11:00Z") },
      { workspaceId, messageId: previous.id, type: "unsubscribed", at: at("2026-03-02T02:00:00Z") },
      { workspaceId, messageId: previous.id, type: "unsubscribed", at: at("2026-02-20T00:00:00Z") },
    ]);

    await db.insert(events).values([
      // Either side of the range's start.
      event("Signed Up", "2026-03-03T15:59:59.999Z"),
      event("Signed Up", "2026-03-03T16:00:00Z"),
      event("Page Viewed", "2026-03-01T00:00:00Z"),
      // 23:30 on 9 March and 00:30 on 10 March in Shanghai.
      event("Page Viewed", "2026-03-09T15:30:00Z"),
      event("Page Viewed", "2026-03-09T16:30:00Z"),
      event(null, "2026-03-10T01:00:00Z"),
      // After now: neither in the range nor today.
      event("Page Viewed", "2026-03-10T05:00:00Z"),
      // Orders. 8 h after the sale reached contact 4 (and 2 h after the flash sale did: counted once, for the flash sale).
      event("Order Completed", "2026-03-05T10:00:00Z", midnightMarch4.id, { total: 30 }),
      // 25 h after the flash sale: outside both windows.
      event("Order Completed", "2026-03-06T09:00:00Z", midnightMarch4.id, { total: 50 }),
      // 1 h after the sale reached contact 10, a string amount; and one before it was sent.
      event("Order Completed", "2026-03-05T04:00:00Z", earlyMarch10.id, { total: "19.50" }),
      event("Order Completed", "2026-03-05T02:30:00Z", earlyMarch10.id, { total: 1000 }),
      // No broadcast reached this contact.
      event("Order Completed", "2026-03-05T04:00:00Z", old.id, { total: 70 }),
      // The February news, in the previous range.
      event("Order Completed", "2026-03-02T05:00:00Z", feb.id, { total: 10 }),
    ]);

    // Another workspace's figures never show.
    const other = await createOwnedWorkspace(db, "Elsewhere");
    const [stranger] = await db.insert(contacts).values({ workspaceId: other.workspace.id, createdAt: at("2026-03-05T00:00:00Z") }).returning();
    await db.insert(events).values({ ...event("Page Viewed", "2026-03-09T17:00:00Z", stranger.id), workspaceId: other.workspace.id });
    await db.insert(messages).values({ ...message({ contactId: stranger.id, sentAt: at("2026-03-05T00:00:00Z"), openedAt: at("2026-03-05T01:00:00Z") }), workspaceId: other.workspace.id });

    return { workspaceId };
  }

  it("adds up the range, the range before it and today, in the workspace's time zone", async () => {
    const { workspaceId } = await seed();
    const db = database.db;
    expect(await hasActivity(db, workspaceId)).toBe(true);
    const range = dashboardRange(7, timezone, now);
    expect(range.from.toISOString()).toBe("2026-03-03T16:00:00.000Z");
    const stats = await dashboardStats(db, workspaceId, { ...range, timezone, now });

    expect(stats.previousRange.from.toISOString()).toBe("2026-02-25T04:00:00.000Z");
    expect(stats.previousRange.to.toISOString()).toBe("2026-03-03T16:00:00.000Z");

    expect(stats.current).toEqual({
      contacts: 5,
      newContacts: 2,
      // 1 sign-up, 2 page views, 1 identify, 5 orders.
      events: 9,
      // Sale ×3 (one bounced), flash sale, SMS.
      sent: 5,
      // Emails not bounced: the rates are of these three.
      delivered: 3,
      opened: 1,
      clicked: 1,
      openRate: 1 / 3,
      clickRate: 1 / 3,
      unsubscribed: 1,
      conversions: 2,
      revenue: 49.5,
    });
    expect(stats.previous).toEqual({
      contacts: 3,
      newContacts: 2,
      events: 3,
      sent: 1,
      delivered: 1,
      opened: 1,
      clicked: 0,
      openRate: 1,
      clickRate: 0,
      unsubscribed: 1,
      conversions: 1,
      revenue: 10,
    });
    // 00:30 page view and 09:00 identify in Shanghai; not the one stamped after now.
    expect(stats.eventsToday).toBe(2);
    expect(stats.conversionTracked).toBe(true);
  });

  it("buckets each day as the workspace's local day", async () => {
    const { workspaceId } = await seed();
    const stats = await dashboardStats(database.db, workspaceId, { ...dashboardRange(7, timezone, now), timezone, now });
    expect(stats.days.map((day) => day.day)).toEqual(["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"]);
    const day = (date: string) => stats.days.find((entry) => entry.day === date);
    expect(day("2026-03-04")).toEqual({ day: "2026-03-04", newContacts: 1, events: 1, sent: 0, opened: 0, clicked: 0 });
    expect(day("2026-03-05")).toEqual({ day: "2026-03-05", newContacts: 0, events: 4, sent: 3, opened: 1, clicked: 1 });
    expect(day("2026-03-06")).toEqual({ day: "2026-03-06", newContacts: 0, events: 1, sent: 1, opened: 0, clicked: 0 });
    expect(day("2026-03-07")).toEqual({ day: "2026-03-07", newContacts: 0, events: 0, sent: 0, opened: 0, clicked: 0 });
    expect(day("2026-03-09")).toEqual({ day: "2026-03-09", newContacts: 0, events: 1, sent: 0, opened: 0, clicked: 0 });
    expect(day("2026-03-10")).toEqual({ day: "2026-03-10", newContacts: 1, events: 2, sent: 1, opened: 0, clicked: 0 });
    const sum = (key: "newContacts" | "events" | "sent" | "opened" | "clicked") => stats.days.reduce((total, entry) => total + entry[key], 0);
    expect([sum("newContacts"), sum("events"), sum("sent"), sum("opened"), sum("clicked")]).toEqual([2, 9, 5, 1, 1]);
  });

  it("lists the last five broadcasts with what they sent and how they did", async () => {
    const { workspaceId } = await seed();
    const stats = await dashboardStats(database.db, workspaceId, { ...dashboardRange(30, timezone, now), timezone, now });
    expect(stats.recentBroadcasts.map((broadcast) => broadcast.name)).toEqual(["Draft C", "Draft B", "Draft A", "Flash sale", "Spring sale"]);
    const sale = stats.recentBroadcasts.find((broadcast) => broadcast.name === "Spring sale");
    expect(sale).toMatchObject({ status: "sent", channel: "email", sent: 3, delivered: 2, opened: 1, clicked: 1, openRate: 0.5, clickRate: 0.5 });
    expect(sale?.at.toISOString()).toBe("2026-03-05T02:00:00.000Z");
    expect(stats.recentBroadcasts.find((broadcast) => broadcast.name === "Draft A")).toMatchObject({ status: "draft", sent: 0, openRate: 0 });
  });

  it("shows an empty workspace as zeros on every local day, across a change to summer time", async () => {
    const db = database.db;
    const { workspace } = await createOwnedWorkspace(db, "Quiet");
    // New York moved its clocks on 8 March 2026: the range still has seven whole local days.
    const newYorkNow = new Date("2026-03-10T16:00:00Z");
    const range = dashboardRange(7, "America/New_York", newYorkNow);
    expect(range.from.toISOString()).toBe("2026-03-04T05:00:00.000Z");
    const stats = await dashboardStats(db, workspace.id, { ...range, timezone: "America/New_York", now: newYorkNow });
    expect(stats.days.map((day) => day.day)).toEqual(["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"]);
    expect(stats.days.every((day) => day.newContacts + day.events + day.sent === 0)).toBe(true);
    expect(stats.current).toMatchObject({ contacts: 0, events: 0, sent: 0, openRate: 0, revenue: 0 });
    expect(stats.recentBroadcasts).toEqual([]);
    expect(stats.conversionTracked).toBe(false);
    expect(await hasActivity(db, workspace.id)).toBe(false);
  });
});
