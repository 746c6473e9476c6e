import type { Channel, JsonObject } from "@/db/schema";

/** One rendered message for one recipient, as an adapter receives it. */
export interface OutgoingMessage {
  workspaceId: string;
  messageId: string;
  channel: Channel;
  /** Email address, phone number, WeChat openid, contact id (inbox) or URL (webhook). */
  to: string;
  contactId?: string | null;
  from?: string;
  replyTo?: string;
  subject?: string;
  html?: string;
  text?: string;
  /** Extra headers (List-Unsubscribe, …) for channels that have them. */
  headers?: Record<string, string>;
  /** Structured payload for channels that post JSON (webhook, inbox url, WeChat template data). */
  data?: JsonObject;
  /**
   * Commits the message as handed over (queued → sending). An adapter with `handsOverLate`
   * calls it at the last moment before the message becomes irrevocable and must not send when
   * it resolves false; for the others the pipeline calls it before `send`. `atCommit` runs in
   * the same turn of the event loop as the claim's COMMIT goes to the database, so the one
   * write that makes a message irrevocable (SMTP's final ".") leaves the process with it.
   */
  handover?: (atCommit?: () => void) => Promise<boolean>;
}

// An adapter never throws for a provider's answer: it says what happened. `retryable` is
// tried again with backoff; `permanent` fails the message once (`bounce` also suppresses the
// address); `skipped` means the adapter chose not to send (no address, channel off).
export type SendResult =
  | { status: "sent"; providerMessageId?: string; details?: JsonObject }
  | { status: "retryable"; reason: string }
  | { status: "permanent"; reason: string; bounce?: boolean }
  | { status: "skipped"; reason: string };

export interface ChannelAdapter {
  /** outbox, smtp, inbox, webhook, sms:…, wechat. Recorded on the message's `sent` event. */
  name: string;
  /** The adapter calls `message.handover` itself, as late as its protocol allows (SMTP: after "354"). */
  handsOverLate?: boolean;
  send(message: OutgoingMessage): Promise<SendResult>;
}
