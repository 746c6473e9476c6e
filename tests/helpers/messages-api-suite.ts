import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, type Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { contacts } from "@/db/schema";
import * as messagesRoute from "@/app/api/v1/messages/route";
import * as messageRoute from "@/app/api/v1/messages/[id]/route";
import { createTemplate } from "@/lib/messages/templates";
import { deliverMessage } from "@/lib/messages/send";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./accounts";
import { callRoute } from "./route-call";

/** POST/GET /api/v1/messages against the process-wide database the calling file pointed at `kind`. */
export function messagesApiSuite(kind: "embedded" | "postgres") {
  describe(`messages REST API on ${kind}`, () => {
    let db: Db;

    beforeAll(async () => {
      const database = await getDatabase();
      expect(database.kind).toBe(kind);
      db = database.db;
    });
    afterAll(async () => {
      const { getBoss } = await import("@/jobs/boss");
      await (await getBoss()).stop({ graceful: false, wait: true, timeout: 2000 });
      (globalThis as { tidelineBoss?: unknown; tidelineBossReady?: unknown }).tidelineBoss = undefined;
      (globalThis as { tidelineBossReady?: unknown }).tidelineBossReady = undefined;
      const database = await getDatabase();
      await database.close();
      (globalThis as { tidelineDatabase?: unknown }).tidelineDatabase = undefined;
    });

    async function setup() {
      const { workspace } = await createOwnedWorkspace(db);
      const { token } = await createApiKey(db, { workspaceId: workspace.id, kind: "secret", name: "Server" });
      const input = templateCreateSchema.parse({
        name: "Password reset",
        channel: "email",
        kind: "transactional",
        format: "code",
        subject: "Reset your password, {{ contact.first_name | default: 'friend' }}",
        content: { component: "transactional", props: {} },
      });
      const { template } = await createTemplate(db, workspace.id, input);
      const [ann] = await db.insert(contacts).values({ workspaceId: workspace.id, email: "ann@example.test", externalId: "u-1", firstName: "Ann" }).returning();
      return { workspace, token, template, ann };
    }

    it("queues a message for a contact named by external id, once per idempotency key, and shows its history", async () => {
      const { workspace, token, template, ann } = await setup();
      const body = { contact: { external_id: "u-1" }, template: template.id, data: { link: "https://app.example.test/reset" }, idempotency_key: "reset-1" };
      const first = await callRoute(messagesRoute.POST, "POST", "/api/v1/messages", { token, body });
      expect(first.status).toBe(202);
      expect(first.json).toMatchObject({ status: "queued", contact_id: ann.id, template_id: template.id, template_version: 1, kind: "transactional" });

      const again = await callRoute(messagesRoute.POST, "POST", "/api/v1/messages", { token, body });
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(first.json.id);

      await deliverMessage(db, workspace.id, first.json.id);
      const shown = await callRoute(messageRoute.GET, "GET", `/api/v1/messages/${first.json.id}`, { token, params: { id: first.json.id } });
      expect(shown.status).toBe(200);
      expect(shown.json).toMatchObject({ status: "sent", to: "ann@example.test", subject: "Reset your password, Ann" });
      expect(shown.json.history.map((event: { type: string }) => event.type)).toEqual(["queued", "sent"]);
    });

    it("refuses what it cannot send, with the reason", async () => {
      const { token, template } = await setup();
      const unauthenticated = await callRoute(messagesRoute.POST, "POST", "/api/v1/messages", { body: { template: template.id } });
      expect(unauthenticated.status).toBe(401);

      const noContact = await callRoute(messagesRoute.POST, "POST", "/api/v1/messages", { token, body: { template: template.id } });
      expect(noContact.status).toBe(422);
      expect(JSON.stringify(noContact.json.error)).toContain("contact");

      const unknownContact = await callRoute(messagesRoute.POST, "POST", "/api/v1/messages", { token, body: { template: template.id, contact: { email: "nobody@example.test" } } });
      expect(unknownContact.status).toBe(404);

      const wrongChannel = await callRoute(messagesRoute.POST, "POST", "/api/v1/messages", { token, body: { template: template.id, contact: { external_id: "u-1" }, channel: "sms" } });
      expect(wrongChannel.status).toBe(422);
      expect(wrongChannel.json.error.message).toContain("is for email");

      const otherWorkspace = await setup();
      const foreignTemplate = await callRoute(messagesRoute.POST, "POST", "/api/v1/messages", { token, body: { template: otherWorkspace.template.id, contact: { external_id: "u-1" } } });
      expect(foreignTemplate.status).toBe(404);

      const missing = await callRoute(messageRoute.GET, "GET", "/api/v1/messages/x", { token, params: { id: "00000000-0000-4000-8000-000000000000" } });
      expect(missing.status).toBe(404);
    });
  });
}
