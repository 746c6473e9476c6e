import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Database } from "@/db/client";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import type { JourneyGraph } from "@/lib/journeys/graph";
import { createJourney, publishJourney } from "@/lib/journeys/manage";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createWorkspace, ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { appKinds, browserSkipReason, freshAppDatabase, launchChromium, openAppDatabase, screenshot, startApp, until, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

interface Seeded {
  slug: string;
  emptySlug: string;
  writeKey: string;
}

function emailTemplate(name: string, subject: string) {
  return templateCreateSchema.parse({
    name,
    channel: "email",
    format: "code",
    subject,
    from_email: "hello@shop.example.test",
    content: { component: "newsletter", props: {} },
  });
}

// Written before the server starts (the embedded data directory opens in one process at a
// time): a workspace with nothing in it, and one with two email templates and a published
// "Onboarding tips" journey (Signed Up → wait 2 days → tips → exit) that keeps a contact
// waiting at its delay, for the inspector.
async function seed(database: Database, owner: { email: string; password: string }): Promise<Seeded> {
  const boss = await createBoss(database, { maintenance: false });
  await ensureQueues(boss, jobs);
  setBoss(boss);
  try {
    const db = database.db;
    const { workspace: empty, user } = await ensureOwnerWorkspace(db, { ...owner, workspaceName: "Quiet Shop" });
    const { workspace, writeKey } = await createWorkspace(db, { name: "Journey Shop", ownerId: user.id, timezone: "Europe/Berlin" });
    await createTemplate(db, workspace.id, emailTemplate("Welcome email", 'Welcome aboard, {{ contact.first_name | default: "friend" }}'));
    const tips = await createTemplate(db, workspace.id, emailTemplate("Three tips", "Three tips to get started"));
    const graph: JourneyGraph = {
      nodes: [
        { id: "trigger", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "Signed Up", reentry: "after_exit" } },
        { id: "delay-1", type: "delay", position: { x: 0, y: 160 }, data: { mode: "duration", duration: { amount: 2, unit: "days" } } },
        { id: "send-1", type: "send", position: { x: 0, y: 320 }, data: { templateId: tips.template.id } },
        { id: "exit-1", type: "exit", position: { x: 0, y: 480 }, data: {} },
      ],
      edges: [
        { id: "e1", source: "trigger", target: "delay-1", sourceHandle: null },
        { id: "e2", source: "delay-1", target: "send-1", sourceHandle: null },
        { id: "e3", source: "send-1", target: "exit-1", sourceHandle: null },
      ],
    };
    const onboarding = await createJourney(db, workspace.id, { name: "Onboarding tips", graph, createdBy: user.id });
    await publishJourney(db, workspace.id, onboarding.id, user.id);
    return { slug: workspace.slug, emptySlug: empty.slug, writeKey };
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
  }
}

