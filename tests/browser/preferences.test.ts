import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { contacts, messages } from "@/db/schema";
import { checkEligibility } from "@/lib/messages/eligibility";
import { createTopic } from "@/lib/messages/topics";
import { unsubscribeLinks } from "@/lib/messages/unsubscribe";
import { createOwnedWorkspace } from "../helpers/accounts";
import { appKinds, browserSkipReason, freshAppDatabase, launchChromium, startApp, type AppDatabase, type RunningApp, openAppDatabase, screenshot } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

interface Recipient {
  contactId: string;
  email: string;
  preferences: string;
  oneClick: string;
}

// The preference centre as a recipient meets it: a signed link from an email, no sign-in,
// in the contact's language, saved with a plain form.
describe.skipIf(Boolean(skipReason)).each(appKinds)("preference centre in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let database: AppDatabase;
  let drop: () => Promise<void>;
  let workspaceId = "";
  const topicIds: Record<string, string> = {};
  const recipients: Record<"en" | "zh", Recipient> = {} as never;

  beforeAll(async () => {
    ({ database, drop } = await freshAppDatabase(kind));
    // The links are signed with the instance's key, so they are made in its database before it starts.
    const prepared = await openAppDatabase(database);
    try {
      const { db } = prepared;
      const { workspace } = await createOwnedWorkspace(db, "Harbour Books");
      workspaceId = workspace.id;
      topicIds.news = (await createTopic(db, workspace.id, { name: "Newsletter", description: "New books every month.", default_subscribed: true })).id;
      topicIds.offers = (await createTopic(db, workspace.id, { name: "Offers", description: "Discounts and sales.", default_subscribed: true })).id;
      topicIds.events = (await createTopic(db, workspace.id, { name: "Author events", description: null, default_subscribed: false })).id;
      for (const [key, locale] of [
        ["en", "en-GB"],
        ["zh", "zh-CN"],
      ] as const) {
        const email = `reader-${key}@example.com`;
        const [contact] = await db.insert(contacts).values({ workspaceId: workspace.id, email, locale }).returning();
        const [message] = await db
          .insert(messages)
          .values({ workspaceId: workspace.id, idempotencyKey: `e2e:${key}`, source: "api", contactId: contact.id, channel: "email", kind: "marketing", toAddress: email, status: "sent", sentAt: new Date() })
          .returning();
        const links = await unsubscribeLinks(db, { workspaceId: workspace.id, contactId: contact.id, messageId: message.id, origin: "" });
        recipients[key] = { contactId: contact.id, email, preferences: links.preferences, oneClick: links.oneClick };
      }
    } finally {
      await prepared.close();
    }
    app = await startApp(kind, {}, { database });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await drop?.();
  });

  const shoot = (page: import("playwright-core").Page, name: string) => screenshot(page, `${kind}-${name}`);

  it("shows the topics with the contact's choices, saves an unticked topic and confirms it", async () => {
    const context = await browser.newContext({ locale: "en-US", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}${recipients.en.preferences}`);
    await page.getByRole("heading", { name: "Email preferences" }).waitFor();
    expect(await page.getByText(/r•+@example\.com/).count()).toBeGreaterThan(0);
    expect(await page.getByLabel("Newsletter").isChecked()).toBe(true);
    expect(await page.getByLabel("Offers").isChecked()).toBe(true);
    expect(await page.getByLabel("Author events").isChecked()).toBe(false);
    await shoot(page, "preferences-en");

    await page.getByLabel("Offers").uncheck();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.getByTestId("preferences-saved").waitFor();
    expect(await page.getByTestId("preferences-saved").textContent()).toContain("Preferences saved");
    // The page shows what was stored, not what was typed.
    expect(await page.getByLabel("Offers").isChecked()).toBe(false);
    expect(await page.getByLabel("Newsletter").isChecked()).toBe(true);
    await shoot(page, "preferences-saved-en");
    await context.close();
  });

  it("speaks the contact's language (zh-CN) even to an English browser, and unsubscribes from all", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${app.url}${recipients.zh.preferences}`);
    await page.getByRole("heading", { name: "邮件偏好设置" }).waitFor();
    await page.getByLabel("Newsletter").uncheck();
    await page.getByRole("button", { name: "保存偏好" }).click();
    await page.getByTestId("preferences-saved").waitFor();
    expect(await page.getByTestId("preferences-saved").textContent()).toContain("偏好已保存");
    expect(await page.getByLabel("Newsletter").isChecked()).toBe(false);
    await shoot(page, "preferences-saved-zh");

    await page.getByLabel("退订全部营销邮件").check();
    await page.getByRole("button", { name: "保存偏好" }).click();
    await page.getByText("您已退订全部营销邮件").waitFor();
    expect(await page.getByLabel("退订全部营销邮件").isChecked()).toBe(true);
    await context.close();
  });

  it("a GET of the one-click link asks first; the button unsubscribes", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${app.url}${recipients.en.oneClick}`);
    await page.getByRole("heading", { name: "Unsubscribe?" }).waitFor();
    await shoot(page, "unsubscribe-confirm-en");
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
    await shoot(page, "unsubscribed-en");

    const broken = await page.goto(`${app.url}${recipients.en.preferences}x`);
    expect(broken?.status()).toBe(200);
    await page.getByRole("heading", { name: "This link does not work" }).waitFor();
    await context.close();
  });

  it("left the choices in the database for the send-time checks", async () => {
    await app.stop();
    const reopened = await openAppDatabase(database);
    try {
      const check = (who: Recipient, topicId: string | null, kindOf: "marketing" | "transactional" = "marketing") =>
        checkEligibility(reopened.db, { workspaceId, contactId: who.contactId, channel: "email", kind: kindOf, topicId, address: who.email });
      expect(await check(recipients.zh, topicIds.news)).toEqual({ ok: false, reason: "suppressed:unsubscribed" });
      expect(await check(recipients.zh, null, "transactional")).toEqual({ ok: true });
      expect(await check(recipients.en, null)).toEqual({ ok: false, reason: "suppressed:unsubscribed" });
    } finally {
      await reopened.close();
    }
  });
});

// The admin's side: Settings → Topics and Settings → Suppression list.
describe.skipIf(Boolean(skipReason)).each(appKinds)("topics and suppression settings in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let page: import("playwright-core").Page;
  const owner = { name: "Ada Admin", email: `ada-${kind}@example.com`, password: "owner password 1", workspace: "Settings Test" };

  beforeAll(async () => {
    app = await startApp(kind);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US", viewport: { width: 1300, height: 900 } });
    const { setupThroughUi } = await import("./harness");
    await setupThroughUi(page, app, owner);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const shoot = (name: string) => screenshot(page, `${kind}-${name}`);

  it("adds, edits and deletes a topic, and refuses a duplicate name where it was typed", async () => {
    await page.getByRole("link", { name: "Topics", exact: true }).click();
    await page.getByRole("heading", { name: "No topics yet" }).waitFor();
    await shoot("topics-empty");
    await page.getByRole("button", { name: "Add topic" }).click();
    await page.getByLabel("Name").fill("Newsletter");
    await page.getByLabel("Description").fill("New books every month.");
    await page.getByRole("button", { name: "Create topic" }).click();
    await page.getByTestId("topics").getByText("Newsletter").waitFor();

    await page.getByRole("button", { name: "Add topic" }).click();
    await page.getByLabel("Name").fill("Beta invitations");
    await page.getByLabel("Subscribed unless they opt out").uncheck();
    await page.getByRole("button", { name: "Create topic" }).click();
    await page.locator('[data-topic="Beta invitations"]').getByText("Opt-in").waitFor();
    await shoot("topics");

    await page.getByRole("button", { name: "Add topic" }).click();
    await page.getByLabel("Name").fill("newsletter");
    await page.getByRole("button", { name: "Create topic" }).click();
    await page.getByRole("dialog").getByText("A topic with this name already exists.").waitFor();
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: "Edit Newsletter" }).click();
    await page.getByLabel("Name").fill("Monthly newsletter");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByTestId("topics").getByText("Monthly newsletter").waitFor();

    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Delete Beta invitations" }).click();
    await page.locator('[data-topic="Beta invitations"]').waitFor({ state: "detached" });
    expect(await page.locator("[data-topic]").count()).toBe(1);
  });

  it("suppresses an address, finds it, refuses a bad one, and removes it", async () => {
    await page.getByRole("link", { name: "Suppression list", exact: true }).click();
    await page.getByTestId("suppressions-empty").waitFor();
    const form = page.getByTestId("add-suppression");
    await form.getByLabel("Address").fill("not-an-address");
    // The browser's own check is skipped to see the server's answer.
    await form.evaluate((element) => element.setAttribute("novalidate", ""));
    await form.getByRole("button", { name: "Add to list" }).click();
    await form.getByText("Enter a valid email address.").waitFor();

    await form.getByLabel("Address").fill("Blocked.Person@Example.com");
    await form.getByLabel("Note").fill("Asked by phone");
    await form.getByRole("button", { name: "Add to list" }).click();
    await page.locator('[data-address="blocked.person@example.com"]').waitFor();
    await form.getByLabel("Address").fill("other@example.com");
    await form.getByRole("button", { name: "Add to list" }).click();
    await page.locator('[data-address="other@example.com"]').waitFor();
    await shoot("suppressions");

    await page.getByRole("searchbox").fill("blocked");
    await page.getByRole("searchbox").press("Enter");
    await page.waitForURL(/q=blocked/);
    expect(await page.locator("[data-address]").count()).toBe(1);

    const csv = await page.request.get(`${app.url}/w/settings-test/settings/suppressions/export`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('"blocked.person@example.com","manual","Asked by phone"');

    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Remove blocked.person@example.com" }).click();
    await page.getByRole("heading", { name: "No match" }).waitFor();
  });
});
