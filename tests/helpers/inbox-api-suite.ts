import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { contacts, messages, suppressions } from "@/db/schema";
import { inboxAdapter } from "@/lib/channels/inbox";
import * as tokenRoute from "@/app/api/v1/contacts/[id]/inbox-token/route";
import * as inboxRoute from "@/app/api/v1/inbox/route";
import * as unreadCountRoute from "@/app/api/v1/inbox/unread-count/route";
import * as readRoute from "@/app/api/v1/inbox/[id]/read/route";
import * as unreadRoute from "@/app/api/v1/inbox/[id]/unread/route";
import * as readAllRoute from "@/app/api/v1/inbox/read-all/route";
import * as feedbackRoute from "@/app/api/v1/webhooks/email/[provider]/route";
import { createOwnedWorkspace } from "./accounts";
import { sesBounce, snsNotification } from "./ses-notifications";
import { callRoute as call, type RouteCall as Call, type RouteHandler as Handler } from "./route-call";

const basic = (user: string, password = "") => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/**
 * The inbox API (token issue, list, read state) and email feedback intake against the
 * process-wide database, which the calling file has pointed at `kind` before anything opened it.
 */
export function inboxApiSuite(kind: "embedded" | "postgres") {
  describe(`inbox and email feedback routes on ${kind}`, () => {
    let db: Db;

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
    });
    afterAll(async () => {
      const database = await getDatabase();
      await database.close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    async function setup() {
      const { workspace, writeKey } = await createOwnedWorkspace(db);
      const { token: secretKey } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      const [ann] = await db.insert(contacts).values({ workspaceId: workspace.id, externalId: "user-ann", email: "ann@example.com" }).returning();
      return { workspace, writeKey: writeKey as string, secretKey, ann };
    }

    async function deliver(workspaceId: string, contactId: string, title: string) {
      const [message] = await db
        .insert(messages)
        .values({ workspaceId, idempotencyKey: `t:${Math.random()}`, source: "test", contactId, channel: "inbox", kind: "marketing", status: "sent" })
        .returning();
      await inboxAdapter(db).send({ workspaceId, messageId: message.id, channel: "inbox", to: contactId, contactId, subject: title, text: "…", data: { url: "https://app.example/n" } });
      return message;
    }

    const issue = (secretKey: string, id: string, init: Call = {}) =>
      call(tokenRoute.POST, "POST", `/api/v1/contacts/${encodeURIComponent(id)}/inbox-token`, {
        ...init,
        params: { id },
        headers: { authorization: `Bearer ${secretKey}`, ...init.headers },
      });

    it("issues a user token server-side by contact id or external id; the app reads and marks the inbox with it", async () => {
      const { workspace, writeKey, secretKey, ann } = await setup();
      for (let index = 1; index <= 3; index++) await deliver(workspace.id, ann.id, `Note ${index}`);

      const byId = await issue(secretKey, ann.id);
      expect(byId.status).toBe(200);
      expect(byId.json).toEqual({ token: expect.any(String), expires_at: expect.any(String), contact_id: ann.id });
      expect(Date.parse(byId.json.expires_at)).toBeGreaterThan(Date.now());
      const byExternal = await issue(secretKey, "_", { query: { external_id: "user-ann" }, body: { expires_in: 600 } });
      expect(byExternal.status).toBe(200);
      expect(byExternal.json.contact_id).toBe(ann.id);
      expect((await issue(secretKey, "external_id:user-ann", { raw: "" })).json.contact_id).toBe(ann.id);
      expect((await issue(secretKey, ann.id, { raw: "{oops" })).status).toBe(400);
      expect((await issue(secretKey, "external_id:nobody")).status).toBe(404);
      expect((await issue(secretKey, ann.id, { body: { expires_in: 5 } })).status).toBe(422);
      // The write key cannot issue tokens: that would let any browser read any inbox.
      expect((await issue(writeKey, ann.id)).status).toBe(401);

      const user = { authorization: basic(writeKey), "x-tideline-user-token": byId.json.token as string };
      const page = await call(inboxRoute.GET, "GET", "/api/v1/inbox", { headers: user, query: { limit: 2 } });
      expect(page.status).toBe(200);
      expect(page.json.data.map((item: { title: string }) => item.title)).toEqual(["Note 3", "Note 2"]);
      expect(page.json.data[0]).toMatchObject({ read: false, read_at: null, url: "https://app.example/n" });
      expect(page.json.unread_count).toBe(3);
      expect(page.headers.get("access-control-allow-origin")).toBe("*");
      const rest = await call(inboxRoute.GET, "GET", "/api/v1/inbox", { headers: user, query: { limit: 2, cursor: page.json.next_cursor } });
      expect(rest.json.data.map((item: { title: string }) => item.title)).toEqual(["Note 1"]);
      expect(rest.json.next_cursor).toBeNull();

      // A browser with no way to set headers: ?writeKey= and ?token=.
      const viaQuery = { writeKey, token: byExternal.json.token as string };
      const read = await call(readRoute.POST, "POST", "/api/v1/inbox/x/read", { query: viaQuery, params: { id: page.json.data[1].id } });
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ id: page.json.data[1].id, read: true, unread_count: 2 });
      const unreadOnly = await call(inboxRoute.GET, "GET", "/api/v1/inbox", { query: { ...viaQuery, unread_only: "true" } });
      expect(unreadOnly.json.data.map((item: { title: string }) => item.title)).toEqual(["Note 3", "Note 1"]);
      const unread = await call(unreadRoute.POST, "POST", "/api/v1/inbox/x/unread", { headers: user, params: { id: page.json.data[1].id } });
      expect(unread.json).toMatchObject({ read: false, unread_count: 3 });
      const count = await call(unreadCountRoute.GET, "GET", "/api/v1/inbox/unread-count", { headers: user });
      expect(count.json).toEqual({ unread_count: 3 });
      const all = await call(readAllRoute.POST, "POST", "/api/v1/inbox/read-all", { headers: user });
      expect(all.json).toEqual({ marked: 3, unread_count: 0 });
      expect((await call(unreadCountRoute.GET, "GET", "/api/v1/inbox/unread-count", { headers: user })).json).toEqual({ unread_count: 0 });

      expect((await call(readRoute.POST, "POST", "/api/v1/inbox/x/read", { headers: user, params: { id: crypto.randomUUID() } })).status).toBe(404);
      expect((await call(inboxRoute.GET, "GET", "/api/v1/inbox", { headers: user, query: { limit: 1000 } })).status).toBe(422);
      expect((await call(inboxRoute.GET, "GET", "/api/v1/inbox", { headers: user, query: { cursor: "zzz" } })).status).toBe(400);
    });

    it("refuses a missing, altered, expired or foreign user token and a bad write key with 401 and the reason", async () => {
      const { workspace, writeKey, secretKey, ann } = await setup();
      const other = await setup();
      await deliver(workspace.id, ann.id, "Private");
      const { token } = (await issue(secretKey, ann.id)).json;
      const foreign = (await issue(other.secretKey, other.ann.id)).json.token as string;
      const list = (headers: Record<string, string>) => call(inboxRoute.GET, "GET", "/api/v1/inbox", { headers });

      const reasons = [
        await list({ authorization: basic(writeKey) }),
        await list({ authorization: basic(writeKey), "x-tideline-user-token": `${token.split(".")[0]}x.${token.split(".")[1]}` }),
        await list({ authorization: basic(writeKey), "x-tideline-user-token": foreign }),
        await list({ authorization: basic(other.writeKey), "x-tideline-user-token": token }),
        await list({ "x-tideline-user-token": token }),
        await list({ authorization: basic("wk_not_a_key"), "x-tideline-user-token": token }),
      ];
      expect(reasons.map((reply) => reply.status)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(reasons.map((reply) => reply.json.error.details.reason)).toEqual([
        "missing",
        "invalid",
        "other_workspace",
        "other_workspace",
        "no_write_key",
        "unknown_write_key",
      ]);
      for (const reply of reasons) expect(reply.headers.get("access-control-allow-origin")).toBe("*");

      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(Date.now() + 2 * 86_400_000);
        const expired = await list({ authorization: basic(writeKey), "x-tideline-user-token": token });
        expect(expired.status).toBe(401);
        expect(expired.json.error.details.reason).toBe("expired");
      } finally {
        vi.useRealTimers();
      }
    });

    it("answers the browser's preflight with the user token header allowed", async () => {
      const preflight = await inboxRoute.OPTIONS();
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("x-tideline-user-token");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    });

    const feedback = (provider: string, init: Call) =>
      call(feedbackRoute.POST as unknown as Handler, "POST", `/api/v1/webhooks/email/${provider}`, { ...init, params: { provider } });

    it("takes bounce notifications with the secret key as Bearer or as the Basic password (the SNS way)", async () => {
      const { workspace, writeKey, secretKey } = await setup();
      const [sent] = await db
        .insert(messages)
        .values({ workspaceId: workspace.id, idempotencyKey: "k1", source: "test", channel: "email", kind: "marketing", toAddress: "gone@example.com", status: "sent" })
        .returning();

      const generic = await feedback("generic", {
        headers: { authorization: `Bearer ${secretKey}` },
        body: { type: "bounce", email: "gone@example.com", bounce_type: "hard", reason: "550 user unknown" },
      });
      expect(generic.status).toBe(200);
      expect(generic.json).toMatchObject({ received: 1, recorded: 1, duplicates: 0, unmatched: 0 });
      const [message] = await db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.id, sent.id)));
      expect(message.status).toBe("bounced");

      // SNS posts JSON as text/plain.
      const sns = snsNotification(sesBounce({ messageId: sent.id, email: "gone@example.com", bounceType: "Permanent" }));
      const viaSns = await feedback("ses", { headers: { authorization: basic("sns", secretKey), "content-type": "text/plain; charset=UTF-8" }, body: sns });
      expect(viaSns.status).toBe(200);
      expect(viaSns.json).toMatchObject({ received: 1, recorded: 1 });
      const again = await feedback("ses", { headers: { authorization: basic("sns", secretKey), "content-type": "text/plain; charset=UTF-8" }, body: sns });
      expect(again.json).toMatchObject({ received: 1, recorded: 0, duplicates: 1 });
      const suppressed = await db.select().from(suppressions).where(eq(suppressions.workspaceId, workspace.id));
      expect(suppressed.map((row) => [row.address, row.reason])).toEqual([["gone@example.com", "hard_bounce"]]);

      // No credentials: a 401 with a Basic challenge, which is what makes SNS send the ones in its URL.
      const challenged = await feedback("generic", { body: { type: "bounce", email: "a@example.com" } });
      expect(challenged.status).toBe(401);
      expect(challenged.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      expect((await feedback("generic", { headers: { authorization: `Bearer ${writeKey}` }, body: { type: "bounce", email: "a@example.com" } })).status).toBe(401);
      expect((await feedback("generic", { headers: { authorization: basic(secretKey) }, body: { type: "bounce", email: "a@example.com" } })).status).toBe(401);
    });

    it("returns the SNS subscription URL to confirm, 404 for an unknown provider, 400/422 for bad payloads", async () => {
      const { workspace, secretKey } = await setup();
      const auth = { authorization: `Bearer ${secretKey}` };
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const url = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:1:t&Token=abc";
        const confirmation = await feedback("ses", { headers: auth, body: { Type: "SubscriptionConfirmation", MessageId: "m1", Token: "abc", SubscribeURL: url } });
        expect(confirmation.status).toBe(200);
        expect(confirmation.json).toMatchObject({ subscription: "pending_confirmation", subscribe_url: url });
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(url));
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(workspace.slug));
      } finally {
        warn.mockRestore();
      }
      const unknown = await feedback("sendgrid", { headers: auth, body: {} });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.message).toContain("sendgrid");
      expect((await feedback("generic", { headers: auth, raw: "{not json" })).status).toBe(400);
      const invalid = await feedback("generic", { headers: auth, body: [{ type: "bounce", email: "not-an-email" }] });
      expect(invalid.status).toBe(422);
      expect(invalid.json.error.message).toContain("0.email");
      expect((await feedback("ses", { headers: auth, body: { Type: "Notification", Message: "{}" } })).status).toBe(422);
    });

    it("stops a revoked secret key", async () => {
      const { workspace } = await setup();
      const { key, token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Old" });
      await revokeApiKey(db, { workspaceId: workspace.id, keyId: key.id });
      const reply = await feedback("generic", { headers: { authorization: `Bearer ${token}` }, body: { type: "bounce", email: "a@example.com" } });
      expect(reply.status).toBe(401);
      expect(reply.json.error.message).toContain("revoked");
    });
  });
}
