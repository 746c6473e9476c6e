import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { appKinds, browserSkipReason, launchChromium, setupThroughUi, startApp, type RunningApp, sleep, until } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason)).each(appKinds)("contacts in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let viewerContext: BrowserContext | undefined;
  let writeKey = "";
  let adaUrl = "";
  const owner = { name: "Cora Owner", email: `cora-${kind}@example.com`, password: "owner password 1", workspace: "Contacts Test" };
  const list = () => `${app.url}/w/contacts-test/contacts`;
  const rows = () => page.getByTestId("contacts-table").locator("tbody tr");
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

  async function send(batch: object[]) {
    const response = await fetch(`${app.url}/api/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` },
      body: JSON.stringify({ batch }),
    });
    expect(response.status).toBe(200);
  }

  /** Reloads the list (with a query) until it shows `count` rows. */
  async function listShows(count: number, query = "") {
    await until(async () => {
      await page.goto(`${list()}${query}`);
      expect(await rows().count()).toBe(count);
    }, `${count} rows at ${query || "the list"}`);
  }

  beforeAll(async () => {
    app = await startApp(kind);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US", acceptDownloads: true });
    await setupThroughUi(page, app, owner);
    writeKey = (await page.getByTestId("write-key").textContent())?.trim() ?? "";
  });

  afterAll(async () => {
    await viewerContext?.close();
    await browser?.close();
    await app?.stop();
  });

  it("explains where contacts come from while there are none", async () => {
    await page.getByRole("link", { name: "Contacts", exact: true }).click();
    await page.waitForURL(/\/contacts$/);
    await page.getByRole("heading", { name: "No contacts yet" }).waitFor();
    await expect(page.getByText("Tracking snippet").isVisible()).resolves.toBe(true);
    await expect(page.getByRole("link", { name: "Settings → API keys" }).getAttribute("href")).resolves.toBe("/w/contacts-test/settings/keys");
  });

  it("lists the contacts that tracking calls create, anonymous visitors included", async () => {
    expect(writeKey).toMatch(/^wk_/);
    await send([
      {
        type: "identify",
        userId: "u-ada",
        traits: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", plan: "pro", seats: 12 },
        timestamp: at(30),
      },
      { type: "track", userId: "u-ada", event: "Order Completed", properties: { amount: 42, sku: "T-1000" }, timestamp: at(20) },
      { type: "page", userId: "u-ada", name: "Pricing", properties: { path: "/pricing" }, timestamp: at(10) },
      { type: "identify", userId: "u-grace", traits: { email: "grace@example.com", name: "Grace Hopper", plan: "free" }, timestamp: at(29) },
      { type: "track", anonymousId: "anon-1", event: "Viewed Docs", timestamp: at(28) },
    ]);
    await listShows(3);
    const table = page.getByTestId("contacts-table");
    await table.getByRole("link", { name: "Ada Lovelace" }).waitFor();
    await expect(table.getByText("grace@example.com").isVisible()).resolves.toBe(true);
    await expect(table.getByText("u-grace").isVisible()).resolves.toBe(true);
    await expect(table.getByText("Anonymous visitor").isVisible()).resolves.toBe(true);
  });

  it("narrows the list by a name or email prefix and by an exact external id", async () => {
    await page.getByLabel("Search contacts").fill("ada");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=ada/);
    await expect.poll(() => rows().count()).toBe(1);
    await expect(rows().first().textContent()).resolves.toContain("Ada Lovelace");

    await page.getByLabel("Search contacts").fill("u-grace");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=u-grace/);
    await expect.poll(() => rows().count()).toBe(1);
    await expect(rows().first().textContent()).resolves.toContain("Grace Hopper");

    await page.getByLabel("Search contacts").fill("nobody-here");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByText("No contact matches “nobody-here”.").waitFor();
    await page.getByRole("link", { name: "Clear the search" }).click();
    await expect.poll(() => rows().count()).toBe(3);
  });

  it("adds a tag to two selected contacts, then filters the list by it", async () => {
    await page.getByRole("checkbox", { name: "Select Ada Lovelace" }).click();
    await page.getByRole("checkbox", { name: "Select Grace Hopper" }).click();
    await page.getByTestId("bulk-tag-bar").getByText("2 selected").waitFor();
    await page.getByTestId("bulk-tag-bar").getByRole("textbox").fill("vip");
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByText("Added “vip” to 2 contacts.").waitFor();
    await expect.poll(() => page.getByTestId("contacts-table").getByRole("link", { name: "vip" }).count()).toBe(2);

    // A tag badge is a link to the filtered list, which can be shared.
    await page.getByTestId("contacts-table").getByRole("link", { name: "vip" }).first().click();
    await page.waitForURL(/\?tag=vip$/);
    await expect.poll(() => rows().count()).toBe(2);
    await expect(page.getByTestId("contacts-table").textContent()).resolves.not.toContain("Anonymous visitor");

    await page.getByRole("checkbox", { name: "Select all contacts on this page" }).click();
    await page.getByTestId("bulk-tag-bar").getByText("2 selected").waitFor();
    await page.getByTestId("bulk-tag-bar").getByRole("textbox").fill("vip");
    await page.getByRole("button", { name: "Remove tag" }).click();
    await page.getByText("Removed “vip” from 2 contacts.").waitFor();
    await page.reload();
    await page.getByText("No contact has the tag “vip”.").waitFor();
  });

  it("pages through the list 50 at a time", async () => {
    const batch = Array.from({ length: 60 }, (_, index) => ({
      type: "identify",
      userId: `bulk-${String(index).padStart(2, "0")}`,
      traits: { email: `bulk-${String(index).padStart(2, "0")}@example.com` },
      timestamp: at(120 + index),
    }));
    await send(batch);
    await until(async () => {
      await page.goto(list());
      expect(await rows().count()).toBe(50);
      await page.getByRole("link", { name: "Next page" }).click();
      await page.waitForURL(/cursor=/);
      expect(await rows().count()).toBe(13);
    }, "a second page with the last 13 contacts");
    // Newest first: the oldest bulk contacts end the second page.
    await expect(rows().last().textContent()).resolves.toContain("bulk-59@example.com");
    await expect(page.getByRole("button", { name: "Next page" }).isDisabled()).resolves.toBe(true);
    await page.getByRole("link", { name: "Previous page" }).click();
    await page.waitForURL((url) => !url.searchParams.has("cursor"));
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(50);
    await expect(page.getByTestId("contacts-table").textContent()).resolves.toContain("Ada Lovelace");
  });

  it("opens a profile with attributes, identities and a timeline whose events expand", async () => {
    await page.goto(list());
    await rows().filter({ hasText: "Ada Lovelace" }).locator("td").last().click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    adaUrl = page.url();
    await page.getByTestId("contact-name").getByText("Ada Lovelace").waitFor();
    await expect(page.getByRole("link", { name: "Contacts", exact: true }).getAttribute("aria-current")).resolves.toBe("page");
    const attributes = page.getByTestId("contact-attributes");
    await expect(attributes.textContent()).resolves.toContain("plan");
    await expect(attributes.textContent()).resolves.toContain("pro");
    await expect(page.getByTestId("contact-identities").textContent()).resolves.toContain("u-ada");

    const order = page.getByTestId("timeline-event").filter({ hasText: "Order Completed" });
    await order.waitFor();
    // Newest first: the page view came after the order.
    const newest = page.getByTestId("timeline-event").first();
    await expect(newest.getByText("Page view", { exact: true }).isVisible()).resolves.toBe(true);
    await expect(newest.getByText("Pricing", { exact: true }).isVisible()).resolves.toBe(true);
    await expect(order.getByText('"sku": "T-1000"').isVisible()).resolves.toBe(false);
    await order.getByText("Details").click();
    await expect(order.getByText('"sku": "T-1000"').isVisible()).resolves.toBe(true);
  });

  it("edits an attribute and the name, and shows a bad email next to its field", async () => {
    await page.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Email").fill("not an email");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Enter a valid email address.").waitFor();

    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Value of plan").fill("enterprise");
    await page.getByLabel("First name").fill("Augusta Ada");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Contact saved.").waitFor();
    await expect.poll(() => page.getByTestId("contact-attributes").textContent()).toContain("enterprise");
    await expect(page.getByTestId("contact-name").textContent()).resolves.toBe("Augusta Ada Lovelace");
  });

  it("exports the contact with its events as JSON", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
    const file = await download.path();
    const document = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(document.contact).toMatchObject({ email: "ada@example.com", external_id: "u-ada" });
    expect(document.contact.attributes.plan).toBe("enterprise");
    expect(document.events.map((event: { name: string | null }) => event.name)).toEqual(
      expect.arrayContaining(["Order Completed", "Page Viewed"]),
    );
  });

  it("loads older events as the timeline scrolls", async () => {
    const clicks = Array.from({ length: 30 }, (_, index) => ({
      type: "track",
      userId: "u-ada",
      event: "Clicked Link",
      properties: { index },
      timestamp: at(60 + index),
    }));
    await send(clicks);
    const events = page.getByTestId("timeline-event");
    // The page renders the newest 25; the rest arrive as the end of the list scrolls into view.
    await until(async () => {
      await page.goto(adaUrl);
      await events.first().waitFor();
      for (let attempt = 0; attempt < 5 && (await events.count()) < 33; attempt += 1) {
        await events.last().scrollIntoViewIfNeeded();
        await sleep(300);
      }
      expect(await events.count()).toBe(33);
    }, "all 33 events after scrolling");
    await page.getByText("That is all 33 events.").waitFor();
    await expect(events.last().textContent()).resolves.toContain('"index": 29');
  });

  it("lets a viewer read a profile without edit, tag or erase controls", async () => {
    await page.goto(`${app.url}/w/contacts-test/settings/members`);
    await page.getByLabel("Role for the invitee").click();
    await page.getByRole("option", { name: "Viewer" }).click();
    await page.getByRole("button", { name: "Create invite link" }).click();
    const inviteUrl = (await page.getByTestId("invite-url").textContent())?.trim() ?? "";

    viewerContext = await browser.newContext({ locale: "en-US" });
    const viewer = await viewerContext.newPage();
    await viewer.goto(inviteUrl);
    await viewer.getByLabel("Your name").fill("Vic Viewer");
    await viewer.getByLabel("Email").fill(`vic-${kind}@example.com`);
    await viewer.getByLabel("Password").fill("viewer password 1");
    await viewer.getByRole("button", { name: "Create account and join" }).click();
    await viewer.waitForURL(/\/w\/contacts-test$/);

    await viewer.goto(adaUrl);
    await viewer.getByTestId("contact-name").waitFor();
    await expect(viewer.getByRole("link", { name: "Export JSON" }).count()).resolves.toBe(1);
    await expect(viewer.getByRole("button", { name: "Edit" }).count()).resolves.toBe(0);
    await expect(viewer.getByRole("button", { name: "Erase contact" }).count()).resolves.toBe(0);
    await expect(viewer.getByRole("button", { name: "Add", exact: true }).count()).resolves.toBe(0);
    await viewer.goto(list());
    await viewer.getByTestId("contacts-table").waitFor();
    await expect(viewer.getByRole("checkbox").count()).resolves.toBe(0);
  });

  it("erases a contact only after the email is typed, and it leaves the list", async () => {
    await page.goto(list());
    await rows().filter({ hasText: "Grace Hopper" }).getByRole("link", { name: "Grace Hopper" }).click();
    await page.getByTestId("contact-name").getByText("Grace Hopper").waitFor();
    await page.getByRole("button", { name: "Erase contact" }).click();
    const confirm = page.getByRole("button", { name: "Erase for good" });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await page.getByLabel("Type grace@example.com or ERASE to confirm").fill("someone@else.com");
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await page.getByLabel("Type grace@example.com or ERASE to confirm").fill("grace@example.com");
    await confirm.click();
    await page.waitForURL(/\/contacts$/);
    await page.getByText("Grace Hopper was erased.").waitFor();
    await page.getByLabel("Search contacts").fill("grace");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByText("No contact matches “grace”.").waitFor();
  });
});
