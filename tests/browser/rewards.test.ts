import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import type { Database } from "@/db/client";
import { contacts, tasks } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { createWorkspace, ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { appKinds, browserSkipReason, freshAppDatabase, launchChromium, openAppDatabase, screenshot, startApp, until, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

interface Seeded {
  slug: string;
  emptySlug: string;
  writeKey: string;
}

const day = 86_400_000;

// Written before the server starts (the embedded data directory opens in one process at a
// time): a shop in Shanghai time with a regular customer who bought 3 times in the last 20
// days (for the test against a contact's history) and an open task for its owner; and a
// workspace with nothing in it.
async function seed(database: Database, owner: { email: string; password: string }): Promise<Seeded> {
  const boss = await createBoss(database, { maintenance: false });
  await ensureQueues(boss, jobs);
  setBoss(boss);
  try {
    const db = database.db;
    const { workspace: empty, user } = await ensureOwnerWorkspace(db, { ...owner, workspaceName: "Quiet Shop" });
    const { workspace, writeKey } = await createWorkspace(db, { name: "Reward Shop", ownerId: user.id, timezone: "Asia/Shanghai" });
    const [regular] = await db.insert(contacts).values({ workspaceId: workspace.id, email: "regular@shop.example.test", firstName: "Rita" }).returning();
    for (const [index, daysAgo] of [20, 12, 3].entries()) {
      const at = new Date(Date.now() - daysAgo * day).toISOString();
      await db.execute(sql`insert into events (workspace_id, message_id, type, name, contact_id, properties, timestamp, received_at, processed_at)
        values (${workspace.id}, ${`seed-order-${index}`}, 'track', 'Order Completed', ${regular.id}, ${JSON.stringify({ revenue: 40 + index })}::jsonb,
                ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz)`);
    }
    await db.insert(tasks).values({
      workspaceId: workspace.id,
      idempotencyKey: "seed-task-1",
      title: "Call Rita about her third order",
      notes: "She asked about bulk prices.",
      contactId: regular.id,
      assigneeId: user.id,
      source: "journey",
      dueAt: new Date(Date.now() + 2 * day),
    });
    return { slug: workspace.slug, emptySlug: empty.slug, writeKey };
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
  }
}

describe.skipIf(Boolean(skipReason)).each(appKinds)("monitors, points and coupons in Chromium on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let seeded: Seeded;
  let monitorUrl = "";
  let campaignUrl = "";
  let buyerUrl = "";
  const owner = { email: `rewards-${kind}@example.test`, password: "owner password 1" };
  const env = { SMTP_URL: "", EMAIL_FROM: "Tideline <noreply@tideline.test>" };
  const base = () => `${app.url}/w/${seeded.slug}`;
  const shoot = (name: string) => screenshot(page, `rewards-${kind}-${name}`);

  async function send(path: "identify" | "track", body: object) {
    const response = await fetch(`${app.url}/api/v1/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${seeded.writeKey}:`).toString("base64")}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
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
    page = await browser.newPage({ locale: "en-US", viewport: { width: 1440, height: 1000 } });
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

  it("says what each page is for and what to do first while there is nothing", async () => {
    const quiet = `${app.url}/w/${seeded.emptySlug}`;
    await page.goto(`${quiet}/monitors`);
    const empty = page.getByTestId("monitors-empty");
    await empty.getByRole("heading", { name: "No monitors yet" }).waitFor();
    for (const example of ["3 purchases in 30 days → 500 points", "First purchase over 100 → coupon", "7-day login streak → badge tag"]) {
      await empty.getByRole("link", { name: new RegExp(`^${example}`) }).waitFor();
    }
    await expect(page.getByRole("link", { name: "Monitors", exact: true }).getAttribute("aria-current")).resolves.toBe("page");
    await shoot("monitors-empty");

    await page.goto(`${quiet}/rewards`);
    await page.getByTestId("ledger-empty").getByRole("heading", { name: "No points given yet" }).waitFor();
    await expect(page.getByRole("link", { name: "Rewards", exact: true }).getAttribute("aria-current")).resolves.toBe("page");
    await shoot("points-empty");

    await page.goto(`${quiet}/rewards/coupons`);
    await page.getByTestId("campaigns-empty").getByRole("heading", { name: "No coupon campaigns yet" }).waitFor();
    await page.getByTestId("campaigns-empty").getByRole("link", { name: "Create a campaign" }).waitFor();
    await shoot("coupons-empty");

    await page.goto(`${quiet}/tasks`);
    await page.getByTestId("tasks-empty").getByRole("heading", { name: "Nothing to do" }).waitFor();
    await shoot("tasks-empty");
  });

  it("creates a campaign of generated codes, refusing a missing name next to the field", async () => {
    await page.goto(`${base()}/rewards/coupons`);
    await page.getByRole("link", { name: "Create a campaign" }).click();
    await page.waitForURL(/\/coupons\/new$/);
    await page.getByRole("button", { name: "Create campaign" }).click();
    const form = page.getByTestId("campaign-form");
    await form.getByText("Give the campaign a name (at most 200 characters).").waitFor();
    await form.getByText("Put an X for each random character, e.g. SPRING-XXXXXX.").waitFor();
    await expect(page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).resolves.toBe("true");
    await shoot("campaign-errors");

    await page.getByLabel("Name", { exact: true }).fill("Welcome coupon");
    await page.getByLabel("Amount", { exact: true }).fill("20");
    await page.getByLabel("Pattern", { exact: true }).fill("welcome-xxxxxx");
    await page.getByLabel("How many codes").fill("50");
    await shoot("campaign-form");
    await page.getByRole("button", { name: "Create campaign" }).click();
    await page.waitForURL(/\/coupons\/[0-9a-f-]{36}$/);
    campaignUrl = page.url();
    expect(await page.getByTestId("count-available").textContent()).toBe("50");
    expect(await page.getByTestId("count-issued").textContent()).toBe("0");
    await page.getByTestId("activity-empty").getByRole("heading", { name: "No codes issued yet" }).waitFor();
    await expect(page.getByTestId("campaign-facts").textContent()).resolves.toContain("WELCOME-XXXXXX");
    await shoot("campaign-new");
  });

  it("uploads a pool of codes from a CSV file in pieces, skipping its header and duplicates", async () => {
    await page.goto(`${base()}/rewards/coupons/new`);
    await page.getByLabel("Name", { exact: true }).fill("Store vouchers");
    await page.getByLabel("Something else").check();
    await page.getByLabel("What it gives").fill("Free shipping");
    await page.getByLabel(/^Upload my codes/).check();
    await page.getByRole("tab", { name: "CSV file" }).click();
    // 4,500 codes (three pieces), one of them twice, under a header the form recognises.
    const rows = ["code,batch", ...Array.from({ length: 4500 }, (_, index) => `SHIP-${String(index).padStart(5, "0")},spring`), "SHIP-00007,spring"];
    await page.getByLabel("Choose a CSV file").setInputFiles({ name: "vouchers.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
    await page.getByLabel(/The first row is a header/).waitFor();
    expect(await page.getByLabel(/The first row is a header/).isChecked()).toBe(true);
    expect(await page.getByLabel("Column with the codes").inputValue()).toBe("0");
    await shoot("campaign-pool-form");
    await page.getByRole("button", { name: "Create campaign" }).click();
    await page.waitForURL(/\/coupons\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    expect(await page.getByTestId("count-available").textContent()).toBe("4,500");
    await expect(page.getByTestId("campaign-facts").textContent()).resolves.toContain("Free shipping");

    // Pasted codes add to the pool; those it has already are skipped.
    await page.getByTestId("add-codes").getByLabel("Codes", { exact: true }).fill("SHIP-00001\nSHIP-NEW-1, SHIP-NEW-2");
    await page.getByRole("button", { name: "Add codes" }).click();
    await expect(page.getByTestId("upload-result").textContent()).resolves.toBe("2 codes added; 1 skipped (duplicates or already in the workspace).");
    await until(async () => expect(await page.getByTestId("count-available").textContent()).toBe("4,502"), "the new stock");
    await shoot("campaign-pool");
  });

  it("starts a monitor from the 3-purchases example, adds a coupon and tests it against a customer's history", async () => {
    await page.goto(`${base()}/monitors`);
    await page.getByTestId("monitors-empty").getByRole("link", { name: /^3 purchases in 30 days → 500 points/ }).click();
    await page.waitForURL(/\/monitors\/new\?example=repeat_buyer$/);
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("3 purchases in 30 days");
    expect(await page.getByLabel("Event", { exact: true }).inputValue()).toBe("Order Completed");
    expect(await page.getByLabel("At least this many times").inputValue()).toBe("3");
    expect(await page.getByTestId("monitor-action-0").getByLabel("Points", { exact: true }).inputValue()).toBe("500");

    // A property filter is checked as it is typed.
    const where = page.getByTestId("where-field");
    await where.getByLabel(/Only events whose properties match/).fill('{"nope": [1]}');
    await where.getByRole("alert").waitFor();
    await where.getByLabel(/Only events whose properties match/).fill("");

    await page.getByRole("group", { name: "Add:" }).getByRole("button", { name: "Issue a coupon" }).click();
    const coupon = page.getByTestId("monitor-action-1");
    expect(await coupon.getAttribute("data-type")).toBe("coupon");
    await coupon.getByLabel("Coupon campaign").selectOption({ label: "Welcome coupon (50 codes left)" });
    await expect(page.getByTestId("monitor-summary").textContent()).resolves.toBe(
      "In short:Order Completed at least 3 times in the last 30 days, at most once per window → 500 points, a coupon from Welcome coupon",
    );

    // The test replays Rita's three orders of the last 20 days: it would have fired on the third.
    const test = page.getByTestId("monitor-test");
    await test.getByLabel("Contact").fill("regular@");
    await test.getByTestId("contact-matches").getByRole("button", { name: /regular@shop\.example\.test/ }).click();
    await test.getByRole("button", { name: "Run the test" }).click();
    await test.getByTestId("test-result").getByText("Replayed 3 Order Completed events of regular@shop.example.test.").waitFor();
    await test.getByText("It would have fired once:").waitFor();
    expect(await test.getByTestId("test-matches").locator("li").count()).toBe(1);
    await shoot("monitor-editor");

    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/monitors\/[0-9a-f-]{36}$/);
    monitorUrl = page.url();
    expect(await page.getByTestId("monitor-status").getAttribute("data-status")).toBe("draft");
    await page.getByTestId("matches-empty").getByRole("heading", { name: "No matches yet" }).waitFor();
  });

  it("activates the monitor; three purchases through the tracking API give 500 points and a coupon", async () => {
    await page.getByRole("button", { name: "Activate" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Activate" }).click();
    await until(async () => expect(await page.getByTestId("monitor-status").getAttribute("data-status")).toBe("active"), "the active status");
    await shoot("monitor-active");

    await send("identify", { userId: "buyer-1", traits: { email: "buyer@shop.example.test", first_name: "Bo" } });
    for (const revenue of [25, 60, 180]) {
      await send("track", { userId: "buyer-1", event: "Order Completed", properties: { revenue }, messageId: `order-${revenue}` });
    }

    await until(
      async () => {
        await page.goto(monitorUrl);
        expect(await page.getByTestId("matches-table").locator("tbody tr").count()).toBe(1);
      },
      "the monitor's match",
      60_000,
    );
    const row = page.getByTestId("matches-table").locator("tbody tr").first();
    await expect(row.textContent()).resolves.toContain("+500 points");
    await expect(row.getByTestId("match-results").textContent()).resolves.toMatch(/Coupon\s*WELCOME-[2-9A-HJKMNP-Z]{6}/);
    await expect(page.getByTestId("monitor-counts").textContent()).resolves.toBe("1 match today · 1 in all");
    await shoot("monitor-matches");

    await row.getByRole("link", { name: "buyer@shop.example.test" }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    buyerUrl = page.url();
    expect(await page.getByTestId("points-balance").textContent()).toBe("500");
    const transactions = page.getByTestId("points-transactions");
    await expect(transactions.textContent()).resolves.toContain("3 purchases in 30 days");
    const code = (await page.getByTestId("coupon-code").textContent()) ?? "";
    expect(code).toMatch(/^WELCOME-[2-9A-HJKMNP-Z]{6}$/);
    await expect(page.getByTestId("contact-coupons").textContent()).resolves.toContain("Welcome coupon");
    await expect(page.getByTestId("monitor-matches-card").textContent()).resolves.toContain("3 purchases in 30 days");
    await page.getByTestId("points-card").scrollIntoViewIfNeeded();
    await shoot("profile-cards");

    // The campaign counts the issue and shows who has the code.
    await page.goto(campaignUrl);
    expect(await page.getByTestId("count-issued").textContent()).toBe("1");
    expect(await page.getByTestId("count-available").textContent()).toBe("49");
    await expect(page.getByTestId("activity-table").textContent()).resolves.toContain(code);
    await expect(page.getByTestId("activity-table").textContent()).resolves.toContain("buyer@shop.example.test");
    await shoot("campaign-issued");
  });

  it("adjusts points by hand with a reason, and finds the changes in the ledger", async () => {
    await page.goto(buyerUrl);
    await page.getByTestId("points-card").getByRole("button", { name: "Adjust points" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await dialog.getByText("Enter a whole number of points other than 0.").waitFor();
    await dialog.getByText("Say why (at most 200 characters).").waitFor();
    await dialog.getByLabel("Take points away").check();
    await dialog.getByLabel("Amount (points)").fill("900");
    await dialog.getByLabel("Reason").fill("Too much");
    await dialog.getByRole("button", { name: "Take away" }).click();
    await dialog.getByText("Not enough points: the balance would go below zero.").waitFor();
    await shoot("adjust-errors");
    await dialog.getByLabel("Add points").check();
    await dialog.getByLabel("Amount (points)").fill("50");
    await dialog.getByLabel("Reason").fill("Goodwill for a late delivery");
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await until(async () => expect(await page.getByTestId("points-balance").textContent()).toBe("550"), "the new balance");

    await page.goto(`${base()}/rewards`);
    await page.getByLabel("Contact's email").fill("buyer@shop.example.test");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/email=buyer/);
    const rows = page.getByTestId("ledger-table").locator("tbody tr");
    expect(await rows.count()).toBe(2);
    await expect(rows.first().textContent()).resolves.toContain("Goodwill for a late delivery");
    expect(await rows.first().getAttribute("data-source")).toBe("manual");
    expect(await rows.nth(1).getAttribute("data-source")).toBe("monitor");
    await page.getByLabel("Source").selectOption("monitor");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/source=monitor/);
    expect(await page.getByTestId("ledger-table").locator("tbody tr").count()).toBe(1);
    await shoot("ledger");
  });

  it("lists the monitor with its matches, and marks a task done and reopens it", async () => {
    await page.goto(`${base()}/monitors`);
    const row = page.getByTestId("monitors-table").locator("tbody tr").first();
    await expect(row.getByTestId("monitor-rule").textContent()).resolves.toContain("Order Completed at least 3 times in the last 30 days");
    expect(await row.getByTestId("monitor-today").textContent()).toBe("1");
    expect(await row.getByTestId("monitor-total").textContent()).toBe("1");
    await shoot("monitors-list");

    await page.goto(`${base()}/tasks`);
    const task = page.getByTestId("tasks-table").locator("tbody tr").first();
    await expect(task.getByTestId("task-title").textContent()).resolves.toBe("Call Rita about her third order");
    expect(await task.getByTestId("task-contact").getAttribute("href")).toMatch(/\/contacts\/[0-9a-f-]{36}$/);
    await shoot("tasks");
    await task.getByRole("button", { name: "Mark done" }).click();
    await page.getByTestId("tasks-empty").getByRole("heading", { name: "Nothing to do" }).waitFor();
    await page.getByTestId("tab-done").click();
    await page.waitForURL(/status=done/);
    const done = page.getByTestId("tasks-table").locator("tbody tr").first();
    expect(await done.getAttribute("data-status")).toBe("done");
    await shoot("tasks-done");
    await done.getByRole("button", { name: "Reopen" }).click();
    await page.getByTestId("tasks-empty").getByRole("heading", { name: "No finished tasks" }).waitFor();
  });

  it("speaks Chinese", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    await page.goto(`${base()}/monitors`);
    await page.getByRole("heading", { name: "行为监控", exact: true }).waitFor();
    const row = page.getByTestId("monitors-table").locator("tbody tr").first();
    await expect(row.getByTestId("monitor-status").textContent()).resolves.toBe("运行中");
    await expect(row.getByTestId("monitor-rule").textContent()).resolves.toContain("最近 30 天内，Order Completed 至少 3 次");
    await shoot("monitors-list-zh");

    await page.goto(`${app.url}/w/${seeded.emptySlug}/monitors`);
    await page.getByTestId("monitors-empty").getByRole("heading", { name: "还没有行为监控" }).waitFor();
    await page.getByTestId("monitors-empty").getByRole("link", { name: /^30 天内购买 3 次 → 500 积分/ }).click();
    await page.waitForURL(/example=repeat_buyer/);
    expect(await page.getByLabel("名称", { exact: true }).inputValue()).toBe("30 天内购买 3 次");
    await shoot("monitor-editor-zh");

    await page.goto(buyerUrl);
    await page.getByTestId("points-card").getByText("积分", { exact: true }).first().waitFor();
    expect(await page.getByTestId("points-balance").textContent()).toBe("550");
    await expect(page.getByTestId("coupons-card").textContent()).resolves.toContain("已发放");
    await shoot("profile-zh");

    await page.goto(`${base()}/rewards/coupons`);
    await page.getByRole("link", { name: "卡券中心" }).waitFor();
    await expect(page.getByTestId("campaigns-table").textContent()).resolves.toContain("已发放");
    await shoot("coupons-zh");

    await page.goto(`${base()}/tasks?status=open&assignee=anyone`);
    await page.getByRole("heading", { name: "任务", exact: true }).waitFor();
    await page.getByRole("button", { name: "标记完成" }).waitFor();
    await shoot("tasks-zh");
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
  });
});
