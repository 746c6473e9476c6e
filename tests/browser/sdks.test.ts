import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { Analytics as SegmentAnalytics } from "@segment/analytics-node";
import RudderAnalytics from "@rudderstack/rudder-sdk-node";
import { type Database } from "@/db/client";
import { companies, contactIdentities, contacts, events } from "@/db/schema";
import { ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { appKinds, buildSkipReason, freshAppDatabase, startApp, type RunningApp, openAppDatabase, sleep } from "./harness";

// The unmodified Segment and RudderStack Node SDKs, pointed at `next start`, as a customer
// would wire them up. Needs a production build but no browser.
const skipReason = buildSkipReason();
if (skipReason) console.warn(`[sdk tests] skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason)).each(appKinds)("Segment and RudderStack Node SDKs against next start on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp | undefined;
  let writeKey = "";
  let workspaceId = "";
  let inspected: Database | undefined;
  // The real clock around the skewed-clock calls: their corrected times must fall inside it.
  const skewedWindow = { from: 0, to: 0 };
  const rudderWindow = { from: 0, to: 0 };

  beforeAll(async () => {
    // Setup is a UI form; the workspace and write key are made on the fresh database before
    // the server starts (as `npm run cli -- setup` would), so no browser is needed.
    target = await freshAppDatabase(kind);
    const database = await openAppDatabase(target.database);
    try {
      const created = await ensureOwnerWorkspace(database.db, {
        email: "sdk-owner@example.com",
        password: "sdk owner password",
        workspaceName: "SDK Shop",
      });
      writeKey = created.writeKey;
      workspaceId = created.workspace.id;
    } finally {
      await database.close();
    }
    app = await startApp(kind, {}, { database: target.database });
  });

  afterAll(async () => {
    await inspected?.close();
    await app?.stop();
    await target?.drop();
  });

  it("accepts everything the Segment SDK sends, from a client whose clock runs an hour fast", async () => {
    const analytics = new SegmentAnalytics({ writeKey, host: app!.url, path: "/api/v1/batch", flushAt: 50, flushInterval: 200, maxRetries: 2 });
    const failures: unknown[] = [];
    analytics.on("error", (error) => failures.push(error));
    const sent = (error?: unknown) => error && failures.push(error);

    // A visitor browses anonymously, then signs up on a second device and logs in on both.
    analytics.page(
      { anonymousId: "seg-anon-1", category: "Docs", name: "Pricing", properties: { path: "/pricing", plan: "pro" }, timestamp: new Date("2026-03-01T10:00:00Z") },
      sent,
    );
    analytics.track(
      { anonymousId: "seg-anon-1", event: "Whitepaper Downloaded", properties: { title: "Postgres at scale", pages: 12 }, timestamp: new Date("2026-03-01T10:05:00Z") },
      sent,
    );
    // Sent before the clock goes wrong, so these carry a correct sentAt.
    await analytics.flush();
    skewedWindow.from = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 60 * 60 * 1000);
    try {
      analytics.track({ anonymousId: "seg-anon-2", event: "Trial Started", properties: { source: "mobile" } }, sent);
      analytics.identify(
        { userId: "seg-user-1", anonymousId: "seg-anon-1", traits: { email: "Ada@Example.com", name: "Ada Lovelace", plan: "pro", seats: 5, vip: true } },
        sent,
      );
      analytics.group({ userId: "seg-user-1", groupId: "seg-company-1", traits: { name: "Analytical Engines Ltd", industry: "Computing", employees: 42 } }, sent);
      analytics.alias({ userId: "seg-user-1", previousId: "seg-anon-2" }, sent);
      await analytics.closeAndFlush();
    } finally {
      vi.useRealTimers();
      skewedWindow.to = Date.now();
    }
    expect(failures).toEqual([]);
  });

  it("accepts everything the RudderStack SDK sends, gzipped", async () => {
    // v3 posts to `${dataPlaneUrl}${path}` with path defaulting to /v1/batch, gzip on.
    rudderWindow.from = Date.now();
    const client = new RudderAnalytics(writeKey, { dataPlaneUrl: `${app!.url}/api`, flushAt: 50, flushInterval: 200, logLevel: "error", retryCount: 1 });
    const failures: unknown[] = [];
    const sent = (error?: unknown) => error && failures.push(error);
    client.page({ anonymousId: "rud-anon-1", name: "Home", category: "Landing", properties: { path: "/", referrer: "https://news.example" } }, sent);
    client.track({ anonymousId: "rud-anon-1", event: "Demo Requested", properties: { product: "tideline", seats: 25 } }, sent);
    client.track({ anonymousId: "rud-anon-2", event: "Webinar Joined", properties: { topic: "Segments" } }, sent);
    client.identify({ userId: "rud-user-1", anonymousId: "rud-anon-1", traits: { email: "grace@navy.example", firstName: "Grace", lastName: "Hopper", rank: "admiral", languages: ["COBOL", "FLOW-MATIC"] } }, sent);
    client.group({ userId: "rud-user-1", groupId: "rud-company-1", traits: { name: "Harvard Mark I", employees: 7 } }, sent);
    client.alias({ userId: "rud-user-1", previousId: "rud-anon-2" }, sent);
    await client.flush();
    await client.flush();
    rudderWindow.to = Date.now();
    expect(failures).toEqual([]);
  });

  // The stored calls and the contacts the server's own `event.process` job made from them.
  async function processed(): Promise<Database> {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (kind === "embedded") {
        // The embedded data directory opens in one process at a time: stop the server to look,
        // start it again on the same directory if its job had not finished yet.
        if (attempt > 0) app = await startApp(kind, {}, { database: target.database });
        await sleep(2000);
        await app!.stop();
        app = undefined;
      } else if (attempt > 0) {
        await sleep(500);
      }
      const database = await openAppDatabase(target.database);
      const [{ pending }] = await database.db
        .select({ pending: sql<number>`count(*)::int` })
        .from(events)
        .where(and(eq(events.workspaceId, workspaceId), isNull(events.processedAt)));
      if (pending === 0) return database;
      await database.close();
    }
    throw new Error(`event.process did not finish:\n${app?.logs() ?? ""}`);
  }

  it("stores each call with its type, name, properties and corrected time", async () => {
    inspected = await processed();
    const stored = await inspected.db
      .select()
      .from(events)
      .where(eq(events.workspaceId, workspaceId))
      .orderBy(asc(events.id));
    const byId = (id: string) => stored.filter((event) => event.userId === id || event.anonymousId === id);
    const summary = stored.map((event) => `${event.type}:${event.name ?? ""}:${event.userId ?? event.anonymousId}`);
    expect(summary.sort()).toEqual(
      [
        "page:Page Viewed:seg-anon-1",
        "track:Whitepaper Downloaded:seg-anon-1",
        "track:Trial Started:seg-anon-2",
        "identify::seg-user-1",
        "group::seg-user-1",
        "alias::seg-user-1",
        "page:Page Viewed:rud-anon-1",
        "track:Demo Requested:rud-anon-1",
        "track:Webinar Joined:rud-anon-2",
        "identify::rud-user-1",
        "group::rud-user-1",
        "alias::rud-user-1",
      ].sort(),
    );

    const [segmentPage, segmentDownload] = byId("seg-anon-1");
    expect(segmentPage.properties).toMatchObject({ path: "/pricing", plan: "pro", name: "Pricing", category: "Docs" });
    expect(segmentDownload.properties).toEqual({ title: "Postgres at scale", pages: 12 });
    // Explicit past times, sent by a client with a correct clock, arrive as given (less the
    // moment between sentAt and arrival).
    expect(Math.abs(segmentPage.timestamp.getTime() - Date.parse("2026-03-01T10:00:00Z"))).toBeLessThan(60_000);
    expect(Math.abs(segmentDownload.timestamp.getTime() - Date.parse("2026-03-01T10:05:00Z"))).toBeLessThan(60_000);
    // The hour-fast client's calls land at the real time they were made.
    for (const event of [...byId("seg-anon-2"), ...byId("seg-user-1")]) {
      expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(skewedWindow.from - 1000);
      expect(event.timestamp.getTime()).toBeLessThanOrEqual(skewedWindow.to + 1000);
    }

    const [rudderPage, rudderDemo] = byId("rud-anon-1");
    expect(rudderPage.properties).toMatchObject({ path: "/", referrer: "https://news.example", name: "Home", category: "Landing" });
    expect(rudderDemo.properties).toEqual({ product: "tideline", seats: 25 });
    expect(rudderDemo.context).toMatchObject({ library: { name: "analytics-node" } });
    for (const event of [...byId("rud-anon-1"), ...byId("rud-anon-2"), ...byId("rud-user-1")]) {
      expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(rudderWindow.from - 1000);
      expect(event.timestamp.getTime()).toBeLessThanOrEqual(rudderWindow.to + 1000);
    }
    const identify = stored.find((event) => event.type === "identify" && event.userId === "rud-user-1");
    expect(identify?.traits).toMatchObject({ email: "grace@navy.example", rank: "admiral" });
  });

  it("turns them into contacts: ids, email, traits as attributes, merged anonymous history, company", async () => {
    const db = inspected!.db;
    const people = await db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId));
    expect(people).toHaveLength(2);
    const ada = people.find((person) => person.externalId === "seg-user-1");
    const grace = people.find((person) => person.externalId === "rud-user-1");
    expect(ada).toMatchObject({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", attributes: { plan: "pro", seats: 5, vip: true } });
    expect(grace).toMatchObject({ email: "grace@navy.example", firstName: "Grace", lastName: "Hopper", attributes: { rank: "admiral", languages: ["COBOL", "FLOW-MATIC"] } });

    // Everything each person did before identifying (both devices) is now theirs.
    const owners = await db
      .select({ who: sql<string>`coalesce(${events.userId}, ${events.anonymousId})`, contactId: events.contactId })
      .from(events)
      .where(eq(events.workspaceId, workspaceId));
    for (const { who, contactId } of owners) {
      expect({ who, contactId }).toEqual({ who, contactId: who.startsWith("seg-") ? ada!.id : grace!.id });
    }
    const identities = await db
      .select({ kind: contactIdentities.kind, value: contactIdentities.value })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.contactId, ada!.id)));
    expect(identities).toEqual(
      expect.arrayContaining([
        { kind: "user_id", value: "seg-user-1" },
        { kind: "anonymous_id", value: "seg-anon-1" },
        { kind: "anonymous_id", value: "seg-anon-2" },
        { kind: "email", value: "ada@example.com" },
      ]),
    );

    const firms = await db.select().from(companies).where(eq(companies.workspaceId, workspaceId));
    const engines = firms.find((firm) => firm.groupId === "seg-company-1");
    const harvard = firms.find((firm) => firm.groupId === "rud-company-1");
    expect(engines).toMatchObject({ name: "Analytical Engines Ltd", traits: { industry: "Computing", employees: 42 } });
    expect(harvard).toMatchObject({ name: "Harvard Mark I", traits: { employees: 7 } });
    expect(ada!.companyId).toBe(engines!.id);
    expect(grace!.companyId).toBe(harvard!.id);
  });
});