describe.skipIf(Boolean(skipReason)).each(appKinds)("journeys in Chromium on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let seeded: Seeded;
  let welcomeUrl = "";
  const owner = { email: `journeys-${kind}@example.test`, password: "owner password 1" };
  const env = { SMTP_URL: "", EMAIL_FROM: "Tideline <noreply@tideline.test>" };
  const base = () => `${app.url}/w/${seeded.slug}/journeys`;
  const shoot = (name: string) => screenshot(page, `journeys-${kind}-${name}`);
  const node = (id: string) => page.locator(`[data-testid="journey-node"][data-node-id="${id}"]`);
  const panel = () => page.getByTestId("journey-panel");
  const toolbar = () => page.getByTestId("journey-toolbar");

  async function track(body: object) {
    const response = await fetch(`${app.url}/api/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${seeded.writeKey}:`).toString("base64")}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  async function newJourney(name: string) {
    await page.goto(base());
    await page.getByRole("button", { name: "New journey" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill(name);
    await page.getByRole("dialog").getByRole("button", { name: "Create and open the canvas" }).click();
    await page.waitForURL(/\/journeys\/[0-9a-f-]{36}$/);
    await node("trigger").waitFor();
  }

  async function publish() {
    await toolbar().getByRole("button", { name: /^Publish/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  }

  beforeAll(async () => {
    target = await freshAppDatabase(kind);
    const database = await openAppDatabase(target.database);
    try {
      seeded = await seed(database, owner);
    } finally {
      await database.close();
    }
    app = await startApp(kind, env, { database: target.database });
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
    await target?.drop();
  });

  it("says what a journey is and how to start one while there are none", async () => {
    await page.goto(`${app.url}/w/${seeded.emptySlug}/journeys`);
    const empty = page.getByTestId("journeys-empty");
    await empty.getByRole("heading", { name: "No journeys yet" }).waitFor();
    await empty.getByRole("button", { name: "Create a journey" }).waitFor();
    await expect(page.getByRole("link", { name: "Journeys", exact: true }).getAttribute("aria-current")).resolves.toBe("page");
    await shoot("list-empty");
  });

  it("refuses to publish an unfinished journey and marks the problems on its nodes", async () => {
    await newJourney("Unfinished");
    // A send step, added by clicking the palette with nothing selected: it floats unconnected.
    await page.getByTestId("palette-send").click();
    await node("send-1").waitFor();
    await publish();

    await until(async () => expect(await node("trigger").getAttribute("data-problem")).toBe("true"), "the trigger marked");
    expect(await node("trigger").getByTestId("node-problem").textContent()).toBe("Name the event that starts the journey.");
    expect(await node("send-1").getAttribute("data-problem")).toBe("true");
    expect(await node("send-1").getByTestId("node-problem").textContent()).toContain("Choose a template.");
    // The list beside the canvas names every problem, the unreachable step too.
    await page.getByTestId("journey-canvas").locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
    const problems = page.getByTestId("journey-problems");
    await problems.getByText("Nothing leads here: connect this step to the journey.").waitFor();
    expect(await problems.getByTestId("journey-problem").count()).toBe(3);
    expect(await page.getByTestId("journey-status").getAttribute("data-status")).toBe("draft");
    await shoot("canvas-problems");

    // A problem in the list takes you to its node; fixing the field clears its mark.
    await problems.getByRole("button", { name: /Name the event/ }).click();
    await panel().getByLabel("Event", { exact: true }).fill("Signed Up");
    await until(async () => expect(await node("trigger").getAttribute("data-problem")).toBeNull(), "the trigger's mark to clear");
    // The field's own error shows next to it once the schema says it is wrong.
    await node("send-1").click();
    await panel().getByText("Choose a template.").waitFor();

    // Delete removes the selected step; Ctrl+Z brings it back.
    await page.keyboard.press("Delete");
    await until(async () => expect(await node("send-1").count()).toBe(0), "the step deleted");
    await page.keyboard.press("Control+z");
    await node("send-1").waitFor();

    // A condition's rule is made with the segment builder, in a dialog.
    await page.getByTestId("palette-condition").click();
    await node("condition-1").waitFor();
    await panel().getByRole("button", { name: "Add a rule" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("rule-builder").waitFor();
    await dialog.getByRole("button", { name: "Use this rule" }).click();
    await expect(node("condition-1").getByTestId("node-summary").textContent()).resolves.toBe("If the rule matches");
    expect(await node("condition-1").locator(".react-flow__handle.source").count()).toBe(2);

    // Saved, the draft comes back as it was drawn.
    await toolbar().getByRole("button", { name: "Save draft" }).click();
    await until(async () => expect(await page.getByTestId("save-state").textContent()).toContain("All changes saved"), "the draft saved");
    await page.reload();
    await node("condition-1").waitFor();
    expect(await node("trigger").getByTestId("node-summary").textContent()).toBe("When “Signed Up” happens");
  });

  it("draws a three-step journey, publishes it, and follows a contact through it", async () => {
    await newJourney("Welcome series");
    welcomeUrl = page.url();
    // The trigger: the "Signed Up" event.
    await node("trigger").click();
    await panel().getByLabel("Contacts enter").selectOption("event");
    await panel().getByLabel("Event", { exact: true }).fill("Signed Up");
    // With the trigger selected, a click on the palette adds the step below it, connected.
    await page.getByTestId("palette-send").click();
    await node("send-1").waitFor();
    await panel().getByLabel("Template").selectOption({ label: "Welcome email" });
    await expect(node("send-1").getByTestId("node-summary").textContent()).resolves.toBe("Send “Welcome email”");
    // The exit, dropped unconnected, then joined by dragging from the send step's handle.
    await page.getByTestId("journey-canvas").locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
    await page.getByTestId("palette-exit").click();
    await node("exit-1").waitFor();
    await page.getByTestId("journey-canvas").locator(".react-flow__pane").click({ position: { x: 20, y: 20 } });
    await node("send-1").getByTestId("handle-next").dragTo(page.locator('.react-flow__node[data-id="exit-1"] .react-flow__handle.target'));
    await until(async () => expect(await page.locator(".react-flow__edge").count()).toBe(2), "two connections");
    // Undo takes the connection away, redo brings it back.
    await page.keyboard.press("Control+z");
    await until(async () => expect(await page.locator(".react-flow__edge").count()).toBe(1), "the connection undone");
    await page.keyboard.press("Control+Shift+z");
    await until(async () => expect(await page.locator(".react-flow__edge").count()).toBe(2), "the connection redone");
    // Auto-layout puts the three steps in one column, top to bottom.
    await page.getByRole("button", { name: "Tidy up (auto-layout)" }).click();
    await until(async () => {
      const [trigger, send, exit] = await Promise.all(["trigger", "send-1", "exit-1"].map((id) => node(id).boundingBox()));
      expect(Math.abs(trigger!.x - exit!.x)).toBeLessThan(2);
      expect(trigger!.y < send!.y && send!.y < exit!.y).toBe(true);
    }, "the laid-out column");
    await shoot("canvas-draft");

    await publish();
    await until(async () => expect(await page.getByTestId("journey-status").getAttribute("data-status")).toBe("active"), "the active status");
    await expect(page.getByTestId("journey-version").textContent()).resolves.toBe("Version 1 live");

    await track({
      batch: [
        { type: "identify", userId: "ada", traits: { email: "ada@example.test", firstName: "Ada" } },
        { type: "track", userId: "ada", event: "Signed Up", properties: { plan: "free" } },
      ],
    });

    // The welcome email lands in the outbox.
    await until(
      async () => {
        await page.goto(`${app.url}/w/${seeded.slug}/messages/outbox`);
        expect(await page.getByTestId("outbox-list").getByText("Welcome aboard, Ada").count()).toBeGreaterThan(0);
      },
      "the welcome email in the outbox",
      60_000,
    );

    // The canvas shows where the contact went.
    await page.goto(welcomeUrl);
    expect(await page.getByTestId("journey-editor").getAttribute("data-mode")).toBe("results");
    await until(async () => expect(await page.getByTestId("total-entered-value").textContent()).toBe("1"), "one entered", 30_000);
    await until(async () => expect(await node("send-1").getByTestId("node-completed").textContent()).toBe("1"), "the send step passed");
    expect(await node("send-1").getByTestId("node-entered").textContent()).toBe("1");
    expect(await node("exit-1").getByTestId("node-entered").textContent()).toBe("1");
    await shoot("canvas-results");
  });

  it("shows who is waiting at a step, each linking to the profile, and the journeys on the profile", async () => {
    await page.goto(base());
    const row = page.getByTestId("journeys-table").locator("tbody tr", { has: page.getByRole("link", { name: "Onboarding tips", exact: true }) });
    await until(async () => {
      await page.reload();
      expect(await row.getByTestId("journey-in").textContent()).toBe("1");
    }, "one contact in the onboarding journey");
    await shoot("list");
    await row.getByRole("link", { name: "Onboarding tips" }).click();
    await page.waitForURL(/\/journeys\/[0-9a-f-]{36}$/);
    await until(async () => expect(await node("delay-1").getByTestId("node-waiting").textContent()).toBe("1"), "one waiting at the delay");
    await node("delay-1").click();
    const inspector = page.getByTestId("inspector");
    await inspector.getByText("1 contact is at this step now").waitFor();
    const contact = inspector.getByRole("link", { name: "Ada" });
    await contact.waitFor();
    await shoot("inspector");

    await contact.click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    const card = page.getByTestId("contact-journeys");
    await card.getByRole("link", { name: "Welcome series" }).waitFor();
    const welcome = card.getByTestId("contact-journey").filter({ has: page.getByRole("link", { name: "Welcome series" }) });
    expect(await welcome.getAttribute("data-status")).toBe("completed");
    expect(await welcome.getByTestId("path-step").allTextContents()).toEqual(["When “Signed Up” happens", "Send “Welcome email”", "Leave the journey"]);
    const onboarding = card.getByTestId("contact-journey").filter({ has: page.getByRole("link", { name: "Onboarding tips" }) });
    expect(await onboarding.getAttribute("data-status")).toBe("waiting");
    await shoot("profile");
  });

  it("pauses and resumes a journey", async () => {
    await page.goto(welcomeUrl);
    await toolbar().getByRole("button", { name: "Pause" }).click();
    await until(async () => expect(await page.getByTestId("journey-status").getAttribute("data-status")).toBe("paused"), "the paused status");
    await page.getByTestId("journey-paused").waitFor();
    await toolbar().getByRole("button", { name: "Resume" }).click();
    await until(async () => expect(await page.getByTestId("journey-status").getAttribute("data-status")).toBe("active"), "the active status again");
  });

  it("speaks Chinese", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    try {
      await page.goto(base());
      await page.getByRole("heading", { name: "旅程" }).first().waitFor();
      await page.getByRole("columnheader", { name: "当前在旅程中" }).waitFor();
      await page.goto(welcomeUrl);
      await page.getByTestId("journey-totals").getByText("当前在旅程中").waitFor();
      expect(await node("send-1").getByTestId("node-summary").textContent()).toBe("发送“Welcome email”");
      await page.getByRole("button", { name: "编辑" }).click();
      await page.getByTestId("palette").getByText("发送消息").waitFor();
      await shoot("canvas-zh");
    } finally {
      await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
    }
  });
});
