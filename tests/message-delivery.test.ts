import { generateKeyPairSync } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { dkimVerify } from "mailauth/lib/dkim/verify";
import type { Database } from "@/db/client";
import { contacts, messageContents, messageEvents, messages, senderIdentities, suppressions } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { closeSmtpPools } from "@/lib/channels/smtp";
import type { ChannelAdapter } from "@/lib/channels/types";
import { deliverMessage, queueMessage, RetryableSendError, sendTestMessage } from "@/lib/messages/send";
import { saveMessagingSettings } from "@/lib/messages/settings";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";
import { startSmtpCatcher, type SmtpCatcher } from "./helpers/smtp";

describe.each(databaseKinds)("message delivery on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;
  let smtp: SmtpCatcher;

  beforeAll(async () => {
    process.env.APP_URL = "https://mkt.example.test";
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
    smtp = await startSmtpCatcher();
  });

  afterEach(() => {
    smtp.received.length = 0;
    smtp.count = 0;
    smtp.respond = undefined;
    smtp.onReceived = undefined;
  });

  afterAll(async () => {
    closeSmtpPools();
    await smtp?.close();
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  async function workspaceWithSmtp(options: { dkim?: { privateKey: string } } = {}) {
    const { workspace, owner } = await createOwnedWorkspace(database.db);
    await saveMessagingSettings(database.db, workspace.id, {
      smtpUrl: smtp.url,
      postalAddress: "1 Harbour Road, Portsmouth",
      dkim: options.dkim ? { domain: "example.test", selector: "tl1", privateKey: options.dkim.privateKey } : undefined,
    });
    await database.db.insert(senderIdentities).values({ workspaceId: workspace.id, name: "Acme News", email: "news@example.test", isDefault: true });
    return { workspace, owner };
  }

  async function welcomeTemplate(workspaceId: string, kind: "marketing" | "transactional" = "marketing") {
    const input = templateCreateSchema.parse({
      name: `Welcome ${kind}`,
      channel: "email",
      kind,
      format: "code",
      subject: 'Hi {{ contact.first_name | default: "there" }}, your code is {{ data.code }}',
      content: { component: "welcome", props: { ctaUrl: "https://shop.example.test/start?ref=mail", ctaLabel: "Open the shop" } },
    });
    return (await createTemplate(database.db, workspaceId, input)).template;
  }

  async function contact(workspaceId: string, email: string, firstName: string | null = "Ann") {
    const [row] = await database.db.insert(contacts).values({ workspaceId, email, firstName, timezone: "Asia/Shanghai" }).returning();
    return row;
  }

  async function messageRow(workspaceId: string, id: string) {
    const [row] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)));
    return row;
  }

  async function history(workspaceId: string, id: string) {
    const rows = await database.db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.workspaceId, workspaceId), eq(messageEvents.messageId, id)))
      .orderBy(asc(messageEvents.id));
    return rows.map((row) => row.type);
  }

  it("sends a personalised, DKIM-signed marketing email with unsubscribe headers, text part and tracked links", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const { workspace } = await workspaceWithSmtp({ dkim: { privateKey: pem } });
    const template = await welcomeTemplate(workspace.id);
    const ann = await contact(workspace.id, "ann@example.test");

    const { message, created } = await queueMessage(database.db, {
      workspaceId: workspace.id,
      contactId: ann.id,
      templateId: template.id,
      idempotencyKey: `test:${ann.id}`,
      source: "api",
      data: { code: "SPRING-24" },
    });
    expect(created).toBe(true);
    expect(await deliverMessage(database.db, workspace.id, message.id)).toMatchObject({ status: "sent" });

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.envelopeTo).toEqual(["ann@example.test"]);
    expect(mail.parsed.subject).toBe("Hi Ann, your code is SPRING-24");
    expect(mail.parsed.from?.text).toBe('"Acme News" <news@example.test>');
    expect(mail.parsed.messageId).toBe(`<${message.id}@tideline>`);
    // RFC 8058 one-click unsubscribe: an https link and the POST marker.
    const header = (name: string) => mail.parsed.headerLines.find((line) => line.key === name)?.line.replace(/\r?\n\s+/g, " ");
    expect(header("list-unsubscribe")).toMatch(/^List-Unsubscribe: .*<https:\/\/mkt\.example\.test\/u\/[^>]+>/);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    // Both parts, personalised; the footer carries the postal address and the unsubscribe link.
    expect(mail.parsed.html).toContain("Welcome, Ann!");
    expect(mail.parsed.html).toContain("1 Harbour Road, Portsmouth");
    expect(mail.parsed.html).toContain(">Unsubscribe</a>");
    expect(mail.parsed.text).toContain("Welcome, Ann!");
    expect(mail.parsed.html).not.toContain("undefined");
    // The call-to-action goes through a signed click link; the original is kept for the redirect.
    expect(mail.parsed.html).not.toContain('href="https://shop.example.test/start');
    expect(mail.parsed.html).toMatch(/href="https:\/\/mkt\.example\.test\/t\/c\/[^"]+"/);
    expect(mail.parsed.html).toMatch(/src="https:\/\/mkt\.example\.test\/t\/o\/[^"]+\.gif"/);
    const [content] = await database.db.select().from(messageContents).where(eq(messageContents.messageId, message.id));
    expect(content.links.some((link) => link.startsWith("https://shop.example.test/start?ref=mail"))).toBe(true);

    // The DKIM signature verifies against the public key published for tl1._domainkey.example.test.
    const publicDer = publicKey.export({ type: "spki", format: "der" }).toString("base64");
    const verified = await dkimVerify(Buffer.from(mail.raw), {
      resolver: async (name: string) => {
        if (name !== "tl1._domainkey.example.test") throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
        return [[`v=DKIM1; k=rsa; p=${publicDer}`]];
      },
    });
    expect(verified.results[0]?.status?.result).toBe("pass");

    const sent = await messageRow(workspace.id, message.id);
    expect(sent.status).toBe("sent");
    expect(sent.toAddress).toBe("ann@example.test");
    expect(await history(workspace.id, message.id)).toEqual(["queued", "sent"]);
  });

  it("writes the footer in the contact's language", async () => {
    const { workspace } = await workspaceWithSmtp();
    const template = await welcomeTemplate(workspace.id);
    const [li] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "li@example.test", firstName: "李", locale: "zh-CN" }).returning();
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: li.id, templateId: template.id, idempotencyKey: "zh:li", source: "api" });
    await deliverMessage(database.db, workspace.id, message.id);
    expect(smtp.received[0].parsed.html).toContain(">退订</a>");
    expect(smtp.received[0].parsed.html).toContain("Welcome, 李!");
  });

  it("sends once however often the job runs, and a repeated idempotency key is the same message", async () => {
    const { workspace } = await workspaceWithSmtp();
    const template = await welcomeTemplate(workspace.id);
    const ann = await contact(workspace.id, "ann.once@example.test");
    const input = { workspaceId: workspace.id, contactId: ann.id, templateId: template.id, idempotencyKey: "signup:ann", source: "api", data: { code: "A" } };
    const first = await queueMessage(database.db, input);
    const again = await queueMessage(database.db, input);
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);

    await Promise.all([
      deliverMessage(database.db, workspace.id, first.message.id),
      deliverMessage(database.db, workspace.id, first.message.id),
    ]);
    await deliverMessage(database.db, workspace.id, first.message.id);
    expect(smtp.received).toHaveLength(1);
  });

  it("never sends twice when the sender died after handing the message over", async () => {
    const { workspace } = await workspaceWithSmtp();
    const template = await welcomeTemplate(workspace.id);
    const ann = await contact(workspace.id, "ann.crash@example.test");
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: ann.id, templateId: template.id, idempotencyKey: "crash:ann", source: "api" });

    // The SMTP server has the message, then the process "dies" before recording it.
    const crash = (adapter: ChannelAdapter): ChannelAdapter => ({
      name: adapter.name,
      async send(outgoing) {
        await adapter.send(outgoing);
        throw new Error("worker killed");
      },
    });
    await expect(deliverMessage(database.db, workspace.id, message.id, { wrapAdapter: crash })).rejects.toThrow("worker killed");
    expect(smtp.received).toHaveLength(1);
    expect((await messageRow(workspace.id, message.id)).status).toBe("sending");

    // The retry finds it handed over and records it instead of sending it again.
    expect(await deliverMessage(database.db, workspace.id, message.id)).toMatchObject({ status: "sent", reason: "interrupted_after_handover" });
    expect(smtp.received).toHaveLength(1);
  });

  it("hands an SMTP message over once when two attempts race: the loser aborts after 354 and the server gets one copy", async () => {
    const { workspace } = await workspaceWithSmtp();
    const template = await welcomeTemplate(workspace.id);
    const cai = await contact(workspace.id, "cai.race@example.test", "Cai");
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: cai.id, templateId: template.id, idempotencyKey: "race:cai", source: "api" });
    const outcomes = await Promise.all([
      deliverMessage(database.db, workspace.id, message.id),
      deliverMessage(database.db, workspace.id, message.id),
      deliverMessage(database.db, workspace.id, message.id),
    ]);
    // The losers find it claimed (sending, or sent by then) and leave it alone.
    expect(outcomes.every((outcome) => outcome.status === "sent" || outcome.status === "sending")).toBe(true);
    expect(smtp.received).toHaveLength(1);
    const sentEvents = await database.db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.messageId, message.id), eq(messageEvents.type, "sent")));
    expect(sentEvents).toHaveLength(1);
    expect((await messageRow(workspace.id, message.id)).status).toBe("sent");
    // The aborted transactions left the pool usable.
    const { message: next } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: cai.id, templateId: template.id, idempotencyKey: "race:cai:2", source: "api" });
    expect(await deliverMessage(database.db, workspace.id, next.id)).toMatchObject({ status: "sent" });
    expect(smtp.received).toHaveLength(2);
  });

  it("retries a temporary SMTP failure, and a hard bounce fails once and suppresses the address", async () => {
    const { workspace } = await workspaceWithSmtp();
    const template = await welcomeTemplate(workspace.id);
    const bea = await contact(workspace.id, "bea@example.test", "Bea");
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: bea.id, templateId: template.id, idempotencyKey: "retry:bea", source: "api" });

    smtp.respond = (count) => (count === 1 ? { code: 451, message: "Try again later" } : undefined);
    await expect(deliverMessage(database.db, workspace.id, message.id)).rejects.toBeInstanceOf(RetryableSendError);
    expect(await messageRow(workspace.id, message.id)).toMatchObject({ status: "queued", statusReason: expect.stringContaining("451") });
    expect(await deliverMessage(database.db, workspace.id, message.id)).toMatchObject({ status: "sent" });
    expect(smtp.received).toHaveLength(1);
    expect(await history(workspace.id, message.id)).toEqual(["queued", "retry", "sent"]);

    const cy = await contact(workspace.id, "nobody@example.test", "Cy");
    smtp.respond = () => ({ code: 550, message: "No such user" });
    const bounced = await queueMessage(database.db, { workspaceId: workspace.id, contactId: cy.id, templateId: template.id, idempotencyKey: "bounce:cy", source: "api" });
    expect(await deliverMessage(database.db, workspace.id, bounced.message.id)).toMatchObject({ status: "bounced" });
    const [suppressed] = await database.db
      .select()
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, workspace.id), eq(suppressions.address, "nobody@example.test")));
    expect(suppressed.reason).toBe("hard_bounce");

    // The next message to that address is suppressed before it reaches the server, even transactional.
    smtp.respond = undefined;
    const receipt = await welcomeTemplate(workspace.id, "transactional");
    const next = await queueMessage(database.db, { workspaceId: workspace.id, contactId: cy.id, templateId: receipt.id, idempotencyKey: "receipt:cy", source: "api" });
    expect(await deliverMessage(database.db, workspace.id, next.message.id)).toMatchObject({ status: "suppressed", reason: "suppressed:hard_bounce" });
    expect(smtp.received).toHaveLength(1);
  });

  it("gives up after the last try with the reason", async () => {
    const { workspace } = await workspaceWithSmtp();
    const template = await welcomeTemplate(workspace.id);
    const dee = await contact(workspace.id, "dee@example.test", "Dee");
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: dee.id, templateId: template.id, idempotencyKey: "final:dee", source: "api" });
    smtp.respond = () => ({ code: 421, message: "Service not available" });
    expect(await deliverMessage(database.db, workspace.id, message.id, { finalAttempt: true })).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("421"),
    });
  });

  it("defers marketing during the contact's quiet hours and over the frequency cap; transactional mail goes at once", async () => {
    const { workspace } = await workspaceWithSmtp();
    await saveMessagingSettings(database.db, workspace.id, { quietHours: { start: "21:00", end: "08:00" }, frequencyCaps: { email: { count: 1, hours: 24 } } });
    const newsletter = await welcomeTemplate(workspace.id);
    const receipt = await welcomeTemplate(workspace.id, "transactional");
    const ann = await contact(workspace.id, "ann.quiet@example.test"); // Asia/Shanghai, UTC+8

    // 15:30 UTC is 23:30 in Shanghai: quiet until 08:00 local, 00:00 UTC.
    const lateEvening = new Date("2026-12-01T15:30:00Z");
    const marketing = await queueMessage(database.db, { workspaceId: workspace.id, contactId: ann.id, templateId: newsletter.id, idempotencyKey: "quiet:1", source: "api" });
    const deferred = await deliverMessage(database.db, workspace.id, marketing.message.id, { now: lateEvening });
    expect(deferred).toMatchObject({ status: "deferred", reason: "quiet_hours", until: new Date("2026-12-02T00:00:00Z") });
    expect(smtp.received).toHaveLength(0);

    const transactional = await queueMessage(database.db, { workspaceId: workspace.id, contactId: ann.id, templateId: receipt.id, idempotencyKey: "quiet:receipt", source: "api" });
    expect(await deliverMessage(database.db, workspace.id, transactional.message.id, { now: lateEvening })).toMatchObject({ status: "sent" });

    // Morning: the first marketing message goes, a second one waits for the cap's window.
    const morning = new Date("2026-12-02T01:00:00Z");
    expect(await deliverMessage(database.db, workspace.id, marketing.message.id, { now: morning })).toMatchObject({ status: "sent" });
    const second = await queueMessage(database.db, { workspaceId: workspace.id, contactId: ann.id, templateId: newsletter.id, idempotencyKey: "quiet:2", source: "api" });
    const capped = await deliverMessage(database.db, workspace.id, second.message.id, { now: new Date("2026-12-02T02:00:00Z") });
    expect(capped).toMatchObject({ status: "deferred", reason: "frequency_cap" });
    expect(smtp.received).toHaveLength(2);
    expect(await history(workspace.id, marketing.message.id)).toEqual(["queued", "deferred", "sent"]);
  });

  it("sends a test to the member's address with the chosen contact's data, and to the outbox without SMTP", async () => {
    const { workspace, owner } = await workspaceWithSmtp();
    const template = await welcomeTemplate(workspace.id);
    const ann = await contact(workspace.id, "ann.test@example.test");
    const { message } = await sendTestMessage(database.db, { workspaceId: workspace.id, templateId: template.id, contactId: ann.id, to: "me@example.test", userId: owner.id });
    expect(message.status).toBe("sent");
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].envelopeTo).toEqual(["me@example.test"]);
    expect(smtp.received[0].parsed.subject).toBe("[Test] Hi Ann, your code is");

    // Without SMTP (workspace or SMTP_URL), email lands in the outbox with its rendered content.
    const { workspace: plain, owner: plainOwner } = await createOwnedWorkspace(database.db);
    const plainTemplate = await welcomeTemplate(plain.id);
    const outboxed = await sendTestMessage(database.db, { workspaceId: plain.id, templateId: plainTemplate.id, to: "me@example.test", userId: plainOwner.id });
    expect(outboxed.message.status).toBe("sent");
    const [sentEvent] = await database.db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.messageId, outboxed.message.id), eq(messageEvents.type, "sent")));
    expect(sentEvent.details).toMatchObject({ adapter: "outbox" });
    const [content] = await database.db.select().from(messageContents).where(eq(messageContents.messageId, outboxed.message.id));
    expect(content.html).toContain("Welcome, there!");
    expect(smtp.received).toHaveLength(1);
  });
});
