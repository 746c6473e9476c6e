import type { ChannelAdapter, OutgoingMessage, SendResult } from "./types";

// Sends nothing: the pipeline has already stored the rendered message (message_contents), and
// the Outbox page shows it. The default for email until an SMTP server is configured.
export const outboxAdapter: ChannelAdapter = {
  name: "outbox",
  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!message.to) return { status: "skipped", reason: "no_address" };
    return { status: "sent", details: { adapter: "outbox" } };
  },
};
