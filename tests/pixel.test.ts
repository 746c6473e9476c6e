import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { and, eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { contacts, events } from "@/db/schema";
import { processPendingEvents } from "@/lib/tracking/process";
import { transparentGif } from "@/lib/tracking/pixel";
import { GET as pixel, HEAD as checkPixel } from "@/app/t/p.gif/route";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, postgresUrl, tempDir } from "./helpers/database";

const globals = globalThis as { tidelineDatabase?: unknown; tidelineBoss?: Promise<PgBoss> };

function get(query: Record<string, string>, headers: Record<string, string> = {}) {
  return pixel(new NextRequest(`http://localhost/t/p.gif?${new URLSearchParams(query)}`, { headers }));
}

async function expectGif(response: Response) {
  expect(response.headers.get("content-type")).toBe("image/gif");
  expect(response.headers.get("cache-control")).toContain("no-store");
  const body = Buffer.from(await response.arrayBuffer());
  expect(body.equals(transparentGif)).toBe(true);
  // GIF89a, 1 × 1 (little-endian width and height after the signature)
  expect(body.subarray(0, 6).toString("latin1")).toBe("GIF89a");
  expect([body.readUInt16LE(6), body.readUInt16LE(8)]).toEqual([1, 1]);
}

// The route opens the process-wide database (getDb), so each kind points it elsewhere first.
describe.each(databaseKinds)("tracking pixel on %s", (kind) => {
  let db: Db;
  let dataDir: string | undefined;

  beforeAll(async () => {
    if (kind === "postgres") vi.stubEnv("DATABASE_URL", postgresUrl!);
    else {
      dataDir = tempDir("tideline-pixel-");
      vi.stubEnv("DATABASE_URL", "");
      vi.stubEnv("DATA_DIR", dataDir);
    }
    const database = await getDatabase();
    expect(database.kind).toBe(kind);
    db = database.db;
  });

  afterAll(async () => {
    const boss = await globals.tidelineBoss?.catch(() => undefined);
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    globals.tidelineBoss = undefined;
    await (await getDatabase()).close();
    globals.tidelineDatabase = undefined;
    vi.unstubAllEnvs();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function eventsOf(workspaceId: string) {
    return db.select().from(events).where(eq(events.workspaceId, workspaceId)).orderBy(events.id);
  }

  it("stores a track call from its query parameters and answers a 1×1 GIF that is never cached", async () => {
    const { workspace, writeKey } = await createOwnedWorkspace(db, "Pixel");
    const response = await get(
      { k: writeKey, e: "Email Opened", uid: "u-1", mid: "open-1", "p.campaign": "spring", "p.variant": "B", cb: "123" },
      { "user-agent": "Mail/1.0", "x-forwarded-for": "203.0.113.9, 10.0.0.1" },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-tideline-error")).toBeNull();
    await expectGif(response);

    const [event] = await eventsOf(workspace.id);
    expect(event).toMatchObject({
      type: "track",
      name: "Email Opened",
      userId: "u-1",
      messageId: "open-1",
      properties: { campaign: "spring", variant: "B" },
      context: { library: { name: "tideline-pixel" }, userAgent: "Mail/1.0", ip: "203.0.113.9" },
    });
  });

  it("stores a repeated load with the same mid once", async () => {
    const { workspace, writeKey } = await createOwnedWorkspace(db, "Pixel repeat");
    const query = { k: writeKey, e: "Email Opened", aid: "a-1", mid: "open-2" };
    expect((await get(query)).status).toBe(200);
    expect((await get(query)).status).toBe(200);
    expect(await eventsOf(workspace.id)).toHaveLength(1);
  });

  it("records page views and identify calls, which become a contact", async () => {
    const { workspace, writeKey } = await createOwnedWorkspace(db, "Pixel kinds");
    expect((await get({ k: writeKey, t: "page", e: "Spring landing", aid: "h5-visitor", "p.path": "/h5/spring" })).status).toBe(200);
    const identify = await get({ k: writeKey, t: "identify", uid: "user-9", aid: "h5-visitor", "tr.email": "Mei@Example.com", "tr.plan": "pro", "p.ignored": "x" });
    expect(identify.status).toBe(200);
    await expectGif(identify);

    const [page, identified] = await eventsOf(workspace.id);
    expect(page).toMatchObject({ type: "page", name: "Page Viewed", anonymousId: "h5-visitor", properties: { path: "/h5/spring", name: "Spring landing" } });
    expect(identified).toMatchObject({ type: "identify", userId: "user-9", traits: { email: "Mei@Example.com", plan: "pro" }, properties: {} });

    await processPendingEvents(db, workspace.id);
    const found = await db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ externalId: "user-9", email: "mei@example.com", attributes: { plan: "pro" } });
    const history = await eventsOf(workspace.id);
    expect(history.every((event) => event.contactId === found[0].id)).toBe(true);
  });

  it("refuses an invalid call with 400 and the reason in X-Tideline-Error, still as a GIF", async () => {
    const { workspace, writeKey } = await createOwnedWorkspace(db, "Pixel invalid");
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ k: writeKey, uid: "u-1" }, /e \(event\) is required/],
      [{ k: writeKey, e: "Opened" }, /uid.*or aid/],
      [{ k: writeKey, t: "alias", uid: "u-1" }, /t must be track, page or identify/],
      [{ k: writeKey, e: "x".repeat(201), uid: "u-1" }, /e \(event\)/],
      [{ k: writeKey, e: "Opened", uid: "u-1", "p.blob": "x".repeat(33 * 1024) }, /32 KB/],
    ];
    for (const [query, reason] of cases) {
      const response = await get(query);
      expect(response.status, JSON.stringify(query).slice(0, 80)).toBe(400);
      expect(response.headers.get("x-tideline-error")).toMatch(reason);
      await expectGif(response);
    }
    expect(await eventsOf(workspace.id)).toHaveLength(0);
  });

  it("refuses a missing, unknown or revoked write key with 401, still as a GIF", async () => {
    const missing = await get({ e: "Opened", uid: "u-1" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("x-tideline-error")).toMatch(/k parameter/);
    await expectGif(missing);

    const unknown = await get({ k: "wk_not-a-key", e: "Opened", uid: "u-1" });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("x-tideline-error")).toMatch(/unknown write key/i);

    const { workspace } = await createOwnedWorkspace(db, "Pixel revoked");
    const { key, token } = await createApiKey(db, { workspaceId: workspace.id, kind: "write", name: "Old mailer" });
    await revokeApiKey(db, { workspaceId: workspace.id, keyId: key.id });
    const revoked = await get({ k: token, e: "Opened", uid: "u-1" });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("x-tideline-error")).toMatch(/revoked/);
    await expectGif(revoked);
    const stored = await db.select().from(events).where(and(eq(events.workspaceId, workspace.id), eq(events.name, "Opened")));
    expect(stored).toHaveLength(0);
  });

  it("checks a pixel URL on HEAD without recording it", async () => {
    const { workspace, writeKey } = await createOwnedWorkspace(db, "Pixel check");
    const head = (query: Record<string, string>) =>
      checkPixel(new NextRequest(`http://localhost/t/p.gif?${new URLSearchParams(query)}`, { method: "HEAD" }));
    const good = await head({ k: writeKey, e: "Email Opened", uid: "u-1" });
    expect(good.status).toBe(200);
    expect(good.headers.get("x-tideline-error")).toBeNull();
    const bad = await head({ k: writeKey, uid: "u-1" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-tideline-error")).toMatch(/e \(event\) is required/);
    expect((await head({ k: "wk_nope", e: "Email Opened", uid: "u-1" })).status).toBe(401);
    expect(await eventsOf(workspace.id)).toHaveLength(0);
  });

  it("keeps a secret key out: the pixel takes write keys only", async () => {
    const { workspace } = await createOwnedWorkspace(db, "Pixel secret");
    const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
    const response = await get({ k: token, e: "Opened", uid: "u-1" });
    expect(response.status).toBe(401);
    expect(await eventsOf(workspace.id)).toHaveLength(0);
  });
});
