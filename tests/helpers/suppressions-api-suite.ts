import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { contacts } from "@/db/schema";
import { checkEligibility } from "@/lib/messages/eligibility";
import * as topicsRoute from "@/app/api/v1/topics/route";
import * as topicRoute from "@/app/api/v1/topics/[id]/route";
import * as suppressionsRoute from "@/app/api/v1/suppressions/route";
import * as suppressionRoute from "@/app/api/v1/suppressions/[channel]/[address]/route";
import { createOwnedWorkspace, uniqueEmail } from "./accounts";
import { callRoute as call } from "./route-call";


/** The topics and suppression list REST API against the process-wide database. */
export function suppressionsApiSuite(kind: "embedded" | "postgres") {
  describe(`topics and suppressions REST API on ${kind}`, () => {
    let db: Db;

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
    });
    afterAll(async () => {
      await (await getDatabase()).close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    async function workspaceWithKey() {
      const { workspace, writeKey } = await createOwnedWorkspace(db);
      const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      return { workspace, token, writeKey };
    }

    it("refuses calls without a secret key, with a write key, or with a revoked one", async () => {
      const { writeKey } = await workspaceWithKey();
      const none = await call(topicsRoute.GET, "GET", "/api/v1/topics");
      expect(none.status).toBe(401);
      expect(none.json.error.code).toBe("unauthorized");
      const write = await call(suppressionsRoute.GET, "GET", "/api/v1/suppressions", { token: writeKey });
      expect(write.status).toBe(401);
      expect((await call(suppressionsRoute.POST, "POST", "/api/v1/suppressions", { token: "sk_nope", body: { channel: "email", address: "a@b.co" } })).status).toBe(401);
    });

    it("creates, lists, renames and deletes topics, with validation and duplicate errors", async () => {
      const { token } = await workspaceWithKey();
      const created = await call(topicsRoute.POST, "POST", "/api/v1/topics", { token, body: { name: "Newsletter", description: "Once a month" } });
      expect(created.status).toBe(201);
      expect(created.json.topic).toMatchObject({ name: "Newsletter", description: "Once a month", default_subscribed: true });
      const id = created.json.topic.id;
      const optIn = await call(topicsRoute.POST, "POST", "/api/v1/topics", { token, body: { name: "Beta", default_subscribed: false } });
      expect(optIn.json.topic.default_subscribed).toBe(false);

      const duplicate = await call(topicsRoute.POST, "POST", "/api/v1/topics", { token, body: { name: "newsletter" } });
      expect(duplicate.status).toBe(409);
      const blank = await call(topicsRoute.POST, "POST", "/api/v1/topics", { token, body: { name: "  " } });
      expect(blank.status).toBe(422);
      expect(blank.json.error.details[0].path).toBe("name");
      const unknown = await call(topicsRoute.POST, "POST", "/api/v1/topics", { token, body: { name: "X", colour: "red" } });
      expect(unknown.status).toBe(422);
      const broken = await call(topicsRoute.POST, "POST", "/api/v1/topics", { token, raw: "{nope" });
      expect(broken.status).toBe(400);

      const list = await call(topicsRoute.GET, "GET", "/api/v1/topics", { token });
      expect(list.json.topics.map((topic: { name: string }) => topic.name)).toEqual(["Newsletter", "Beta"]);
      const renamed = await call(topicRoute.PATCH, "PATCH", `/api/v1/topics/${id}`, { token, params: { id }, body: { name: "Monthly news", default_subscribed: false } });
      expect(renamed.status).toBe(200);
      expect(renamed.json.topic).toMatchObject({ name: "Monthly news", default_subscribed: false, description: "Once a month" });
      expect((await call(topicRoute.PATCH, "PATCH", `/api/v1/topics/${id}`, { token, params: { id }, body: { name: "Beta" } })).status).toBe(409);
      expect((await call(topicRoute.GET, "GET", `/api/v1/topics/${id}`, { token, params: { id } })).json.topic.name).toBe("Monthly news");

      // Another workspace's key sees none of it.
      const other = await workspaceWithKey();
      expect((await call(topicRoute.GET, "GET", `/api/v1/topics/${id}`, { token: other.token, params: { id } })).status).toBe(404);
      expect((await call(topicRoute.DELETE, "DELETE", `/api/v1/topics/${id}`, { token: other.token, params: { id } })).status).toBe(404);
      expect((await call(topicRoute.GET, "GET", "/api/v1/topics/not-a-uuid", { token, params: { id: "not-a-uuid" } })).status).toBe(404);

      expect((await call(topicRoute.DELETE, "DELETE", `/api/v1/topics/${id}`, { token, params: { id } })).status).toBe(200);
      expect((await call(topicRoute.GET, "GET", `/api/v1/topics/${id}`, { token, params: { id } })).status).toBe(404);
      expect((await call(topicsRoute.GET, "GET", "/api/v1/topics", { token })).json.topics).toHaveLength(1);
    });

    it("adds addresses (lower-cased, idempotent), searches, pages by cursor and removes them", async () => {
      const { workspace, token } = await workspaceWithKey();
      const email = uniqueEmail("Mixed.Case");
      const added = await call(suppressionsRoute.POST, "POST", "/api/v1/suppressions", { token, body: { channel: "email", address: email.toUpperCase() } });
      expect(added.status).toBe(201);
      expect(added.json.suppression).toMatchObject({ channel: "email", address: email.toLowerCase(), reason: "manual" });
      const again = await call(suppressionsRoute.POST, "POST", "/api/v1/suppressions", { token, body: { channel: "email", address: email, reason: "unsubscribed" } });
      // A weaker reason does not replace a stronger one.
      expect(again.json.suppression.reason).toBe("manual");
      const bounce = await call(suppressionsRoute.POST, "POST", "/api/v1/suppressions", { token, body: { channel: "email", address: email, reason: "hard_bounce" } });
      expect(bounce.json.suppression.reason).toBe("hard_bounce");

      const [contact] = await db.insert(contacts).values({ workspaceId: workspace.id, email }).returning();
      expect(await checkEligibility(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", kind: "transactional", topicId: null, address: email })).toEqual({
        ok: false,
        reason: "suppressed:hard_bounce",
      });

      for (let index = 0; index < 5; index++) {
        await call(suppressionsRoute.POST, "POST", "/api/v1/suppressions", { token, body: { channel: "email", address: `page-${index}@list.example` } });
      }
      await call(suppressionsRoute.POST, "POST", "/api/v1/suppressions", { token, body: { channel: "sms", address: "+86 138 0013 8000" } });

      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await call(suppressionsRoute.GET, "GET", "/api/v1/suppressions", { token, query: { limit: 3, ...(cursor ? { cursor } : {}) } });
        expect(page.status).toBe(200);
        seen.push(...page.json.suppressions.map((row: { channel: string; address: string }) => `${row.channel}:${row.address}`));
        cursor = page.json.next_cursor ?? undefined;
        if (!cursor) break;
      }
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      expect(seen).toContain("sms:+8613800138000");

      const search = await call(suppressionsRoute.GET, "GET", "/api/v1/suppressions", { token, query: { q: "PAGE-3" } });
      expect(search.json.suppressions.map((row: { address: string }) => row.address)).toEqual(["page-3@list.example"]);
      const smsOnly = await call(suppressionsRoute.GET, "GET", "/api/v1/suppressions", { token, query: { channel: "sms" } });
      expect(smsOnly.json.suppressions).toHaveLength(1);

      const removed = await call(suppressionRoute.DELETE, "DELETE", `/api/v1/suppressions/email/${encodeURIComponent(email.toUpperCase())}`, {
        token,
        params: { channel: "email", address: encodeURIComponent(email.toUpperCase()) },
      });
      expect(removed.status).toBe(200);
      expect(await checkEligibility(db, { workspaceId: workspace.id, contactId: contact.id, channel: "email", kind: "marketing", topicId: null, address: email })).toEqual({ ok: true });
      const gone = await call(suppressionRoute.DELETE, "DELETE", `/api/v1/suppressions/email/x`, { token, params: { channel: "email", address: email } });
      expect(gone.status).toBe(404);
      const badChannel = await call(suppressionRoute.DELETE, "DELETE", `/api/v1/suppressions/fax/x`, { token, params: { channel: "fax", address: email } });
      expect(badChannel.status).toBe(400);

      // Another workspace's list is its own.
      const other = await workspaceWithKey();
      expect((await call(suppressionsRoute.GET, "GET", "/api/v1/suppressions", { token: other.token })).json.suppressions).toEqual([]);
    });

    it("refuses bad suppression input with a reason", async () => {
      const { token } = await workspaceWithKey();
      const cases: Array<[unknown, string]> = [
        [{ channel: "email", address: "not-an-email" }, "address"],
        [{ channel: "fax", address: "a@b.co" }, "channel"],
        [{ channel: "email", address: "a@b.co", reason: "bored" }, "reason"],
        [{ channel: "sms", address: "call me" }, "address"],
        [{ address: "a@b.co" }, "channel"],
      ];
      for (const [body, path] of cases) {
        const response = await call(suppressionsRoute.POST, "POST", "/api/v1/suppressions", { token, body });
        expect(response.status).toBe(422);
        expect(response.json.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
      }
      const cursor = await call(suppressionsRoute.GET, "GET", "/api/v1/suppressions", { token, query: { cursor: "garbage" } });
      expect(cursor.status).toBe(400);
      const limit = await call(suppressionsRoute.GET, "GET", "/api/v1/suppressions", { token, query: { limit: 100000 } });
      expect(limit.status).toBe(422);
    });
  });
}
