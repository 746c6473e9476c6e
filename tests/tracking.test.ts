import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { attributeDefinitions, companies, contacts, events } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { parseBatchItem, parseCall, type TrackingCall } from "@/lib/tracking/calls";
import { correctedTimestamp, ingestCalls, pendingEvents } from "@/lib/tracking/ingest";
import { processPendingEvents } from "@/lib/tracking/process";
import { resolveContact } from "@/lib/contacts/identity";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

function call(raw: Record<string, unknown>): TrackingCall {
  const parsed = parseBatchItem(raw);
  if ("reason" in parsed) throw new Error(parsed.reason);
  return parsed.call;
}

describe("tracking calls", () => {
  it("names the offending field of a bad call", () => {
    expect(parseCall("track", { userId: "u1" })).toEqual({ reason: "event is required" });
    expect(parseCall("track", { userId: "u1", event: " " })).toEqual({ reason: "event must name the event" });
    expect(parseCall("group", { userId: "u1" })).toEqual({ reason: "groupId is required" });
    expect(parseCall("track", { event: "Signed Up" })).toEqual({ reason: "userId needs a userId or an anonymousId" });
    expect(parseCall("identify", { userId: "u1", timestamp: "yesterday" })).toEqual({
      reason: "timestamp is not a date (use ISO 8601)",
    });
    expect(parseBatchItem({ type: "purchase", userId: "u1" })).toMatchObject({ reason: expect.stringContaining("type must be one of") });
    expect(parseCall("track", { userId: 42, event: "X" })).toMatchObject({ call: { userId: "42" } });
    expect(parseCall("identify", { userId: "u1", traits: { nick: "a\u0000b" } })).toEqual({
      reason: "traits.nick contains a NUL character (\\u0000) or a broken UTF-16 character, which cannot be stored",
    });
    expect(parseCall("track", { userId: "u1", event: "bad \ud800 name" })).toMatchObject({ reason: expect.stringContaining("event contains") });
  });

  it("refuses a batch item over 32 KB as JSON and keeps one just under it", () => {
    const item = (text: string) => ({ type: "track", userId: "u1", event: "E", properties: { text } });
    const size = (text: string) => Buffer.byteLength(JSON.stringify(item(text)));
    const under = "x".repeat(32 * 1024 - size(""));
    expect(size(under)).toBe(32 * 1024);
    expect(parseBatchItem(item(under))).toHaveProperty("call");
    expect(parseBatchItem(item(`${under}x`))).toEqual({ reason: "is larger than 32 KB" });
    // Three bytes a character in UTF-8, and an escape for a control character.
    expect(parseBatchItem(item("积".repeat(11_000)))).toEqual({ reason: "is larger than 32 KB" });
    expect(parseBatchItem(item("\u0001".repeat(5_500)))).toEqual({ reason: "is larger than 32 KB" });
    expect(parseBatchItem(item("积".repeat(10_000)))).toHaveProperty("call");
  });

  it("corrects the client's clock skew from sentAt", () => {
    const received = new Date("2026-01-01T12:00:00Z");
    const skewed = call({
      type: "track",
      userId: "u",
      event: "E",
      timestamp: "2026-01-01T13:59:50Z",
      sentAt: "2026-01-01T14:00:00Z",
    });
    expect(correctedTimestamp(skewed, received).toISOString()).toBe("2026-01-01T11:59:50.000Z");
    expect(correctedTimestamp(call({ type: "track", userId: "u", event: "E" }), received)).toEqual(received);
    // RudderStack sets originalTimestamp itself; an explicit timestamp next to it is a backfill.
    const backfill = call({
      type: "track",
      userId: "u",
      event: "E",
      timestamp: "2025-03-01T08:00:00Z",
      originalTimestamp: "2026-01-01T13:59:50Z",
      sentAt: "2026-01-01T14:00:00Z",
    });
    expect(correctedTimestamp(backfill, received).toISOString()).toBe("2025-03-01T08:00:00.000Z");
  });
});

