import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { contacts, messageEvents, messages } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { verifyWebhookSignature, webhookAdapter } from "@/lib/channels/webhook";
import type { OutgoingMessage } from "@/lib/channels/types";
import { deliverMessage, queueMessage, RetryableSendError } from "@/lib/messages/send";
import { saveMessagingSettings } from "@/lib/messages/settings";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A real receiver on a local port: each path answers differently.
async function startReceiver() {
  const received: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  let base = "";
  const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        const path = (request.url ?? "").split("?")[0];
        if (path === "/ok") return response.writeHead(204).end();
        if (path === "/fail") return response.writeHead(500, { "content-type": "text/plain" }).end("database down");
        if (path === "/busy") return response.writeHead(429).end();
        if (path === "/bad") return response.writeHead(400, { "content-type": "application/json" }).end('{"error":"unknown field"}');
        if (path === "/gone") return response.writeHead(410).end();
        if (path === "/moved") return response.writeHead(301, { location: `${base}/ok` }).end();
        hanging.push(response); // /hang: never answers
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    lastTo: (path: string) => received.filter((request) => request.path.split("?")[0] === path).at(-1)!,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("webhook channel against a local HTTP server", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    base = receiver.base;
  });
  afterAll(() => receiver.close());

  function message(path: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
    return {
      workspaceId: "00000000-0000-4000-8000-000000000001",
      messageId: "6f0c3b8e-8d3a-4f53-9a44-1d2f0a7c9b10",
      channel: "webhook",
      to: `${base}${path}`,
      contactId: "2a4e6c80-1b3d-4f5a-8c7e-9d0b1a2c3e4f",
      text: '{"event":"order_shipped","order":{"id":"A-1","total":42}}',
      ...overrides,
    };
  }

  const lastTo = (path: string) => receiver.lastTo(path);

  it("posts the rendered JSON with the message and contact ids, signed so the receiver can verify it", async () => {
    const adapter = webhookAdapter({ secret: "whsec_test_1" });
    expect(await adapter.send(message("/ok"))).toMatchObject({ status: "sent" });
    const request = lastTo("/ok");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["x-tideline-message-id"]).toBe("6f0c3b8e-8d3a-4f53-9a44-1d2f0a7c9b10");
    expect(JSON.parse(request.body)).toEqual({
      event: "order_shipped",
      order: { id: "A-1", total: 42 },
      message_id: "6f0c3b8e-8d3a-4f53-9a44-1d2f0a7c9b10",
      contact_id: "2a4e6c80-1b3d-4f5a-8c7e-9d0b1a2c3e4f",
    });
    const signature = String(request.headers["x-tideline-signature"]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("whsec_test_1", signature, request.body)).toBe(true);
    // Another secret, or a changed body, does not verify.
    expect(verifyWebhookSignature("whsec_other", signature, request.body)).toBe(false);
    expect(verifyWebhookSignature("whsec_test_1", signature, request.body.replace("42", "43"))).toBe(false);
  });

  it("sends text that is not JSON as { text }, and nothing is signed without a secret", async () => {
    expect(await webhookAdapter({}).send(message("/ok", { text: "Your order shipped" }))).toMatchObject({ status: "sent" });
    const request = lastTo("/ok");
    expect(JSON.parse(request.body)).toMatchObject({ text: "Your order shipped", message_id: "6f0c3b8e-8d3a-4f53-9a44-1d2f0a7c9b10" });
    expect(request.headers["x-tideline-signature"]).toBeUndefined();
  });

  it("retries on 5xx and 429, fails once on other 4xx and on redirects", async () => {
    const adapter = webhookAdapter({ secret: "s" });
    const failed = await adapter.send(message("/fail"));
    expect(failed).toEqual({ status: "retryable", reason: expect.stringContaining("500") });
    expect(failed).toEqual({ status: "retryable", reason: expect.stringContaining("database down") });
    expect(await adapter.send(message("/busy"))).toMatchObject({ status: "retryable" });
    expect(await adapter.send(message("/bad"))).toEqual({ status: "permanent", reason: expect.stringContaining("400") });
    expect(await adapter.send(message("/gone"))).toMatchObject({ status: "permanent" });
    expect(await adapter.send(message("/moved"))).toEqual({ status: "permanent", reason: expect.stringContaining("redirect") });
  });

  it("gives up on a receiver that never answers after the timeout, as retryable", async () => {
    const result = await webhookAdapter({ secret: "s", timeoutMs: 300 }).send(message("/hang"));
    expect(result).toEqual({ status: "retryable", reason: expect.stringContaining("300 ms") });
    expect(lastTo("/hang")).toBeDefined();
  });

  it("retries when nothing listens, and refuses a URL that is not http(s) without throwing", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await webhookAdapter({}).send(message("", { to: `http://127.0.0.1:${port}/hook` }));
    expect(refused).toEqual({ status: "retryable", reason: expect.stringContaining("ECONNREFUSED") });
    expect(await webhookAdapter({}).send(message("", { to: "ftp://example.com/x" }))).toMatchObject({ status: "permanent" });
    expect(await webhookAdapter({}).send(message("", { to: "not a url" }))).toMatchObject({ status: "permanent" });
  });
});

