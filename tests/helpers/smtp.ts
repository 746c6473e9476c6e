import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  envelopeTo: string[];
}

export interface SmtpCatcher {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Messages that reached DATA since the last reset (accepted or refused). */
  count: number;
  /** Decides the reply for each message in turn (1-based count): undefined accepts it. */
  respond?: (count: number, raw: string) => { code: number; message: string } | undefined;
  /** Runs once a message has fully arrived, before the reply (a test can kill the sender here). */
  onReceived?: (mail: ReceivedMail) => Promise<void> | void;
  close(): Promise<void>;
}

/** A real SMTP server on a free localhost port that keeps every message it accepts. */
export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const catcher = { received: [] as ReceivedMail[], count: 0 } as SmtpCatcher;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        catcher.count += 1;
        const answer = catcher.respond?.(catcher.count, raw);
        if (answer) {
          const error = new Error(answer.message) as Error & { responseCode: number };
          error.responseCode = answer.code;
          callback(error);
          return;
        }
        const mail: ReceivedMail = {
          raw,
          parsed: await simpleParser(raw),
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        catcher.received.push(mail);
        await catcher.onReceived?.(mail);
        callback();
      });
    },
  });
  // A sender killed mid-connection resets its socket: that is what some tests do on purpose.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  catcher.port = typeof address === "object" && address ? address.port : 0;
  catcher.url = `smtp://127.0.0.1:${catcher.port}`;
  catcher.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return catcher;
}
