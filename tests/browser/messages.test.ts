import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { type Database } from "@/db/client";
import { contactConsents, contacts, messageContents, messageEvents, messages, suppressions, topics, topicSubscriptions } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { deliverMessage, queueMessage } from "@/lib/messages/send";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createWorkspace, ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { startSmtpCatcher, type SmtpCatcher } from "../helpers/smtp";
import { appKinds, browserSkipReason, freshAppDatabase, launchChromium, startApp, type RunningApp, openAppDatabase, screenshot, until } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

interface Seeded {
  slug: string;
  emptySlug: string;
  annId: string;
  bobId: string;
  outboxMessageId: string;
  bouncedMessageId: string;
  openedMessageId: string;
}

// The workspace, contacts and messages, written before the server starts (the embedded data
// directory opens in one process at a time). One email goes through the real pipeline with no
// SMTP server, so it lands in the outbox; the others are inserted as the pipeline would leave them.
async function seed(database: Database, owner: { email: string; password: string }): Promise<Seeded> {
  const boss = await createBoss(database, { maintenance: false });
  await ensureQueues(boss, jobs);
  setBoss(boss);
  try {
    const { workspace, user } = await ensureOwnerWorkspace(database.db, { ...owner, workspaceName: "Messages Test", timezone: "Europe/London" });
    const empty = await createWorkspace(database.db, { name: "Quiet Shop", ownerId: user.id });
    const [ann, bob] = await database.db
      .insert(contacts)
      .values([
        { workspaceId: workspace.id, email: "ann@example.test", firstName: "Ann", lastName: "Lee", timezone: "Asia/Shanghai" },
        { workspaceId: workspace.id, email: "bob@example.test", firstName: "Bob" },
      ])
      .returning();
    const { template } = await createTemplate(
      database.db,
      workspace.id,
      templateCreateSchema.parse({
        name: "Welcome",
        channel: "email",
        kind: "transactional",
        format: "code",
        subject: 'Welcome aboard, {{ contact.first_name | default: "there" }}',
        content: { component: "welcome", props: { ctaUrl: "https://shop.example.test/start", ctaLabel: "Open the shop" } },
      }),
    );
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: ann.id, templateId: template.id, idempotencyKey: "browser:ann", source: "api" });
    const outcome = await deliverMessage(database.db, workspace.id, message.id);
    if (outcome.status !== "sent") throw new Error(`the outbox send did not go out: ${JSON.stringify(outcome)}`);

    const earlier = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const [bounced, opened] = await database.db
      .insert(messages)
      .values([
        {
          workspaceId: workspace.id,
          idempotencyKey: "browser:bob:bounce",
          source: "journey",
          sourceId: "onboarding",
          contactId: bob.id,
          channel: "email",
          kind: "marketing",
          templateId: template.id,
          templateVersion: 1,
          toAddress: "bob@example.test",
          subject: "Spring offers",
          status: "bounced",
          statusReason: "550 5.1.1 mailbox unavailable",
          createdAt: earlier(90),
        },
        {
          workspaceId: workspace.id,
          idempotencyKey: "browser:ann:news",
          source: "broadcast",
          contactId: ann.id,
          channel: "email",
          kind: "marketing",
          templateId: template.id,
          templateVersion: 1,
          toAddress: "ann@example.test",
          subject: "March newsletter",
          status: "opened",
          createdAt: earlier(60),
        },
      ])
      .returning();
    await database.db.insert(messageContents).values({
      workspaceId: workspace.id,
      messageId: opened.id,
      fromAddress: "Acme News <news@acme.test>",
      subject: "March newsletter",
      html: "<h1>March newsletter</h1><p>Hello Ann, here is what is new.</p>",
      text: "March newsletter\n\nHello Ann, here is what is new.",
      headers: { "List-Unsubscribe": "<https://acme.test/u/1>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    await database.db.insert(messageEvents).values([
      { workspaceId: workspace.id, messageId: bounced.id, type: "queued", at: earlier(90) },
      { workspaceId: workspace.id, messageId: bounced.id, type: "sent", details: { adapter: "smtp" }, at: earlier(89) },
      { workspaceId: workspace.id, messageId: bounced.id, type: "bounced", reason: "550 5.1.1 mailbox unavailable", at: earlier(88) },
      { workspaceId: workspace.id, messageId: opened.id, type: "queued", at: earlier(60) },
      { workspaceId: workspace.id, messageId: opened.id, type: "sent", details: { adapter: "smtp" }, at: earlier(59) },
      { workspaceId: workspace.id, messageId: opened.id, type: "opened", bot: true, details: { userAgent: "Mozilla/5.0 (via ggpht.com GoogleImageProxy)" }, at: earlier(58) },
      { workspaceId: workspace.id, messageId: opened.id, type: "opened", at: earlier(30) },
    ]);
    await database.db.insert(suppressions).values({ workspaceId: workspace.id, channel: "email", address: "bob@example.test", reason: "hard_bounce", details: "550 5.1.1" });
    const [newsletter] = await database.db.insert(topics).values({ workspaceId: workspace.id, name: "Newsletter", defaultSubscribed: true }).returning();
    await database.db.insert(topicSubscriptions).values({ workspaceId: workspace.id, contactId: ann.id, topicId: newsletter.id, subscribed: false, source: "preference_centre" });
    await database.db.insert(contactConsents).values([
      { workspaceId: workspace.id, contactId: ann.id, channel: "email", status: "granted", source: "form" },
      { workspaceId: workspace.id, contactId: ann.id, channel: "sms", status: "revoked", source: "api" },
    ]);
    return { slug: workspace.slug, emptySlug: empty.workspace.slug, annId: ann.id, bobId: bob.id, outboxMessageId: message.id, bouncedMessageId: bounced.id, openedMessageId: opened.id };
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
  }
}

