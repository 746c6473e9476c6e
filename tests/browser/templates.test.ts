import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { appKinds, browserSkipReason, launchChromium, setupThroughUi, startApp, type RunningApp, screenshot, until } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason)).each(appKinds)("templates in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let writeKey = "";
  let templateUrl = "";
  const owner = { name: "Tess Owner", email: `tess-${kind}@example.com`, password: "owner password 1", workspace: "Templates Test" };
  const base = () => `${app.url}/w/templates-test/templates`;

  const shoot = (name: string) => screenshot(page, `templates-${kind}-${name}`);

  const frameText = async () => (await page.getByTestId("preview-frame").contentFrame().locator("body").textContent()) ?? "";

  beforeAll(async () => {
    app = await startApp(kind);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US", viewport: { width: 1440, height: 1000 } });
    await setupThroughUi(page, app, owner);
    writeKey = (await page.getByTestId("write-key").textContent())?.trim() ?? "";
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("explains templates while there are none", async () => {
    await page.getByRole("link", { name: "Templates", exact: true }).click();
    await page.waitForURL(/\/templates$/);
    await page.getByRole("heading", { name: "No templates yet" }).waitFor();
    await shoot("empty");
  });

  it("builds an email in the visual editor and saves it as a new version", async () => {
    await page.getByRole("link", { name: "New template" }).click();
    await page.waitForURL(/\/templates\/new$/);
    await page.getByLabel("Name").fill("Spring welcome");
    await page.getByLabel("Visual editor").check();
    await shoot("new");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
    templateUrl = page.url();

    const editor = page.getByTestId("visual-editor").locator(".tiptap");
    await editor.waitFor();
    await editor.getByText("Write your message here.").click();
    await page.keyboard.press("End");
    await page.keyboard.type(" Your plan: {{ contact.attributes.plan | default: \"free\" }}.");
    await page.getByLabel("Subject").fill("Spring news for {{ contact.first_name | default: \"you\" }}");
    await page.getByLabel("From name").fill("Acme");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.getByTestId("saved").getByText("Saved as version 2.").waitFor();
    await page.getByTestId("template-preview").getByText("Preview of version 2").waitFor();
    await expect(page.getByTestId("version-history").locator("li").count()).resolves.toBe(2);
  });

  it("previews with sample data and with a chosen contact, at desktop and mobile widths", async () => {
    await until(async () => expect(await frameText()).toContain("Your plan: pro."), "the sample preview");
    expect(await page.getByTestId("preview-subject").textContent()).toBe("Spring news for Ada");
    expect(await frameText()).toContain("Hello Ada");

    const response = await fetch(`${app.url}/api/v1/identify`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` },
      body: JSON.stringify({ userId: "u-zoe", traits: { email: "zoe@example.com", first_name: "Zoë <b>", plan: "team" } }),
    });
    expect(response.status).toBe(200);
    await until(async () => {
      await page.getByLabel("Preview as").fill("");
      await page.getByLabel("Preview as").fill("zoe");
      await page.getByTestId("contact-options").getByRole("button", { name: /Zoë/ }).click({ timeout: 2000 });
    }, "the contact in the search");
    await until(async () => expect(await frameText()).toContain("Hello Zoë <b>"), "the contact's preview");
    expect(await frameText()).toContain("Your plan: team.");
    // The name is text in the email, not markup.
    expect(await page.getByTestId("preview-frame").contentFrame().locator("b").count()).toBe(0);
    expect(await page.getByTestId("preview-subject").textContent()).toBe("Spring news for Zoë <b>");
    await shoot("preview-desktop");

    const desktopWidth = (await page.getByTestId("preview-frame").boundingBox())!.width;
    await page.getByRole("tab", { name: "Mobile" }).click();
    await until(async () => expect((await page.getByTestId("preview-frame").boundingBox())!.width).toBeLessThan(desktopWidth / 1.5), "the mobile width");
    await shoot("preview-mobile");
  });

  it("sends a test to me and shows its status", async () => {
    await page.getByRole("button", { name: "Send test to me" }).click();
    await until(async () => expect(await page.getByTestId("test-result").textContent()).toMatch(new RegExp(`Test to ${owner.email}: Sent`)), "the test result");
  });

  it("shows an old version read-only and restores it as the newest", async () => {
    await page.getByTestId("version-history").getByRole("link", { name: "View" }).click();
    await page.waitForURL(/\?version=1$/);
    await page.getByTestId("old-version").waitFor();
    await until(async () => expect(await frameText()).not.toContain("Your plan"), "version 1's preview");
    await page.getByTestId("version-history").locator("li", { hasText: "Version 1" }).getByRole("button", { name: "Restore" }).click();
    await page.getByText("Version 1 restored as the newest version.").waitFor();
    await page.goto(templateUrl);
    await page.getByTestId("template-preview").getByText("Preview of version 3").waitFor();
    await until(async () => expect(await frameText()).not.toContain("Your plan"), "the restored content");
    await shoot("restored");

    await page.goto(base());
    const row = page.getByTestId("templates-table").locator("tbody tr", { hasText: "Spring welcome" });
    expect(await row.getByText("v3").isVisible()).toBe(true);
    await shoot("list");
  });

  it("speaks Chinese", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    await page.goto(templateUrl);
    await page.getByRole("button", { name: "给我发送测试" }).waitFor();
    await shoot("editor-zh");
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
  });
});
