import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature, webhookAdapter } from "@/lib/channels/webhook";
import type { OutgoingMessage } from "@/lib/channels/types";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A real receiver on a local port: each path answers differently.
describe("webhook channel against a local HTTP server", () => {
  let server: http.Server;
  let base: string;
  const received: Received[] = [];
  const hanging: http.ServerResponse[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        if (request.url === "/ok") return response.writeHead(204).end();
        if (request.url === "/fail") return response.writeHead(500, { "content-type": "text/plain" }).end("database down");
        if (request.url === "/busy") return response.writeHead(429).end();
        if (request.url === "/bad") return response.writeHead(400, { "content-type": "application/json" }).end('{"error":"unknown field"}');
        if (request.url === "/gone") return response.writeHead(410).end();
        if (request.url === "/moved") return response.writeHead(301, { location: `${base}/ok` }).end();
        hanging.push(response); // /hang: never answers
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

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

  const lastTo = (path: string) => received.filter((request) => request.path === path).at(-1)!;

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
