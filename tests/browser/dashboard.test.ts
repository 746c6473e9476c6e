import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Database } from "@/db/client";
import { broadcasts, contacts, events, messageEvents, messages, type NewMessage } from "@/db/schema";
import { dashboardRange } from "@/lib/dashboard/range";
import { createWorkspace, ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { appKinds, browserSkipReason, freshAppDatabase, launchChromium, openAppDatabase, screenshot, startApp, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

const timezone = "Asia/Shanghai";
const hour = 3600_000;
const day = 24 * hour;

interface Seeded {
  slug: string;
  emptySlug: string;
  freshSlug: string;
  saleId: string;
}

// A shop in Shanghai with a week of activity, times set against its local days so the figures
// do not depend on when the test runs: 6 contacts (3 in the last 7 days, 1 in the 7 before,
// 2 three weeks ago), 10 events in the last 7 days (3 today), one broadcast of 4 emails.
async function seed(database: Database, owner: { email: string; password: string }): Promise<Seeded> {
  const db = database.db;
  const { workspace, user } = await ensureOwnerWorkspace(db, { ...owner, workspaceName: "Harbour Shop", timezone });
  const empty = await createWorkspace(db, { name: "Quiet Shop", ownerId: user.id, timezone });
  // One contact, imported a month ago: a dashboard with nothing in the last week.
  const fresh = await createWorkspace(db, { name: "Fresh Shop", ownerId: user.id, timezone });
  await db.insert(contacts).values({ workspaceId: fresh.workspace.id, email: "first@example.test", createdAt: new Date(Date.now() - 30 * day) });
  const workspaceId = workspace.id;
  const now = Date.now();
  const today = dashboardRange(1, timezone, new Date(now)).from.getTime();
  /** 06:00 local, `days` days ago. */
  const morning = (days: number) => new Date(today - days * day + 6 * hour);
  const earlierToday = new Date(today + (now - today) / 2);

  const [ann, ben, cai, dan] = await db
    .insert(contacts)
    .values([
      { workspaceId, email: "ann@example.test", firstName: "Ann", createdAt: morning(2) },
      { workspaceId, email: "ben@example.test", firstName: "Ben", createdAt: morning(3) },
      { workspaceId, email: "cai@example.test", firstName: "Cai", createdAt: earlierToday },
      { workspaceId, email: "dan@example.test", firstName: "Dan", createdAt: morning(10) },
      { workspaceId, email: "eve@example.test", createdAt: morning(20) },
      { workspaceId, email: "fay@example.test", createdAt: morning(21) },
    ])
    .returning();
  const event = (name: string, contactId: string, timestamp: Date, properties: Record<string, number> = {}) => ({
    workspaceId,
    messageId: randomUUID(),
    type: "track" as const,
    name,
    contactId,
    properties,
    timestamp,
  });

  const [sale] = await db
    .insert(broadcasts)
    .values([
      {
        workspaceId,
        name: "Spring sale",
        status: "sent",
        channel: "email",
        templateId: randomUUID(),
        audience: { include: [], exclude: [] },
        conversion: { event: "Order Completed", revenueProperty: "total", windowHours: 24 },
        startedAt: morning(2),
        createdAt: morning(2),
      },
    ])
    .returning();
  await db.insert(broadcasts).values({ workspaceId, name: "Summer teaser", status: "draft", channel: "email", templateId: randomUUID(), audience: { include: [], exclude: [] } });
  const message = (contactId: string, values: Partial<NewMessage>): NewMessage => ({
    workspaceId,
    idempotencyKey: `broadcast:${sale.id}:contact:${contactId}`,
    source: "broadcast",
    sourceId: sale.id,
    contactId,
    channel: "email",
    kind: "marketing",
    status: "delivered",
    createdAt: morning(2),
    sentAt: morning(2),
    ...values,
  });
  const sentAt = morning(2).getTime();
  const [, benMail, caiMail] = await db
    .insert(messages)
    .values([
      message(ann.id, { status: "clicked", openedAt: new Date(sentAt + hour), clickedAt: new Date(sentAt + hour) }),
      message(ben.id, { status: "opened", openedAt: new Date(sentAt + 2 * hour) }),
      message(cai.id, {}),
      message(dan.id, { status: "bounced" }),
    ])
    .returning();
  await db.insert(messageEvents).values([
    // A mail privacy proxy fetched Cai's pixel: not a person, not an open.
    { workspaceId, messageId: caiMail.id, type: "opened", bot: true, at: new Date(sentAt + 60_000) },
    { workspaceId, messageId: benMail.id, type: "unsubscribed", at: new Date(sentAt + 3 * hour) },
  ]);
  await db.insert(events).values([
    ...[1, 2, 3, 4, 5].map((days) => event("Page Viewed", ann.id, morning(days))),
    ...[0, 1, 2].map(() => event("Page Viewed", cai.id, earlierToday)),
    event("Page Viewed", dan.id, morning(10)),
    // 2 h after the sale: attributed. 30 h after: outside its 24 h window.
    event("Order Completed", ann.id, new Date(sentAt + 2 * hour), { total: 120.5 }),
    event("Order Completed", ben.id, new Date(sentAt + 30 * hour), { total: 999 }),
  ]);
  return { slug: workspace.slug, emptySlug: empty.workspace.slug, freshSlug: fresh.workspace.slug, saleId: sale.id };
}

describe.skipIf(Boolean(skipReason)).each(appKinds)("dashboard in Chromium on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let seeded: Seeded;
  const owner = { email: `owner-${kind}@example.test`, password: "owner password 1" };
  const home = () => `${app.url}/w/${seeded.slug}`;
  const kpi = (id: string) => page.getByTestId(`kpi-${id}-value`).textContent();
  const shoot = (name: string) => screenshot(page, `dashboard-${kind}-${name}`);

  beforeAll(async () => {
    target = await freshAppDatabase(kind);
    const database = await openAppDatabase(target.database);
    try {
      seeded = await seed(database, owner);
    } finally {
      await database.close();
    }
    app = await startApp(kind, {}, { database: target.database });
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

  it("shows the week's figures, with the change against the week before", async () => {
    await page.goto(`${home()}?range=7`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await expect(kpi("contacts")).resolves.toBe("6");
    await expect(kpi("new-contacts")).resolves.toBe("3");
    await expect(page.getByTestId("kpi-new-contacts").getByTestId("kpi-change").textContent()).resolves.toBe("▲up 200% vs previous 7 days");
    await expect(kpi("events-today")).resolves.toBe("3");
    await expect(page.getByTestId("kpi-events-today").textContent()).resolves.toContain("10 events in these 7 days");
    await expect(kpi("sent")).resolves.toBe("4");
    // Ann and Ben opened, Cai only through a proxy, Dan bounced.
    await expect(kpi("open-rate")).resolves.toBe("66.7%");
    await expect(page.getByTestId("kpi-open-rate").textContent()).resolves.toContain("2 of 3 delivered emails opened by a person");
    await expect(kpi("click-rate")).resolves.toBe("33.3%");
    await expect(kpi("unsubscribed")).resolves.toBe("1");
    await expect(kpi("revenue")).resolves.toBe("120.5");
    await expect(page.getByTestId("kpi-revenue").textContent()).resolves.toContain("1 conversion within a broadcast's window");

    for (const chart of ["chart-contacts", "chart-events", "chart-messages"]) {
      await page.getByTestId(chart).locator("svg.recharts-surface").waitFor();
    }
    // Seven local days on the axis of a 7-day range, one bar per day with contacts.
    await expect.poll(() => page.getByTestId("chart-contacts").locator(".recharts-bar-rectangle path").count()).toBe(3);
    await expect(page.getByTestId("chart-messages").locator(".recharts-line").count()).resolves.toBe(3);

    const table = page.getByTestId("recent-broadcasts");
    await expect(table.getByRole("link", { name: "Spring sale" }).getAttribute("href")).resolves.toBe(`/w/${seeded.slug}/broadcasts/${seeded.saleId}`);
    const sale = table.locator("tr", { hasText: "Spring sale" });
    await expect(sale.textContent()).resolves.toContain("Sent4");
    await expect(sale.textContent()).resolves.toContain("66.7%");
    await expect(table.locator("tr", { hasText: "Summer teaser" }).textContent()).resolves.toContain("Draft");
    await shoot("week-en");
  });

  it("changes the range by link, from the keyboard, and keeps it in the address", async () => {
    await page.goto(`${home()}?range=7`);
    const picker = page.getByTestId("range-picker");
    await expect(picker.getByRole("link", { name: "7 days" }).getAttribute("aria-current")).resolves.toBe("page");
    await picker.getByRole("link", { name: "30 days" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\?range=30$/);
    await expect(picker.getByRole("link", { name: "30 days" }).getAttribute("aria-current")).resolves.toBe("page");
    await expect.poll(() => kpi("new-contacts")).toBe("6");
    await expect(page.getByTestId("kpi-new-contacts").getByTestId("kpi-change").textContent()).resolves.toBe("▲up New: none in the previous 30 days");
    await picker.getByRole("link", { name: "90 days" }).click();
    await page.waitForURL(/\?range=90$/);
    await page.getByTestId("chart-events").locator("svg.recharts-surface").waitFor();
    await shoot("quarter-en");
  });

  it("speaks Simplified Chinese, numbers and dates included", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    try {
      await page.goto(`${home()}?range=7`);
      await page.getByRole("heading", { name: "仪表盘", level: 1 }).waitFor();
      await expect(page.getByTestId("kpi-new-contacts").textContent()).resolves.toContain("新增联系人");
      await expect(page.getByTestId("kpi-events-today").textContent()).resolves.toContain("今日事件");
      await expect(page.getByTestId("kpi-open-rate").textContent()).resolves.toContain("打开率");
      await expect(page.getByTestId("kpi-revenue").textContent()).resolves.toContain("归因收入");
      await expect(kpi("open-rate")).resolves.toBe("66.7%");
      await expect(kpi("revenue")).resolves.toBe("120.5");
      await expect(page.getByTestId("kpi-new-contacts").getByTestId("kpi-change").textContent()).resolves.toBe("▲上升 200%，较前 7 天");
      await expect(page.getByTestId("range-picker").getByRole("link", { name: "近 7 天" }).getAttribute("aria-current")).resolves.toBe("page");
      await page.getByTestId("chart-messages").locator("svg.recharts-surface").waitFor();
      // Axis dates in Chinese ("3月5日").
      await expect.poll(() => page.getByTestId("chart-events").locator(".recharts-cartesian-axis-tick-value").first().textContent()).toMatch(/^\d+月\d+日$/);
      await expect(page.getByTestId("recent-broadcasts").textContent()).resolves.toContain("草稿");
      await shoot("week-zh");
    } finally {
      await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
    }
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const phone = await browser.newPage({ locale: "en-US", viewport: { width: 390, height: 844 } });
    try {
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(`${home()}?range=30`);
      await phone.getByTestId("chart-messages").locator("svg.recharts-surface").waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone, `dashboard-${kind}-phone-en`);
    } finally {
      await phone.close();
    }
  });

  it("says what to do next where a chart or the broadcasts have nothing to show", async () => {
    await page.goto(`${app.url}/w/${seeded.freshSlug}?range=7`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await expect(kpi("contacts")).resolves.toBe("1");
    await expect(kpi("open-rate")).resolves.toBe("—");
    await expect(page.getByTestId("kpi-open-rate").textContent()).resolves.toContain("No emails delivered in these 7 days");
    await expect(page.getByTestId("kpi-events-today").textContent()).resolves.toContain("No events in these 7 days");
    await expect(kpi("revenue")).resolves.toBe("—");
    await expect(page.getByTestId("kpi-revenue").textContent()).resolves.toContain("Set a conversion event on a broadcast to attribute revenue to it.");
    await expect(page.getByTestId("chart-contacts-empty").textContent()).resolves.toContain("No new contacts in these 7 days.");
    await expect(page.getByTestId("chart-contacts-empty").getByRole("link", { name: "Import contacts" }).getAttribute("href")).resolves.toBe(`/w/${seeded.freshSlug}/contacts/import`);
    await expect(page.getByTestId("chart-events-empty").textContent()).resolves.toContain("No events in these 7 days.");
    await expect(page.getByTestId("chart-messages-empty").textContent()).resolves.toContain("Nothing sent in these 7 days.");
    await expect(page.locator("svg.recharts-surface").count()).resolves.toBe(0);
    await expect(page.getByTestId("recent-broadcasts-empty").textContent()).resolves.toContain("No broadcasts yet");
    await shoot("nothing-this-week-en");
  });

  it("keeps the getting-started guide for a workspace with nothing yet, and says what comes next", async () => {
    await page.goto(`${app.url}/w/${seeded.emptySlug}`);
    await page.getByRole("heading", { name: "Welcome to Quiet Shop" }).waitFor();
    await expect(page.getByTestId("dashboard-empty").textContent()).resolves.toContain("Your dashboard starts with the first contact");
    await expect(page.getByTestId("dashboard-empty").getByRole("link", { name: "Import contacts" }).getAttribute("href")).resolves.toBe(`/w/${seeded.emptySlug}/contacts/import`);
    await expect(page.getByTestId("write-key").textContent()).resolves.toMatch(/^wk_/);
    await expect(page.getByTestId("kpi-contacts").count()).resolves.toBe(0);
    await shoot("empty-en");

    // With data, the guide is still there, folded away below the dashboard.
    await page.goto(home());
    const guide = page.getByTestId("getting-started");
    await expect(guide.getByTestId("write-key").isVisible()).resolves.toBe(false);
    await guide.getByText("Getting started: write key, snippet and team").click();
    await expect(guide.getByTestId("write-key").isVisible()).resolves.toBe(true);
  });
});
