import nodemailer, { type Transporter } from "nodemailer";
import type { DkimKey } from "@/lib/messages/settings";
import type { ChannelAdapter, OutgoingMessage, SendResult } from "./types";

// One pooled transport per SMTP server and DKIM key, kept for the life of the process, so a
// broadcast reuses connections instead of opening one per message.
const pools = new Map<string, Transporter>();

function transportFor(smtpUrl: string, dkim?: DkimKey): Transporter {
  const key = `${smtpUrl}\u0000${dkim?.domainName ?? ""}\u0000${dkim?.keySelector ?? ""}\u0000${dkim?.privateKey ?? ""}`;
  let transport = pools.get(key);
  if (!transport) {
    const url = new URL(smtpUrl);
    transport = nodemailer.createTransport({
      pool: true,
      maxConnections: Number(process.env.SMTP_MAX_CONNECTIONS || 5),
      host: url.hostname,
      port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
      secure: url.protocol === "smtps:",
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      // Self-hosted relays on a private network often have no certificate for their name.
      tls: { rejectUnauthorized: url.searchParams.get("tls") !== "insecure" },
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
      dkim: dkim ? { domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey: dkim.privateKey } : undefined,
    });
    pools.set(key, transport);
  }
  return transport;
}

/** Closes every pooled connection (tests, worker shutdown). */
export function closeSmtpPools(): void {
  for (const transport of pools.values()) transport.close();
  pools.clear();
}

/** What an SMTP failure means for the message: 4xx and network trouble retry, 5xx fail (and 55x bounce). */
export function classifySmtpError(error: unknown): SendResult {
  const failure = error as { responseCode?: number; code?: string; response?: string; message?: string };
  const reason = failure.response || failure.message || String(error);
  const status = failure.responseCode;
  if (typeof status === "number" && status >= 500) {
    // 550/551/553: the mailbox does not exist or is not accepted: a hard bounce.
    return { status: "permanent", reason: `SMTP ${status}: ${reason}`, bounce: [550, 551, 553].includes(status) };
  }
  if (typeof status === "number") return { status: "retryable", reason: `SMTP ${status}: ${reason}` };
  // nodemailer's own refusals of the message itself; anything else (refused, reset, timed out) may pass later.
  if (failure.code === "EENVELOPE" || failure.code === "EMESSAGE") return { status: "permanent", reason };
  return { status: "retryable", reason: failure.code ? `${failure.code}: ${reason}` : reason };
}

export function smtpAdapter(options: { smtpUrl: string; dkim?: DkimKey }): ChannelAdapter {
  return {
    name: "smtp",
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!message.to) return { status: "skipped", reason: "no_address" };
      try {
        const info = await transportFor(options.smtpUrl, options.dkim).sendMail({
          // The Message-ID names the message, so bounces and complaints find it again.
          messageId: `<${message.messageId}@tideline>`,
          from: message.from,
          to: message.to,
          replyTo: message.replyTo,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: message.headers,
        });
        if (info.rejected.length > 0) return { status: "permanent", reason: `Recipient refused: ${info.response}`, bounce: true };
        return { status: "sent", providerMessageId: info.messageId, details: { adapter: "smtp", response: info.response } };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
  };
}
