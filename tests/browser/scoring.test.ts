import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { contacts } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { refreshFit } from "@/lib/scoring/fit";
import { createScoringRule } from "@/lib/scoring/rules";
import { scoringRuleInput } from "@/lib/scoring/schema";
import { saveScoringSettings } from "@/lib/scoring/settings";
import { parseBatchItem } from "@/lib/tracking/calls";
import { ingestCalls } from "@/lib/tracking/ingest";
import { processPendingEvents } from "@/lib/tracking/process";
import { ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { appKinds, browserSkipReason, freshAppDatabase, launchChromium, openAppDatabase, screenshot, startApp, until, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

const day = 86_400_000;
const titles = ["VP Marketing", "Engineer", "Director of Sales", "Analyst", "VP Engineering", "Designer", "Student", "Director of IT"];
const names = ["Ann", "Ben", "Cai", "Dan", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kim", "Lin", "Max", "Nia", "Oz", "Pia", "Qi", "Ray", "Sam", "Tao", "Uma", "Vic", "Wu", "Xia"];

// 24 contacts with job titles and two weeks of pricing visits and demo requests, under two fit
// and two engagement rules, thresholds that make some of them leads and MQLs, and an owner.
async function seed(database: Database, owner: { email: string; password: string }) {
  const db = database.db;
  const boss = await createBoss(database, { maintenance: false });
  await ensureQueues(boss, jobs);
  setBoss(boss);
  try {
    const { workspace, user } = await ensureOwnerWorkspace(db, { ...owner, name: "Sam Owner", workspaceName: "Harbour Software", timezone: "UTC" });
    const now = Date.now();
    const send = async (calls: Array<Record<string, unknown>>) => {
      await ingestCalls(
        db,
        workspace.id,
        calls.map((raw, index) => {
          const parsed = parseBatchItem({ messageId: `seed-${index}-${Math.random()}`, ...raw });
          if ("reason" in parsed) throw new Error(parsed.reason);
          return parsed.call;
        }),
      );
      for (;;) if ((await processPendingEvents(db, workspace.id, 500)).taken === 0) break;
    };
    await send(
      names.map((name, index) => ({
        type: "identify",
        userId: `u-${index}`,
        traits: { email: `${name.toLowerCase()}@harbour.example`, first_name: name, job_title: titles[index % titles.length] },
        timestamp: new Date(now - 20 * day).toISOString(),
      })),
    );
    await createScoringRule(db, workspace.id, scoringRuleInput.parse({ kind: "attribute", name: "VP title", rule: { in: ["VP", { var: "attributes.job_title" }] }, points: 20 }));
    await createScoringRule(db, workspace.id, scoringRuleInput.parse({ kind: "attribute", name: "Director title", rule: { in: ["Director", { var: "attributes.job_title" }] }, points: 10 }));
    await createScoringRule(
      db,
      workspace.id,
      scoringRuleInput.parse({ kind: "behaviour", name: "Visited pricing", event: "Page Viewed", where: { in: ["/pricing", { var: "properties.path" }] }, points: 10, cap: { count: 3, per: "week" } }),
    );
    await createScoringRule(db, workspace.id, scoringRuleInput.parse({ kind: "behaviour", name: "Requested a demo", event: "Demo Requested", points: 25 }));
    await saveScoringSettings(db, workspace.id, { thresholds: { lead: 10, mql: 45, sql: 80 }, owner: user.email, decay: { kind: "halve", days: 30 }, handoff_webhook_url: "https://crm.example.test/mql" });
    const visits = names.flatMap((_, index) =>
      Array.from({ length: (index * 7) % 6 }, (_, visit) => ({
        type: "track",
        event: "Page Viewed",
        userId: `u-${index}`,
        properties: { path: visit % 2 === 0 ? "/pricing" : "/pricing/enterprise" },
        timestamp: new Date(now - (12 - visit * 2) * day).toISOString(),
      })),
    );
    const demos = names.filter((_, index) => index % 5 === 0).map((_, index) => ({ type: "track", event: "Demo Requested", userId: `u-${index * 5}`, timestamp: new Date(now - 2 * day).toISOString() }));
    await send([...visits, ...demos, ...names.map((_, index) => ({ type: "track", event: "Signed In", userId: `u-${index}`, timestamp: new Date(now - day).toISOString() }))]);
    await refreshFit(db, workspace.id, undefined, new Date());
    const [top] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspace.id), eq(contacts.lifecycleStage, "mql")))
      .orderBy(contacts.score)
      .limit(1);
    return { slug: workspace.slug, mql: top };
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
    (globalThis as { tidelineBoss?: unknown }).tidelineBoss = undefined;
    (globalThis as { tidelineBossReady?: unknown }).tidelineBossReady = undefined;
  }
}

