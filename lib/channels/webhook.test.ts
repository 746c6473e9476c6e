import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature, webhookPayload } from "./webhook";

const message = { workspaceId: "w", messageId: "m-1", channel: "webhook" as const, to: "https://hooks.example/x", contactId: "c-1" };

describe("webhook signatures", () => {
  it("signs '<t>.<body>' with HMAC-SHA256, as a receiver recomputes it", () => {
    const header = signWebhookBody("secret", '{"a":1}', 1_700_000_000);
    const expected = createHmac("sha256", "secret").update('1700000000.{"a":1}').digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it("verifies a fresh signature and refuses old, altered or malformed ones", () => {
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhookSignature("secret", signWebhookBody("secret", "{}", now), "{}")).toBe(true);
    expect(verifyWebhookSignature("secret", signWebhookBody("secret", "{}", now - 3600), "{}")).toBe(false);
    expect(verifyWebhookSignature("secret", signWebhookBody("secret", "{}", now), "{ }")).toBe(false);
    expect(verifyWebhookSignature("secret", "t=abc,v1=00", "{}")).toBe(false);
    expect(verifyWebhookSignature("secret", "", "{}")).toBe(false);
  });
});

describe("webhook payload", () => {
  it("posts a rendered JSON object as it is, with Tideline's ids winning over same-named fields", () => {
    expect(webhookPayload({ ...message, text: '{"order":7,"message_id":"spoofed"}' })).toEqual({ order: 7, message_id: "m-1", contact_id: "c-1" });
  });

  it("wraps text that is not a JSON object, and falls back to the message data when there is no text", () => {
    expect(webhookPayload({ ...message, text: "Hello Ada" })).toEqual({ text: "Hello Ada", message_id: "m-1", contact_id: "c-1" });
    expect(webhookPayload({ ...message, text: "[1,2]" })).toEqual({ text: "[1,2]", message_id: "m-1", contact_id: "c-1" });
    expect(webhookPayload({ ...message, contactId: null, data: { plan: "pro" } })).toEqual({ plan: "pro", message_id: "m-1", contact_id: null });
  });
});