describe.skipIf(Boolean(skipReason)).each(appKinds)("messages and sending settings in Chromium on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let seeded: Seeded;
  let smtp: SmtpCatcher;
  const owner = { email: `owner-${kind}@example.test`, password: "owner password 1" };
  const base = () => `${app.url}/w/${seeded.slug}`;

  const shoot = (name: string) => screenshot(page, `messages-${kind}-${name}`);

  beforeAll(async () => {
    delete process.env.SMTP_URL;
    target = await freshAppDatabase(kind);
    const database = await openAppDatabase(target.database);
    try {
      seeded = await seed(database, owner);
    } finally {
      await database.close();
    }
    smtp = await startSmtpCatcher();
    app = await startApp(kind, { SMTP_URL: "", EMAIL_FROM: "Tideline <noreply@tideline.test>" }, { database: target.database });
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US", viewport: { width: 1440, height: 960 } });
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/w\/[^/]+/);
  });

  afterAll(async () => {
    if (process.env.SHOW_APP_LOGS) console.log(app?.logs());
    await browser?.close();
    await app?.stop();
    await smtp?.close();
    await target?.drop();
  });

  it("configures Settings → Sending: SMTP, senders, postal address, DKIM, pacing and tracking", async () => {
    await page.goto(`${base()}/settings/messaging`);
    const smtpForm = page.getByTestId("smtp-form");
    await expect(smtpForm.getByTestId("smtp-current").textContent()).resolves.toContain("email lands in the Outbox");
    await page.getByTestId("postal-missing").waitFor();
    await shoot("settings-empty-en");

    // A bad URL is refused next to its field, and what was typed stays.
    await smtpForm.getByLabel("Server URL").fill("mail.acme.test:587");
    await smtpForm.getByRole("button", { name: "Save server" }).click();
    await smtpForm.getByText("Use a URL like smtp://user:password@smtp.example.com:587").waitFor();
    await expect(smtpForm.getByLabel("Server URL").inputValue()).resolves.toBe("mail.acme.test:587");
    await expect(smtpForm.getByLabel("Server URL").getAttribute("aria-invalid")).resolves.toBe("true");

    await smtpForm.getByLabel("Server URL").fill("smtp://mailer:Sup3rSecret@smtp.acme.test:587");
    await smtpForm.getByRole("button", { name: "Save server" }).click();
    await until(async () => expect(await smtpForm.getByTestId("smtp-current").textContent()).toContain("smtp://mailer:****@smtp.acme.test:587"), "the saved server");
    expect((await page.content()).includes("Sup3rSecret")).toBe(false);
    await page.reload();
    expect((await page.content()).includes("Sup3rSecret")).toBe(false);

    // A real server, and a test email through it to the signed-in admin.
    await page.getByTestId("smtp-form").getByLabel("Replace with another server").fill(smtp.url);
    await page.getByTestId("smtp-form").getByRole("button", { name: "Save server" }).click();
    await until(async () => expect(await page.getByTestId("smtp-current").textContent()).toContain(smtp.url), "the catcher as server");
    await page.getByRole("button", { name: "Send test email" }).click();
    await page.getByTestId("smtp-test").getByText(`Test email sent to ${owner.email}.`).waitFor();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].envelopeTo).toEqual([owner.email]);
    expect(smtp.received[0].parsed.subject).toBe("Tideline test email from Messages Test");
    expect(smtp.received[0].parsed.text).toContain("the SMTP server works");
    // Back to the outbox, so the rest of the test sees email land there.
    await page.getByTestId("smtp-form").getByRole("button", { name: "Clear: use the Outbox" }).click();
    await until(async () => expect(await page.getByTestId("smtp-current").textContent()).toContain("email lands in the Outbox"), "the cleared server");

    // Senders: the first is the default; another can take over.
    const senders = page.getByTestId("section-senders");
    await senders.getByRole("button", { name: "Add sender" }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Acme News");
    await dialog.getByLabel("Email").fill("not-an-email");
    await dialog.getByRole("button", { name: "Add sender" }).click();
    await dialog.getByText("Enter a valid email address.").waitFor();
    await dialog.getByLabel("Email").fill("news@acme.test");
    await dialog.getByRole("button", { name: "Add sender" }).click();
    await dialog.waitFor({ state: "detached" });
    await senders.getByRole("button", { name: "Add sender" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Acme Support");
    await dialog.getByLabel("Email").fill("help@acme.test");
    await dialog.getByLabel("Reply-To (optional)").fill("tickets@acme.test");
    await dialog.getByRole("button", { name: "Add sender" }).click();
    await dialog.waitFor({ state: "detached" });
    const rows = senders.getByTestId("sender-row");
    await until(async () => expect(await rows.count()).toBe(2), "two senders");
    await expect(rows.filter({ hasText: "news@acme.test" }).getByText("Default").isVisible()).resolves.toBe(true);
    await rows.filter({ hasText: "help@acme.test" }).getByRole("button", { name: "Make default" }).click();
    await until(async () => expect(await rows.filter({ hasText: "help@acme.test" }).getByText("Default").isVisible()).toBe(true), "the new default");
    await expect(senders.getByText("Default", { exact: true }).count()).resolves.toBe(1);

    // Postal address: the warning goes once it is set.
    const postal = page.getByTestId("postal-form");
    await postal.getByLabel("Postal address").fill("Acme Ltd, 1 Harbour Street, Portsmouth");
    await postal.getByRole("button", { name: "Save address" }).click();
    await until(async () => expect(await page.getByTestId("postal-missing").count()).toBe(0), "the warning to go");

    // DKIM: the key is write-only; the page shows "key set" and the DNS record to publish.
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString().trim();
    const dkim = page.getByTestId("dkim-form");
    await dkim.getByLabel("Domain").fill("acme.test");
    await dkim.getByLabel("Selector").fill("tl1");
    await dkim.getByLabel("Private key").fill("not a key");
    await dkim.getByRole("button", { name: "Save DKIM" }).click();
    await dkim.getByText("Paste a PEM private key").waitFor();
    await dkim.getByLabel("Private key").fill(pem);
    await dkim.getByRole("button", { name: "Save DKIM" }).click();
    await page.getByTestId("dkim-key-set").waitFor();
    await expect(page.getByTestId("dkim-dns").textContent()).resolves.toContain("tl1._domainkey.acme.test");
    await expect(page.getByTestId("dkim-dns").textContent()).resolves.toContain("v=DKIM1; k=rsa; p=");
    await page.reload();
    const keyLine = pem.split("\n")[3];
    expect((await page.content()).includes(keyLine)).toBe(false);
    expect(await page.getByTestId("dkim-form").getByLabel("Private key").inputValue()).toBe("");

    // Pacing: an incomplete cap is refused on its field; a full one and quiet hours are kept.
    const delivery = page.getByTestId("delivery-form");
    await delivery.getByLabel("Email: messages").fill("3");
    await delivery.getByRole("button", { name: "Save pacing" }).click();
    await delivery.getByText("Fill in both numbers, or neither.").waitFor();
    await delivery.getByLabel("Email: hours").fill("24");
    await delivery.getByLabel("Hold marketing during quiet hours").click();
    await delivery.getByLabel("From").fill("21:30");
    await delivery.getByLabel("Until").fill("07:45");
    await delivery.getByRole("button", { name: "Save pacing" }).click();
    await delivery.getByRole("status").waitFor();

    const tracking = page.getByTestId("tracking-form");
    await tracking.getByLabel("Track clicks").click();
    await tracking.getByLabel("utm_source").fill("tideline");
    await tracking.getByLabel("utm_medium").fill("email");
    await tracking.getByRole("button", { name: "Save tracking" }).click();
    await tracking.getByRole("status").waitFor();

    await page.reload();
    const reloaded = page.getByTestId("delivery-form");
    await expect(reloaded.getByLabel("Email: messages").inputValue()).resolves.toBe("3");
    await expect(reloaded.getByLabel("Email: hours").inputValue()).resolves.toBe("24");
    await expect(reloaded.getByLabel("Hold marketing during quiet hours").getAttribute("aria-checked")).resolves.toBe("true");
    await expect(reloaded.getByLabel("From").inputValue()).resolves.toBe("21:30");
    await expect(page.getByTestId("tracking-form").getByLabel("Track clicks").getAttribute("aria-checked")).resolves.toBe("false");
    await expect(page.getByTestId("tracking-form").getByLabel("Track opens").getAttribute("aria-checked")).resolves.toBe("true");
    await expect(page.getByTestId("tracking-form").getByLabel("utm_source").inputValue()).resolves.toBe("tideline");
    await shoot("settings-en");
  });

  it("lists messages newest first with status counts, and filters them", async () => {
    await page.goto(`${base()}/messages`);
    await shoot("log-first-en");
    const table = page.getByTestId("messages-table");
    const rows = table.getByTestId("message-row");
    await until(async () => expect(await rows.count()).toBe(3), "three messages");
    expect(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-message-id")))).toEqual([
      seeded.outboxMessageId,
      seeded.openedMessageId,
      seeded.bouncedMessageId,
    ]);
    await expect(rows.nth(0).textContent()).resolves.toContain("Welcome aboard, Ann");
    await expect(rows.nth(0).textContent()).resolves.toContain("Welcome · v1");
    await expect(rows.nth(2).getByTestId("status-reason").textContent()).resolves.toBe("550 5.1.1 mailbox unavailable");
    await expect(page.getByTestId("status-total").textContent()).resolves.toBe("3 messages");
    await expect(page.getByTestId("count-bounced").textContent()).resolves.toBe("Bounced1");
    await shoot("log-en");

    // A status badge filters; the contact search narrows by email.
    await page.getByTestId("count-bounced").click();
    await page.waitForURL(/status=bounced/);
    await until(async () => expect(await rows.count()).toBe(1), "the bounced message");
    await expect(rows.first().getAttribute("data-message-id")).resolves.toBe(seeded.bouncedMessageId);

    await page.goto(`${base()}/messages`);
    await page.getByLabel("Contact", { exact: true }).fill("ann@");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/contact=ann/);
    await until(async () => expect(await rows.count()).toBe(2), "Ann's two messages");
    await page.getByLabel("Status", { exact: true }).click();
    await page.getByRole("option", { name: "Opened" }).click();
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=opened/);
    await until(async () => expect(await rows.count()).toBe(1), "Ann's opened message");
    await page.getByLabel("Contact", { exact: true }).fill("nobody@");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByTestId("messages-no-match").waitFor();
    await page.getByRole("link", { name: "Clear filters" }).first().click();
    await until(async () => expect(await rows.count()).toBe(3), "all messages again");
  });

  it("shows a message's rendered content, headers and history, bot opens flagged", async () => {
    await page.goto(`${base()}/messages/${seeded.openedMessageId}`);
    await expect(page.getByTestId("message-subject").textContent()).resolves.toBe("March newsletter");
    const header = page.getByTestId("message-header");
    await expect(header.textContent()).resolves.toContain("Acme News <news@acme.test>");
    await expect(header.textContent()).resolves.toContain("Broadcast");
    await expect(page.getByTestId("template-link").getAttribute("href")).resolves.toMatch(new RegExp(`^/w/${seeded.slug}/templates/[0-9a-f-]{36}\\?version=1$`));
    await expect(page.getByTestId("template-link").textContent()).resolves.toBe("Welcome · version 1");
    const frame = page.frameLocator('[data-testid="message-html"]');
    await frame.getByText("Hello Ann, here is what is new.").waitFor();
    await expect(page.getByTestId("message-html").getAttribute("sandbox")).resolves.toBe("");
    const events = page.getByTestId("timeline-event");
    expect(await events.evaluateAll((elements) => elements.map((element) => element.getAttribute("data-type")))).toEqual(["queued", "sent", "opened", "opened"]);
    await expect(events.nth(2).getByTestId("bot-flag").textContent()).resolves.toBe("bot/proxy");
    await expect(events.nth(3).getByTestId("bot-flag").count()).resolves.toBe(0);
    // Ann lives in Shanghai: her history reads in her zone.
    await expect(page.getByText("Times in the contact's time zone (Asia/Shanghai).").isVisible()).resolves.toBe(true);
    await shoot("detail-en");
    await page.getByRole("tab", { name: "Plain text" }).click();
    await expect(page.getByTestId("message-text").textContent()).resolves.toContain("Hello Ann, here is what is new.");
    await page.getByRole("tab", { name: "Headers" }).click();
    await expect(page.getByTestId("message-headers").textContent()).resolves.toContain("List-Unsubscribe=One-Click");

    await page.goto(`${base()}/messages/${seeded.bouncedMessageId}`);
    await expect(page.getByTestId("no-content").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("message-timeline").textContent()).resolves.toContain("550 5.1.1 mailbox unavailable");
    await expect(page.getByText("Times in the workspace's time zone (Europe/London); the contact's is unknown.").isVisible()).resolves.toBe(true);
  });

  it("browses the Outbox like a mail client, with what the pipeline kept there", async () => {
    await page.goto(`${base()}/messages`);
    await page.getByRole("link", { name: "Outbox" }).last().click();
    await page.waitForURL(/\/messages\/outbox$/);
    await expect(page.getByTestId("outbox-explainer").textContent()).resolves.toContain("No SMTP server is configured");
    await expect(page.getByTestId("outbox-explainer").getByRole("link", { name: "Settings → Sending" }).getAttribute("href")).resolves.toBe(`/w/${seeded.slug}/settings/messaging`);
    const items = page.getByTestId("outbox-item");
    await expect(items.count()).resolves.toBe(1);
    await expect(items.first().textContent()).resolves.toContain("ann@example.test");
    await expect(items.first().getAttribute("aria-current")).resolves.toBe("true");
    await expect(page.getByTestId("outbox-reader").getByTestId("message-subject").textContent()).resolves.toBe("Welcome aboard, Ann");
    await page.frameLocator('[data-testid="message-html"]').getByText("Ann", { exact: false }).first().waitFor();
    await shoot("outbox-en");
    await page.getByRole("link", { name: "Details and history" }).click();
    await page.waitForURL(new RegExp(`/messages/${seeded.outboxMessageId}$`));
    await expect(page.getByTestId("message-header").textContent()).resolves.toContain("outbox");
  });

  it("shows consent, subscriptions, suppression and messages on the contact profile", async () => {
    await page.goto(`${base()}/contacts/${seeded.annId}`);
    const consent = page.getByTestId("consent-card");
    await expect(consent.getByTestId("contact-not-suppressed").isVisible()).resolves.toBe(true);
    const channelStatus = (channel: string) => consent.locator(`[data-channel="${channel}"]`).getByTestId("consent-status").textContent();
    await expect(channelStatus("email")).resolves.toBe("Granted");
    await expect(channelStatus("sms")).resolves.toBe("Revoked");
    await expect(channelStatus("wechat")).resolves.toBe("Not asked");
    await expect(consent.getByTestId("contact-topics").textContent()).resolves.toContain("Preference centre");
    await expect(consent.getByTestId("topic-status").textContent()).resolves.toBe("Not subscribed");
    const recent = page.getByTestId("contact-messages");
    await expect(recent.getByTestId("contact-message-link").count()).resolves.toBe(2);
    await shoot("profile-en");
    await recent.getByRole("link", { name: "All messages" }).click();
    await page.waitForURL(new RegExp(`/messages\\?contact=${seeded.annId}$`));
    await until(async () => expect(await page.getByTestId("message-row").count()).toBe(2), "Ann's messages in the log");

    await page.goto(`${base()}/contacts/${seeded.bobId}`);
    await expect(page.getByTestId("contact-suppressed").textContent()).resolves.toContain("bob@example.test is suppressed: hard bounce");
  });

  it("says what to do next in a workspace that has sent nothing", async () => {
    await page.goto(`${app.url}/w/${seeded.emptySlug}/messages`);
    const empty = page.getByTestId("messages-empty");
    await empty.getByRole("heading", { name: "No messages yet" }).waitFor();
    await expect(empty.getByRole("link", { name: "Create a template" }).getAttribute("href")).resolves.toBe(`/w/${seeded.emptySlug}/templates/new`);
    await shoot("log-empty-en");
    await page.goto(`${app.url}/w/${seeded.emptySlug}/messages/outbox`);
    await page.getByTestId("outbox-empty").getByRole("heading", { name: "The Outbox is empty" }).waitFor();
    // Another workspace's mail never shows here.
    await expect(page.getByTestId("outbox-item").count()).resolves.toBe(0);
    await shoot("outbox-empty-en");
  });

  it("speaks Chinese on every page", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    await page.goto(`${base()}/messages`);
    await page.getByRole("columnheader", { name: "状态" }).waitFor();
    await expect(page.getByTestId("count-bounced").textContent()).resolves.toBe("退信1");
    await shoot("log-zh");
    await page.goto(`${base()}/messages/${seeded.openedMessageId}`);
    await page.getByRole("heading", { name: "状态历史" }).waitFor();
    await expect(page.getByTestId("bot-flag").textContent()).resolves.toBe("机器人/代理");
    await shoot("detail-zh");
    await page.goto(`${base()}/messages/outbox`);
    await expect(page.getByTestId("outbox-explainer").textContent()).resolves.toContain("尚未配置 SMTP 服务器");
    await shoot("outbox-zh");
    await page.goto(`${base()}/settings/messaging`);
    await page.getByRole("heading", { name: "发件人身份" }).waitFor();
    await expect(page.getByTestId("dkim-key-set").textContent()).resolves.toBe("已设置密钥");
    await shoot("settings-zh");
    await page.goto(`${base()}/contacts/${seeded.annId}`);
    await page.getByText("同意与订阅").waitFor();
    await shoot("profile-zh");
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
  });
});
