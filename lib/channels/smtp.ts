import { Readable } from "node:stream";
import DKIM from "nodemailer/lib/dkim";
import MailComposer from "nodemailer/lib/mail-composer";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import type { DkimKey } from "@/lib/messages/settings";
import type { ChannelAdapter, OutgoingMessage, SendResult } from "./types";

// Email over SMTP with the hand-over at the last possible moment. The message is composed
// (and DKIM-signed) first; the SMTP transaction runs up to the server's "354 go ahead"; only
// then is the caller's hand-over (the committed queued → sending claim) asked for, and the
// message body with its final "." follows straight after. A worker that dies before the
// claim leaves a message that was never sent and is still queued; one that dies after it
// has already written the whole message to the socket. Connections are pooled per server.

const idleMs = 30_000;

interface PooledConnection {
  connection: SMTPConnection;
  idleTimer?: NodeJS.Timeout;
  broken: boolean;
}

class ConnectionPool {
  private idle: PooledConnection[] = [];
  private open = 0;
  private waiting: Array<() => void> = [];

  constructor(
    private readonly smtpUrl: string,
    private readonly max: number,
  ) {}

  private options(): SMTPConnection.Options {
    const url = new URL(this.smtpUrl);
    return {
      host: url.hostname,
      port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
      secure: url.protocol === "smtps:",
      // Self-hosted relays on a private network often have no certificate for their name.
      tls: { rejectUnauthorized: url.searchParams.get("tls") !== "insecure" },
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    };
  }

  private async connect(): Promise<PooledConnection> {
    const url = new URL(this.smtpUrl);
    const connection = new SMTPConnection(this.options());
    const pooled: PooledConnection = { connection, broken: false };
    const markBroken = () => {
      pooled.broken = true;
      this.idle = this.idle.filter((entry) => entry !== pooled);
    };
    connection.on("error", markBroken);
    connection.on("end", markBroken);
    await new Promise<void>((resolve, reject) => {
      connection.once("error", reject);
      connection.connect(() => {
        connection.removeListener("error", reject);
        resolve();
      });
    });
    // The body and its final "." are separate small writes: without this, Nagle's algorithm
    // and the server's delayed ACK hold each message about 40 ms.
    (connection as unknown as { _socket?: { setNoDelay?: (on: boolean) => void } })._socket?.setNoDelay?.(true);
    if (url.username) {
      await new Promise<void>((resolve, reject) =>
        connection.login({ user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }, (error) => (error ? reject(error) : resolve())),
      );
    }
    return pooled;
  }

  async acquire(): Promise<PooledConnection> {
    for (;;) {
      const reused = this.idle.pop();
      if (reused) {
        clearTimeout(reused.idleTimer);
        if (!reused.broken) return reused;
        this.open--;
        continue;
      }
      if (this.open < this.max) {
        this.open++;
        try {
          return await this.connect();
        } catch (error) {
          this.open--;
          this.wake();
          throw error;
        }
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Back to the pool after a clean send; closed after a failure (its state is unknown). */
  release(pooled: PooledConnection, reusable: boolean): void {
    if (reusable && !pooled.broken) {
      pooled.idleTimer = setTimeout(() => {
        this.idle = this.idle.filter((entry) => entry !== pooled);
        this.open--;
        pooled.connection.quit();
      }, idleMs);
      pooled.idleTimer.unref();
      this.idle.push(pooled);
    } else {
      this.open--;
      pooled.connection.close();
    }
    this.wake();
  }

  private wake() {
    this.waiting.shift()?.();
  }

  close(): void {
    for (const pooled of this.idle) {
      clearTimeout(pooled.idleTimer);
      pooled.connection.close();
    }
    this.idle = [];
    this.open = 0;
  }
}

const pools = new Map<string, ConnectionPool>();

function poolFor(smtpUrl: string): ConnectionPool {
  let pool = pools.get(smtpUrl);
  if (!pool) {
    pool = new ConnectionPool(smtpUrl, Number(process.env.SMTP_MAX_CONNECTIONS || 5));
    pools.set(smtpUrl, pool);
  }
  return pool;
}

/** Closes every pooled connection (tests, worker shutdown). */
export function closeSmtpPools(): void {
  for (const pool of pools.values()) pool.close();
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

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

async function compose(message: OutgoingMessage, dkim?: DkimKey): Promise<{ raw: Buffer; envelope: { from: string; to: string[] } }> {
  const mail = new MailComposer({
    // The Message-ID names the message, so bounces and complaints find it again.
    messageId: `<${message.messageId}@tideline>`,
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: message.subject,
    html: message.html,
    text: message.text,
    headers: message.headers,
  }).compile();
  const envelope = mail.getEnvelope() as { from: string | false; to: string[] };
  let raw = await mail.build();
  if (dkim) raw = await collect(new DKIM({ domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey: dkim.privateKey }).sign(raw));
  return { raw, envelope: { from: envelope.from || "", to: envelope.to } };
}

class HandoverRefused extends Error {}

/**
 * The message body for DATA (the first read comes after "354"): all of it goes to the server at
 * once, then the hand-over is asked for, and the stream ends (nodemailer writes the final ".",
 * which makes the server take the message) as the claim commits. Refused, the stream fails
 * instead and the server drops what it had.
 */
function bodyAfterHandover(raw: Buffer, handover: (atCommit: () => void) => Promise<boolean>): Readable {
  let asked = false;
  let ended = false;
  return new Readable({
    read() {
      if (asked) return;
      asked = true;
      this.push(raw);
      const end = () => {
        if (ended) return;
        ended = true;
        this.push(null);
      };
      handover(end).then(
        (go) => (go ? end() : this.destroy(new HandoverRefused("not handed over"))),
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
}

export function smtpAdapter(options: { smtpUrl: string; dkim?: DkimKey }): ChannelAdapter {
  return {
    name: "smtp",
    handsOverLate: true,
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!message.to) return { status: "skipped", reason: "no_address" };
      const handover = message.handover ?? (async () => true);
      let handedOver = false;
      let handoverError: unknown;
      const { raw, envelope } = await compose(message, options.dkim);
      const pool = poolFor(options.smtpUrl);
      let pooled: PooledConnection;
      try {
        pooled = await pool.acquire();
      } catch (error) {
        return classifySmtpError(error);
      }
      let asking: Promise<boolean> | undefined;
      const body = bodyAfterHandover(raw, (atCommit) => {
        asking = handover(atCommit).then(
          (go) => (handedOver = go),
          (error: unknown) => {
            handoverError = error;
            throw error;
          },
        );
        return asking;
      });
      try {
        const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) =>
          pooled.connection.send(envelope, body, (error, sent) => (error ? reject(error) : resolve(sent))),
        );
        // The server may answer before the database does: the claim's outcome comes first.
        await asking;
        pool.release(pooled, true);
        if (info.rejected.length > 0) return { status: "permanent", reason: `Recipient refused: ${info.response}`, bounce: true };
        return { status: "sent", providerMessageId: `<${message.messageId}@tideline>`, details: { adapter: "smtp", response: info.response } };
      } catch (error) {
        pool.release(pooled, false);
        await asking?.catch(() => undefined);
        // The claim failed (the database): the message stays queued and the job tries again. Before
        // its COMMIT nothing was sent; only a failing COMMIT itself can leave a copy at the server.
        if (handoverError) throw handoverError;
        if (!handedOver && (error as { code?: string }).code === "ESTREAM") return { status: "skipped", reason: "not_handed_over" };
        return classifySmtpError(error);
      }
    },
  };
}
