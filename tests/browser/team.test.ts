import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { appKinds, browserSkipReason, launchChromium, setupThroughUi, startApp, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason)).each(appKinds)("a team in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let ownerPage: Page;
  let viewerContext: BrowserContext;
  let viewerPage: Page;
  let inviteUrl = "";
  let inviteAction: { url: string; headers: Record<string, string>; body: string } | undefined;
  const owner = { name: "Olu Owner", email: `olu-${kind}@example.com`, password: "owner password 1", workspace: "Team Test" };
  const viewer = { name: "Vi Viewer", email: `vi-${kind}@example.com`, password: "viewer password 1" };

  beforeAll(async () => {
    app = await startApp(kind);
    browser = await launchChromium();
    ownerPage = await browser.newPage({ locale: "en-US" });
    await setupThroughUi(ownerPage, app, owner);
    viewerContext = await browser.newContext({ locale: "en-US" });
    viewerPage = await viewerContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("lets an admin create a one-time invite link for a chosen role", async () => {
    await ownerPage.goto(`${app.url}/w/team-test/settings/members`);
    await ownerPage.getByLabel("Role for the invitee").click();
    await ownerPage.getByRole("option", { name: "Viewer" }).click();
    // Remember how the browser called the server action, to replay it as a viewer later.
    ownerPage.on("request", (request) => {
      const headers = request.headers();
      if (headers["next-action"] && request.method() === "POST" && !inviteAction) {
        delete headers.cookie;
        inviteAction = { url: request.url(), headers, body: request.postData() ?? "" };
      }
    });
    await ownerPage.getByRole("button", { name: "Create invite link" }).click();
    inviteUrl = (await ownerPage.getByTestId("invite-url").textContent())?.trim() ?? "";
    expect(inviteUrl).toMatch(/\/invite\/inv_/);
    expect(inviteAction?.body).toContain("viewer");
  });

  it("lets the invitee create an account and join as viewer", async () => {
    await viewerPage.goto(inviteUrl);
    await viewerPage.getByText("You were invited to join Team Test as Viewer.").waitFor();
    await viewerPage.getByLabel("Your name").fill(viewer.name);
    await viewerPage.getByLabel("Email").fill(viewer.email);
    await viewerPage.getByLabel("Password").fill(viewer.password);
    await viewerPage.getByRole("button", { name: "Create account and join" }).click();
    await viewerPage.waitForURL(/\/w\/team-test$/);
    await viewerPage.getByRole("heading", { name: "Welcome to Team Test" }).waitFor();
  });

  it("shows a viewer only the areas a viewer may open", async () => {
    await expect(viewerPage.getByRole("link", { name: "Home" }).count()).resolves.toBe(1);
    await expect(viewerPage.getByRole("link", { name: "API keys" }).count()).resolves.toBe(0);
    await viewerPage.goto(`${app.url}/w/team-test/settings/keys`);
    await viewerPage.waitForURL(/\/w\/team-test\?denied=admin$/);
    await viewerPage.getByText("That area needs the Admin role.").waitFor();
  });

  it("refuses an admin action sent by a viewer, and creates nothing", async () => {
    // The same call the owner's browser made, now with the viewer's session (and asking for owner).
    const response = await viewerContext.request.post(inviteAction!.url, {
      headers: inviteAction!.headers,
      data: inviteAction!.body.replace("viewer", "owner"),
    });
    const body = await response.text();
    expect(body).toContain("This needs the Admin role or higher.");
    expect(body).not.toContain("/invite/inv_");
    await ownerPage.reload();
    await expect(ownerPage.getByRole("button", { name: "Revoke" }).count()).resolves.toBe(0);
  });

  it("does not accept the same invite link twice", async () => {
    const stranger = await browser.newPage({ locale: "en-US" });
    await stranger.goto(inviteUrl);
    await stranger.getByText("This invite link was already used.").waitFor();
    await stranger.close();
  });

  it("lets the owner promote the viewer, and never remove the last owner", async () => {
    await ownerPage.goto(`${app.url}/w/team-test/settings/members`);
    await ownerPage.getByLabel(`Role: ${viewer.email}`).click();
    await ownerPage.getByRole("option", { name: "Admin" }).click();
    await ownerPage.getByText("Role changed.").waitFor();

    await ownerPage.getByLabel(`Role: ${owner.email}`).click();
    await ownerPage.getByRole("option", { name: "Marketer" }).click();
    await ownerPage.getByText("A workspace needs at least one owner: make someone else owner first.").waitFor();

    await viewerPage.goto(`${app.url}/w/team-test/settings/keys`);
    await viewerPage.getByRole("heading", { name: "API keys" }).waitFor();
  });
});
