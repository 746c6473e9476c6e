import type { Db } from "@/db/client";
import type { Channel } from "@/db/schema";
import type { ResolvedMessagingSettings } from "@/lib/messages/settings";
import { inboxAdapter } from "./inbox";
import { outboxAdapter } from "./outbox";
import { smtpAdapter } from "./smtp";
import type { ChannelAdapter } from "./types";
import { webhookAdapter } from "./webhook";

function unavailable(channel: Channel): ChannelAdapter {
  return {
    name: channel,
    async send() {
      return { status: "permanent", reason: `No ${channel} provider is configured for this workspace.` };
    },
  };
}

/** The adapter that carries a channel for a workspace: email goes to the outbox until SMTP is set. */
export function adapterFor(db: Db, channel: Channel, settings: ResolvedMessagingSettings): ChannelAdapter {
  switch (channel) {
    case "email":
      return settings.smtpUrl ? smtpAdapter({ smtpUrl: settings.smtpUrl, dkim: settings.dkim }) : outboxAdapter;
    case "inbox":
      return inboxAdapter(db);
    case "webhook":
      return webhookAdapter({ secret: settings.webhookSecret });
    default:
      return unavailable(channel);
  }
}
