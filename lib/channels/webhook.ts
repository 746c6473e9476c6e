import { createHmac, timingSafeEqual } from "node:crypto";
import type { JsonObject } from "@/db/schema";
import type { ChannelAdapter, OutgoingMessage, SendResult } from "./types";

// The webhook channel: one signed JSON POST per message to the URL the template rendered.
// Receivers verify `X-Tideline-Signature` the way Stripe's are verified: HMAC-SHA256 of
// "<t>.<body>" with the workspace's webhook secret, and refuse old timestamps.

export const signatureHeader = "X-Tideline-Signature";
export const messageIdHeader = "X-Tideline-Message-Id";
const defaultTimeoutMs = 10_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signWebhookBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const digest = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${digest}`;
}

/** For receivers (and tests): true when the header signs this exact body and is at most `toleranceSeconds` old. */
export function verifyWebhookSignature(secret: string, header: string, body: string, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const timestamp = Number(parts.get("t"));
  const given = parts.get("v1");
  if (!Number.isInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest();
  return timingSafeEqual(Buffer.from(given, "hex"), expected);
}

/** The JSON posted: the rendered text when it is a JSON object, else `{ text }` (or the message data), plus Tideline's ids. */
export function webhookPayload(message: OutgoingMessage): JsonObject {
  let base: JsonObject = {};
  const text = message.text?.trim();
  if (text) {
    base = { text: message.text! };
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) base = parsed as JsonObject;
    } catch {
      // Not JSON: sent as text.
    }
  } else if (message.data) {
    base = { ...message.data };
  }
  return { ...base, message_id: message.messageId, contact_id: message.contactId ?? null };
}

function targetUrl(to: string): URL | undefined {
  try {
    const url = new URL(to);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

// 408 and 429 ask to come back later; 5xx is the receiver's trouble; other 4xx will not change.
function classify(status: number, excerpt: string): SendResult {
  const said = excerpt ? `: ${excerpt}` : "";
  if (status >= 200 && status < 300) return { status: "sent", details: { http_status: status } };
  if (status === 408 || status === 429 || status >= 500) return { status: "retryable", reason: `HTTP ${status}${said}` };
  if (status >= 300 && status < 400) return { status: "permanent", reason: `HTTP ${status}: the webhook URL redirects; use the final URL` };
  return { status: "permanent", reason: `HTTP ${status}${said}` };
}

async function excerptOf(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.replace(/\s+/g, " ").trim().slice(0, 200);
  } catch {
    return "";
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string }).name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ""}` : (error as Error).message || "network error";
}

export function webhookAdapter(options: { secret?: string; timeoutMs?: number } = {}): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return {
    name: "webhook",
    async send(message) {
      const url = targetUrl(message.to);
      if (!url) return { status: "permanent", reason: `The webhook URL ${JSON.stringify(message.to)} is not an http(s) URL` };
      const body = JSON.stringify(webhookPayload(message));
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "Tideline-Webhooks/1",
        [messageIdHeader]: message.messageId,
      };
      if (options.secret) headers[signatureHeader] = signWebhookBody(options.secret, body);
      try {
        const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
        if (response.ok) await response.body?.cancel().catch(() => {});
        return classify(response.status, response.ok ? "" : await excerptOf(response));
      } catch (error) {
        return { status: "retryable", reason: networkReason(error, timeoutMs) };
      }
    },
  };
}