describe.each(databaseKinds)("webhook messages through the send pipeline on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  async function setup(path: string) {
    const { workspace } = await createOwnedWorkspace(database.db);
    await saveMessagingSettings(database.db, workspace.id, { webhookSecret: "whsec_pipeline" });
    const [contact] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "ada@example.com", firstName: "Ada" }).returning();
    const { template } = await createTemplate(
      database.db,
      workspace.id,
      templateCreateSchema.parse({
        name: "CRM sync",
        channel: "webhook",
        kind: "transactional",
        content: { url: `${receiver.base}${path}?contact={{ contact.id }}`, text: '{"event":"signup","email":"{{ contact.email }}","name":"{{ contact.first_name }}"}' },
      }),
    );
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: contact.id, templateId: template.id, idempotencyKey: `crm:${contact.id}`, source: "api" });
    return { workspace, contact, message };
  }

  const statusOf = async (workspaceId: string, messageId: string) =>
    (await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId))))[0];

  it("posts the personalised JSON to the rendered URL, signed with the workspace's secret", async () => {
    const { workspace, contact, message } = await setup("/ok");
    expect(await deliverMessage(database.db, workspace.id, message.id)).toMatchObject({ status: "sent" });
    const request = receiver.lastTo("/ok");
    expect(request.path).toBe(`/ok?contact=${contact.id}`);
    expect(JSON.parse(request.body)).toEqual({ event: "signup", email: "ada@example.com", name: "Ada", message_id: message.id, contact_id: contact.id });
    expect(verifyWebhookSignature("whsec_pipeline", String(request.headers["x-tideline-signature"]), request.body)).toBe(true);
    expect((await statusOf(workspace.id, message.id)).status).toBe("sent");
  });

  it("a 500 is retried later and a 400 fails the message once", async () => {
    const failing = await setup("/fail");
    await expect(deliverMessage(database.db, failing.workspace.id, failing.message.id)).rejects.toBeInstanceOf(RetryableSendError);
    expect((await statusOf(failing.workspace.id, failing.message.id)).status).toBe("queued");

    const refused = await setup("/bad");
    expect(await deliverMessage(database.db, refused.workspace.id, refused.message.id)).toMatchObject({ status: "failed" });
    const failed = await statusOf(refused.workspace.id, refused.message.id);
    expect(failed.statusReason).toContain("400");
    const events = await database.db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.workspaceId, refused.workspace.id), eq(messageEvents.messageId, refused.message.id)));
    expect(events.map((event) => event.type)).toEqual(["queued", "failed"]);
  });
});
