import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { contacts } from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { suppressAddress } from "@/lib/messages/suppressions";
import { createTemplate } from "@/lib/messages/templates";
import { createSegment } from "@/lib/segments/manage";
import { changeListMembers } from "@/lib/segments/membership";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createWorkspace, ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { appKinds, browserSkipReason, freshAppDatabase, launchChromium, openAppDatabase, screenshot, startApp, until, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

const zone = "Asia/Shanghai";

interface Seeded {
  slug: string;
  emptySlug: string;
}

// Written before the server starts (the embedded data directory opens in one process at a
// time): a workspace in Shanghai time with a template, a list of 6 contacts (one of them on
// the suppression list) and a list of 200 for the A/B test; and a workspace with nothing yet.
async function seed(database: Database, owner: { email: string; password: string }): Promise<Seeded> {
  const boss = await createBoss(database, { maintenance: false });
  await ensureQueues(boss, jobs);
  setBoss(boss);
  try {
    const db = database.db;
    const { workspace, user } = await ensureOwnerWorkspace(db, { ...owner, workspaceName: "Broadcast Shop", timezone: zone });
    const empty = await createWorkspace(db, { name: "Fresh Shop", ownerId: user.id });
    await createTemplate(
      db,
      workspace.id,
      templateCreateSchema.parse({
        name: "Spring newsletter",
        channel: "email",
        format: "code",
        subject: "Spring is here, {{ contact.first_name | default: \"friend\" }}",
        from_email: "news@shop.example.test",
        content: { component: "newsletter", props: {} },
      }),
    );
    const newsletter = await db
      .insert(contacts)
      .values(Array.from({ length: 6 }, (_, index) => ({ workspaceId: workspace.id, email: `reader${index}@example.test`, firstName: `Reader${index}` })))
      .returning({ id: contacts.id });
    const list = await createSegment(db, workspace.id, { name: "Newsletter readers", kind: "static" });
    await changeListMembers(db, workspace.id, list.id, { add: newsletter.map((row) => row.id) });
    await suppressAddress(db, { workspaceId: workspace.id, channel: "email", address: "reader5@example.test", reason: "hard_bounce" });

    const customers = await db
      .insert(contacts)
      .values(Array.from({ length: 200 }, (_, index) => ({ workspaceId: workspace.id, email: `customer${index}@example.test`, firstName: `Customer${index}` })))
      .returning({ id: contacts.id });
    const customerList = await createSegment(db, workspace.id, { name: "Spring customers", kind: "static" });
    await changeListMembers(db, workspace.id, customerList.id, { add: customers.map((row) => row.id) });
    await db.execute(sql`insert into events (workspace_id, message_id, type, name, contact_id, properties, timestamp)
      values (${workspace.id}, 'seed-order-1', 'track', 'Order Completed', ${customers[0].id}, '{"revenue": 10}'::jsonb, now() - interval '30 days')`);
    return { slug: workspace.slug, emptySlug: empty.workspace.slug };
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
  }
}

/** What a datetime-local input holds for this moment in the zone. */
function wallClock(moment: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(moment)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

describe.skipIf(Boolean(skipReason)).each(appKinds)("broadcasts in Chromium on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let seeded: Seeded;
  let abUrl = "";
  const owner = { email: `owner-${kind}@example.test`, password: "owner password 1" };
  const env = { SMTP_URL: "", EMAIL_FROM: "Tideline <noreply@tideline.test>" };
  const base = () => `${app.url}/w/${seeded.slug}/broadcasts`;
  const shoot = (name: string) => screenshot(page, `broadcasts-${kind}-${name}`);

  async function signIn() {
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/w\/[^/]+/);
  }

  const status = () => page.getByTestId("broadcast-status").first().getAttribute("data-status");

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
    await signIn();
  });

  afterAll(async () => {
    if (process.env.SHOW_APP_LOGS) console.log(app?.logs());
    await browser?.close();
    await app?.stop();
    await target?.drop();
  });

  it("says what a broadcast needs first, with links to make it", async () => {
    await page.goto(`${app.url}/w/${seeded.emptySlug}/broadcasts`);
    const empty = page.getByTestId("broadcasts-empty");
    await empty.getByRole("heading", { name: "A broadcast needs a template and an audience" }).waitFor();
    expect(await empty.getByRole("link", { name: "Create a template" }).getAttribute("href")).toBe(`/w/${seeded.emptySlug}/templates/new`);
    expect(await empty.getByRole("link", { name: "Create a segment" }).getAttribute("href")).toBe(`/w/${seeded.emptySlug}/segments/new`);
    await shoot("empty-prerequisites");

    await page.goto(base());
    await page.getByTestId("broadcasts-empty").getByRole("heading", { name: "No broadcasts yet" }).waitFor();
    await expect(page.getByRole("link", { name: "Broadcasts", exact: true }).getAttribute("aria-current")).resolves.toBe("page");
    await shoot("empty");
  });

  it("refuses an incomplete form next to the fields concerned", async () => {
    await page.getByRole("link", { name: "Create a broadcast" }).click();
    await page.waitForURL(/\/broadcasts\/new$/);
    await page.getByRole("button", { name: "Save draft" }).click();
    const form = page.getByTestId("broadcast-form");
    await form.getByText("Give the broadcast a name (at most 200 characters).").waitFor();
    await page.getByTestId("audience-include").getByText("Include at least one segment or list (at most 20).").waitFor();
    await expect(page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).resolves.toBe("true");

    // A/B variants: an error points at the variant and field it concerns.
    await page.getByLabel("A/B test").click();
    await page.getByTestId("variant-B").getByLabel("From email").fill("not an address");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.getByTestId("variant-B").getByText("Enter a valid email address.").waitFor();
    expect(await page.getByTestId("variant-A").getByText("Enter a valid email address.").count()).toBe(0);
    await shoot("form-errors");
    await page.getByTestId("variant-B").getByLabel("From email").fill("");
    await page.getByLabel("A/B test").click();
  });

  it("creates a broadcast, schedules it in the workspace's time zone, unschedules it and sends it now", async () => {
    await page.getByLabel("Name", { exact: true }).fill("Spring newsletter");
    const include = page.getByTestId("audience-include");
    await include.getByRole("checkbox", { name: /Newsletter readers/ }).check();
    // The live count: the list's 6 members (the suppressed one is only left out when sending).
    await until(async () => expect(await page.getByTestId("audience-count-value").textContent()).toBe("6 contacts are in this audience now"), "the audience count");
    // Chosen on one side, it is not offered on the other.
    expect(await page.getByTestId("audience-exclude").getByRole("checkbox", { name: /Newsletter readers/ }).count()).toBe(0);

    await page.getByLabel("At a time").check();
    expect(await page.getByTestId("schedule-zone").textContent()).toBe("In Asia/Shanghai, the workspace's time zone.");
    const at = new Date(Date.now() + 30 * 60_000);
    await page.getByLabel("Send at").fill(wallClock(at, zone));
    await shoot("form");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/broadcasts\/[0-9a-f-]{36}$/);
    expect(await status()).toBe("draft");
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    const shown = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(minute);
    await expect(page.getByTestId("broadcast-settings").textContent()).resolves.toContain(`${shown} (Asia/Shanghai)`);

    // Edit shows the draft as saved: the time as it was typed, in the workspace's zone.
    await page.getByRole("link", { name: "Edit" }).click();
    await page.waitForURL(/\/edit$/);
    expect(await page.getByLabel("Send at").inputValue()).toBe(wallClock(at, zone));
    expect(await page.getByTestId("audience-include").getByRole("checkbox", { name: /Newsletter readers/ }).isChecked()).toBe(true);
    await page.getByLabel("Name", { exact: true }).fill("Spring newsletter");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(/\/broadcasts\/[0-9a-f-]{36}$/);

    await page.getByRole("button", { name: "Schedule" }).click();
    await page.getByRole("dialog").getByText("now 6 contacts").waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "Schedule" }).click();
    await until(async () => expect(await status()).toBe("scheduled"), "the scheduled status");
    await expect(page.getByTestId("broadcast-timing").textContent()).resolves.toBe(`Sending starts ${shown}.`);
    await shoot("scheduled");

    await page.getByRole("button", { name: "Unschedule" }).click();
    await until(async () => expect(await status()).toBe("draft"), "the draft status again");

    await page.getByRole("button", { name: "Send now" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Send now" }).click();
    // The live bar goes to done, then the page turns to the results.
    let sawDone = false;
    await until(
      async () => {
        if ((await status()) === "sent") return;
        expect(await page.getByTestId("live-progress").getByTestId("broadcast-progress").getAttribute("data-done", { timeout: 1000 })).toBe("true");
        if (!sawDone) await shoot("progress-done");
        sawDone = true;
      },
      "the progress bar to finish",
      60_000,
    );
    await until(async () => expect(await status()).toBe("sent"), "the sent status", 60_000);
    await page.getByTestId("results").waitFor();
    // Six in the list, one suppressed: five sent.
    expect(await page.getByTestId("kpi-sent-value").textContent()).toBe("5");
    expect(await page.getByTestId("kpi-not-sent").textContent()).toContain("1 suppressed");
    await page.getByTestId("funnel-chart").locator(".recharts-bar-rectangle").first().waitFor();
    await shoot("sent");

    await page.goto(base());
    const row = page.getByTestId("broadcasts-table").locator("tbody tr", { has: page.getByRole("link", { name: "Spring newsletter", exact: true }) });
    expect(await row.getByTestId("broadcast-status").getAttribute("data-status")).toBe("sent");
    expect(await row.getByTestId("broadcast-results").textContent()).toContain("5 sent");
    await shoot("list");
  });

  it("runs an A/B split with conversion tracking and reads its results", async () => {
    await page.goto(`${base()}/new`);
    await page.getByLabel("Name", { exact: true }).fill("Spring sale A/B");
    await page.getByTestId("audience-include").getByRole("checkbox", { name: /Spring customers/ }).check();
    await until(async () => expect(await page.getByTestId("audience-count-value").textContent()).toBe("200 contacts are in this audience now"), "the audience count");
    await page.getByLabel("A/B test").click();
    await page.getByLabel("Compare on").selectOption("opens");
    await page.getByTestId("variant-A").getByLabel("Subject").fill("Spring sale: 20% off");
    await page.getByTestId("variant-B").getByLabel("Subject").fill("Your spring discount inside");
    await page.getByLabel("Conversion tracking").click();
    expect(await page.getByLabel("Conversion event").inputValue()).toBe("Order Completed");
    await shoot("form-ab");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/broadcasts\/[0-9a-f-]{36}$/);
    abUrl = page.url();
    await expect(page.getByTestId("broadcast-settings").textContent()).resolves.toContain("Split between 2 variants (A 50% · B 50%), compared on Opens");
    await page.getByRole("button", { name: "Send now" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Send now" }).click();
    await until(async () => expect(await status()).toBe("sent"), "the sent status", 90_000);
    expect(await page.getByTestId("kpi-sent-value").textContent()).toBe("200");
  });

  it("shows opens, clicks, conversions and which variant won", async () => {
    // What recipients did, written while the app is stopped: A opened by 60%, B by 25%, a
    // third of the openers clicked and bought, over the hours after sending; and the test
    // turned into a winner test whose job chose A.
    await app.stop();
    const database = await openAppDatabase(target.database);
    try {
      const db = database.db;
      const broadcastId = abUrl.split("/").at(-1)!;
      const [{ workspace_id: workspaceId }] = await queryRows<{ workspace_id: string }>(db, sql`select workspace_id from broadcasts where id = ${broadcastId}`);
      const started = new Date(Date.now() - 6 * 3600_000);
      // As a winner test's job leaves it: the test's decision, made two hours after the start.
      const decision = { metric: "opens", variants: {}, pValue: 0.0004, significant: true };
      await db.execute(sql`update broadcasts set started_at = ${started.toISOString()}::timestamptz,
        ab_test = ${JSON.stringify({ mode: "winner", testPercent: 20, metric: "opens", waitHours: 2 })}::jsonb,
        test_ends_at = ${new Date(started.getTime() + 2 * 3600_000).toISOString()}::timestamptz, winner_variant = 'A',
        winner_chosen_at = ${new Date(started.getTime() + 2 * 3600_000).toISOString()}::timestamptz, winner_decision = ${JSON.stringify(decision)}::jsonb
        where id = ${broadcastId}`);
      const rows = await queryRows<{ id: string; contact_id: string; variant: string; n: number }>(
        db,
        sql`select id, contact_id, variant, (row_number() over (partition by variant order by id))::int as n from messages where source = 'broadcast' and source_id = ${broadcastId}`,
      );
      for (const row of rows) {
        const sentAt = started;
        const opens = row.variant === "A" ? row.n % 10 < 6 : row.n % 20 < 5;
        const clicks = opens && row.n % 3 === 0;
        const openedAt = new Date(sentAt.getTime() + (row.n % 5) * 3600_000 + 10 * 60_000);
        const clickedAt = new Date(openedAt.getTime() + 5 * 60_000);
        await db.execute(sql`update messages set sent_at = ${sentAt.toISOString()}::timestamptz,
          opened_at = ${opens ? openedAt.toISOString() : null}::timestamptz, clicked_at = ${clicks ? clickedAt.toISOString() : null}::timestamptz,
          status = ${clicks ? "clicked" : opens ? "opened" : "sent"}::message_status where id = ${row.id}`);
        if (clicks) {
          const url = row.n % 2 === 0 ? "https://shop.example.test/spring-sale" : "https://shop.example.test/";
          await db.execute(sql`insert into message_events (workspace_id, message_id, type, details, at)
            values (${workspaceId}, ${row.id}, 'clicked', ${JSON.stringify({ url })}::jsonb, ${clickedAt.toISOString()}::timestamptz)`);
          await db.execute(sql`insert into events (workspace_id, message_id, type, name, contact_id, properties, timestamp)
            values (${workspaceId}, ${`order-${row.id}`}, 'track', 'Order Completed', ${row.contact_id}, ${JSON.stringify({ revenue: 49.9 })}::jsonb,
                    ${new Date(clickedAt.getTime() + 20 * 60_000).toISOString()}::timestamptz)`);
        }
      }
    } finally {
      await database.close();
    }
    app = await startApp(kind, env, { database: target.database });
    await page.goto(abUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, app.url));
    if (page.url().includes("/login")) await signIn().then(() => page.goto(abUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, app.url)));
    await page.getByTestId("variants").waitFor();
    const rowB = page.getByTestId("variants-table").locator('tr[data-variant="B"]');
    await expect(rowB.textContent()).resolves.toMatch(/A beats B: significant at 95% \(p [<=] /);
    await expect(page.getByTestId("variants-table").locator('tr[data-variant="A"]').textContent()).resolves.toContain("Leads on Opens");
    await expect(page.getByTestId("winner").textContent()).resolves.toMatch(/^Variant A won on Opens, chosen .+\. Its lead was significant at 95% \(p < 0\.001\)\.$/);
    expect(await page.getByTestId("variants-table").locator('tr[data-variant="A"]').getByText("Winner").count()).toBe(1);
    await expect(page.getByTestId("top-links").textContent()).resolves.toContain("https://shop.example.test/spring-sale");
    await expect(page.getByTestId("conversions").textContent()).resolves.toMatch(/Converted contacts\d+/);
    await page.getByTestId("activity-chart").locator(".recharts-area-area").first().waitFor();
    await shoot("results-ab");
  });

  it("speaks Chinese", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    await page.goto(base());
    await page.getByRole("heading", { name: "群发", exact: true }).waitFor();
    const row = page.getByTestId("broadcasts-table").locator("tbody tr", { has: page.getByRole("link", { name: "Spring newsletter", exact: true }) });
    await expect(row.getByTestId("broadcast-status").textContent()).resolves.toBe("已发送");
    await expect(row.getByTestId("broadcast-results").textContent()).resolves.toContain("已发送 5");
    await shoot("list-zh");
    await page.goto(abUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, app.url));
    await page.getByText("转化漏斗").waitFor();
    await shoot("results-zh");
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
  });
});
