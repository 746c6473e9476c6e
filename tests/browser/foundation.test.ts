import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { appKinds, browserSkipReason, launchChromium, startApp, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason)).each(appKinds)("first run in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const owner = { name: "Ada Owner", email: `ada-${kind}@example.com`, password: "correct horse battery" };

  beforeAll(async () => {
    app = await startApp(kind);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("sends a fresh install to the setup page", async () => {
    await page.goto(app.url);
    await page.waitForURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Set up Tideline" }).isVisible()).resolves.toBe(true);
  });

  it("shows what is wrong with bad setup input, next to the field", async () => {
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create owner and workspace" }).click();
    await page.getByText("Enter a valid email address.").waitFor();
    await expect(page.getByText("Use at least 8 characters.").isVisible()).resolves.toBe(true);
    await expect(page.getByText("Give the workspace a name.").isVisible()).resolves.toBe(true);
    expect(page.url()).toMatch(/\/setup$/);
  });

  it("creates the owner and the first workspace, and signs in", async () => {
    await page.getByLabel("Your name").fill(owner.name);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByLabel("Workspace name").fill("Acme Shop");
    await page.getByRole("button", { name: "Create owner and workspace" }).click();
    await page.waitForURL(/\/w\/acme-shop$/);
    await page.getByRole("heading", { name: "Welcome to Acme Shop" }).waitFor();
    await expect(page.getByTestId("write-key").textContent()).resolves.toMatch(/^wk_/);
  });

  it("no longer offers setup once an owner exists", async () => {
    const response = await page.goto(`${app.url}/setup`);
    expect(response?.ok()).toBe(true);
    expect(page.url()).not.toMatch(/\/setup$/);
  });

  it("creates a secret key that is shown once and works against the API", async () => {
    await page.goto(`${app.url}/w/acme-shop/settings/keys`);
    await page.getByRole("button", { name: "New secret key" }).click();
    await page.getByLabel("Key name").fill("Backend");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.getByTestId("new-secret-key").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^sk_/);

    const accepted = await fetch(`${app.url}/api/v1/workspace`, { headers: { authorization: `Bearer ${secret}` } });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ name: "Acme Shop", slug: "acme-shop" });

    await page.getByRole("button", { name: "Close" }).first().click();
    const table = page.getByTestId("secret-keys");
    await table.getByText("Backend").waitFor();
    await expect(table.textContent()).resolves.not.toContain(secret);
  });

  it("revokes the key, after which the API refuses it", async () => {
    const keys = page.getByTestId("secret-keys");
    const before = await keys.getByText("Revoked").count();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Revoke Backend" }).click();
    await expect.poll(() => keys.getByText("Revoked").count(), { timeout: 20_000 }).toBe(before + 1);
  });

  it("signs out, and refuses a wrong password with a clear message", async () => {
    await page.goto(`${app.url}/w/acme-shop`);
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);

    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Wrong email or password.").waitFor();
    expect(page.url()).toMatch(/\/login/);

    const blocked = await page.goto(`${app.url}/w/acme-shop/settings/keys`);
    expect(blocked?.ok()).toBe(true);
    expect(page.url()).toMatch(/\/login/);
  });

  it("signs in with the right password", async () => {
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/w\/acme-shop$/);
  });

  it("speaks Simplified Chinese to a zh-CN browser", async () => {
    const context = await browser.newContext({ locale: "zh-CN", extraHTTPHeaders: { "accept-language": "zh-CN,zh;q=0.9" } });
    const zhPage = await context.newPage();
    await zhPage.goto(`${app.url}/login`);
    await zhPage.getByRole("heading", { name: "登录 Tideline" }).waitFor();
    await context.close();
  });
});