describe.each(databaseKinds)("ingestion and processing on %s", (kind) => {
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

  async function contactsOf(workspaceId: string) {
    return database.db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId));
  }

  it("stores a retried call once (messageId) and queues its processing", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const first = await ingestCalls(database.db, workspace.id, [call({ type: "track", anonymousId: "a1", event: "Viewed", messageId: "m-1" })]);
    const again = await ingestCalls(database.db, workspace.id, [call({ type: "track", anonymousId: "a1", event: "Viewed", messageId: "m-1" })]);
    expect(first).toEqual({ stored: 1, duplicates: 0 });
    expect(again).toEqual({ stored: 0, duplicates: 1 });
    expect(await pendingEvents(database.db, workspace.id)).toBe(1);
    const queued = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pgboss.job where name = 'event.process' and singleton_key = ${workspace.id}`,
    );
    expect(queued[0].n).toBe(1);
  });

  it("merges an anonymous visitor's history into the contact when identify links them", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await ingestCalls(database.db, workspace.id, [
      call({ type: "page", anonymousId: "anon-7", name: "Pricing", timestamp: "2026-01-01T10:00:00Z" }),
      call({ type: "track", anonymousId: "anon-7", event: "Whitepaper Downloaded", timestamp: "2026-01-01T10:05:00Z" }),
    ]);
    await processPendingEvents(database.db, workspace.id);
    expect(await contactsOf(workspace.id)).toHaveLength(1);

    await ingestCalls(database.db, workspace.id, [
      call({ type: "identify", userId: "user-7", traits: { email: "Li.Na@Example.com", name: "Li Na", plan: "pro", seats: 5, vip: true } }),
    ]);
    await processPendingEvents(database.db, workspace.id);
    await ingestCalls(database.db, workspace.id, [
      call({ type: "identify", userId: "user-7", anonymousId: "anon-7", traits: { createdAt: "2025-06-01T00:00:00Z" } }),
    ]);
    await processPendingEvents(database.db, workspace.id);

    const all = await contactsOf(workspace.id);
    expect(all).toHaveLength(1);
    const [contact] = all;
    expect(contact).toMatchObject({
      externalId: "user-7",
      email: "li.na@example.com",
      firstName: "Li",
      lastName: "Na",
      attributes: { plan: "pro", seats: 5, vip: true },
    });
    expect(contact.createdAt.toISOString()).toBe("2025-06-01T00:00:00.000Z");
    const history = await database.db.select().from(events).where(eq(events.workspaceId, workspace.id));
    expect(history.every((event) => event.contactId === contact.id && event.processedAt)).toBe(true);
    const catalogue = await database.db
      .select({ key: attributeDefinitions.key, type: attributeDefinitions.type })
      .from(attributeDefinitions)
      .where(eq(attributeDefinitions.workspaceId, workspace.id));
    expect(catalogue).toEqual(
      expect.arrayContaining([
        { key: "plan", type: "string" },
        { key: "seats", type: "number" },
        { key: "vip", type: "boolean" },
      ]),
    );
  });

  it("merges on alias, finds a contact by email, and keeps two users of one device apart", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    await ingestCalls(database.db, workspace.id, [
      call({ type: "track", userId: "old-id", event: "Ordered" }),
      call({ type: "alias", previousId: "old-id", userId: "new-id" }),
      call({ type: "identify", userId: "new-id", traits: { email: "pat@example.com" } }),
      call({ type: "identify", anonymousId: "form-visitor", traits: { email: "PAT@example.com", source: "form" } }),
      call({ type: "identify", userId: "alice", anonymousId: "shared-tablet" }),
      call({ type: "identify", userId: "bob", anonymousId: "shared-tablet" }),
      call({ type: "group", userId: "bob", groupId: "acme", traits: { name: "Acme Inc", employees: 40 } }),
    ]);
    await processPendingEvents(database.db, workspace.id);
    const all = await contactsOf(workspace.id);
    expect(all.map((contact) => contact.externalId).sort()).toEqual(["alice", "bob", "new-id"]);
    const pat = all.find((contact) => contact.externalId === "new-id")!;
    expect(pat.attributes).toMatchObject({ source: "form" });
    const [company] = await database.db.select().from(companies).where(eq(companies.workspaceId, workspace.id));
    expect(company).toMatchObject({ groupId: "acme", name: "Acme Inc" });
    expect(all.find((contact) => contact.externalId === "bob")!.companyId).toBe(company.id);
  });

  it("never creates two contacts for one userId under concurrent calls", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const at = new Date();
    const ids = await Promise.all(
      Array.from({ length: 8 }, () =>
        database.db.transaction((tx) => resolveContact(tx, workspace.id, { userId: "racer", anonymousId: null }, at)),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    const rows = await database.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspace.id)));
    expect(rows).toHaveLength(1);
  });
});