describe.skipIf(Boolean(skipReason)).each(appKinds)("lead scoring in Chromium on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let seeded: Awaited<ReturnType<typeof seed>>;
  const owner = { email: `owner-${kind}@example.test`, password: "owner password 1" };
  const scoring = () => `${app.url}/w/${seeded.slug}/scoring`;
  const shoot = (name: string) => screenshot(page, `scoring-${kind}-${name}`);

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

  it("shows the rules, the spread of scores and the MQLs, from the sidebar", async () => {
    await page.goto(`${app.url}/w/${seeded.slug}`);
    await page.getByRole("link", { name: "Scoring" }).click();
    await page.waitForURL(/\/scoring$/);
    await page.getByRole("heading", { name: "Lead scoring", level: 1 }).waitFor();
    const fit = page.getByTestId("scoring-rules-attribute");
    await expect(fit.locator("tbody tr").count()).resolves.toBe(2);
    await expect(fit.textContent()).resolves.toContain("VP title");
    const engagement = page.getByTestId("scoring-rules-behaviour");
    await expect(engagement.locator("tr", { hasText: "Visited pricing" }).textContent()).resolves.toContain("at most 3 × a week");
    await page.getByTestId("score-distribution").locator(".recharts-bar-rectangle path").first().waitFor();
    await expect(page.getByTestId("score-distribution").textContent()).resolves.toContain("MQL ≥ 45");
    const mqls = page.getByTestId("mql-table");
    await expect(mqls.getByRole("link", { name: seeded.mql.firstName! }).count()).resolves.toBe(1);
    await expect(mqls.textContent()).resolves.toContain("Open");
    await expect(page.getByLabel("MQL", { exact: true }).inputValue()).resolves.toBe("45");
    await shoot("page-en");
  });

  it("adds an engagement rule in the dialog (refusing a missing name), switches it off and deletes it", async () => {
    await page.goto(scoring());
    await page.getByRole("button", { name: "Add engagement rule" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Event", { exact: true }).fill("Webinar Attended");
    await dialog.getByLabel("Points", { exact: true }).fill("15");
    await dialog.getByLabel("Limit how often it scores", { exact: true }).check();
    await dialog.getByLabel("Times", { exact: true }).fill("1");
    await dialog.getByLabel("Per", { exact: true }).selectOption("day");
    await dialog.getByRole("button", { name: "Save rule" }).click();
    await dialog.getByText("Give the rule a name.").waitFor();
    await dialog.getByLabel("Name", { exact: true }).fill("Attended a webinar");
    await shoot("rule-dialog");
    await dialog.getByRole("button", { name: "Save rule" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByTestId("scoring-rules-behaviour").locator("tr", { hasText: "Attended a webinar" });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("at most 1 × a day");
    await expect(row.textContent()).resolves.toContain("+15");

    await row.getByRole("switch").click();
    await until(async () => expect(await row.getByRole("switch").getAttribute("aria-checked")).toBe("false"), "the rule to be off");
    // The switch moves at once; the toast says the server has it.
    await page.getByText("Rule off").waitFor();
    await page.reload();
    await expect(page.getByTestId("scoring-rules-behaviour").locator("tr", { hasText: "Attended a webinar" }).getByRole("switch").getAttribute("aria-checked")).resolves.toBe("false");

    page.once("dialog", (confirm) => confirm.accept());
    await page.getByRole("button", { name: "Delete Attended a webinar" }).click();
    await until(async () => expect(await page.getByTestId("scoring-rules-behaviour").locator("tr", { hasText: "Attended a webinar" }).count()).toBe(0), "the rule to go");
  });

  it("saves thresholds in order only, then recalculates with a progress bar", async () => {
    await page.goto(scoring());
    const settings = page.getByTestId("scoring-settings");
    await settings.getByLabel("Lead", { exact: true }).fill("50");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await settings.getByText("Each stage needs a higher score than the one before it.").waitFor();
    await settings.getByLabel("Lead", { exact: true }).fill("10");
    await settings.getByLabel("SQL", { exact: true }).fill("75");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved").waitFor();
    await page.reload();
    await expect(page.getByTestId("scoring-settings").getByLabel("SQL", { exact: true }).inputValue()).resolves.toBe("75");

    const panel = page.getByTestId("scoring-recalculation");
    await expect(panel.textContent()).resolves.toContain("Rules changed since the last recalculation");
    await panel.getByRole("button", { name: "Recalculate scores" }).click();
    await until(async () => expect(await panel.textContent()).toContain("Last recalculated"), "the recalculation to finish", 60_000);
    await expect(panel.getByTestId("recalculation-progress").getAttribute("aria-valuetext")).resolves.toBe("100%");
    await page.reload();
    await expect(page.getByTestId("scoring-recalculation").textContent()).resolves.not.toContain("Rules changed");
    await shoot("recalculated");
  });

  it("shows the score card on the contact's profile", async () => {
    await page.goto(`${app.url}/w/${seeded.slug}/contacts/${seeded.mql.id}`);
    const card = page.getByTestId("contact-score");
    await card.waitFor();
    await expect(card.getByTestId("contact-score-value").textContent()).resolves.toBe(String(seeded.mql.score));
    await expect(card.getByTestId("contact-score-stage").textContent()).resolves.toBe("MQL");
    await expect(card.getByTestId("contact-score-history").textContent()).resolves.toContain("Became MQL");
    await shoot("profile-en");
    if (process.env.SCREENSHOT_DIR) await card.screenshot({ path: `${process.env.SCREENSHOT_DIR}/scoring-${kind}-card.png` });
  });

  it("speaks Chinese", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    await page.goto(scoring());
    await page.getByRole("heading", { name: "线索评分", level: 1 }).waitFor();
    await expect(page.getByTestId("scoring-rules-behaviour").textContent()).resolves.toContain("每周最多 3 次");
    await shoot("page-zh");
    await page.goto(`${app.url}/w/${seeded.slug}/contacts/${seeded.mql.id}`);
    await expect(page.getByTestId("contact-score").textContent()).resolves.toContain("匹配度");
    await shoot("profile-zh");
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
  });
});
