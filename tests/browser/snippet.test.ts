import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { and, eq, sql } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { authenticateApiKey } from "@/db/queries/api-keys";
import { queryRows } from "@/db/sql";
import { contacts, events } from "@/db/schema";
import { createFreshPostgres, tempDir } from "../helpers/database";
import { appKinds, browserSkipReason, chromiumPath, setupThroughUi, startApp, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

interface SentCall {
  type: string;
  event?: string;
  userId?: string;
  anonymousId: string;
  messageId: string;
  timestamp: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context: {
    page: { url: string; path: string; referrer: string; search: string; title: string };
    campaign?: Record<string, string>;
    library: { name: string; version: string };
    locale?: string;
    timezone?: string;
    userAgent?: string;
    screen?: { width: number };
  };
  /** The status the batch that carried this call got. */
  status?: number;
}

const landingQuery = "?utm_source=newsletter&utm_medium=email&utm_campaign=spring";
const siteHost = "shop.test";

// How the test reads what the app stored. The embedded database can be opened by one process
// only, so that run turns off the in-app workers and processes through the app's own cron route
// (GET /api/cron/jobs: the same event.process job, inside `next start`), then stops the app
// and opens its data directory. The Postgres run keeps the default in-app workers and reads the
// database while the app runs.
interface StoredData {
  env: Record<string, string>;
  /** Waits until the app has processed every call stored so far. */
  drain(app: RunningApp): Promise<void>;
  /** Drains, then opens the app's database for reading. */
  settle(app: RunningApp): Promise<Database>;
  cleanup(): Promise<void>;
}

async function storedData(kind: "embedded" | "postgres"): Promise<StoredData> {
  if (kind === "embedded") {
    const dataDir = tempDir("tideline-snippet-");
    const cronSecret = "snippet-test-cron";
    let database: Database | undefined;
    const drain = async (app: RunningApp) => {
      const drained = await fetch(`${app.url}/api/cron/jobs`, { headers: { authorization: `Bearer ${cronSecret}` } });
      expect(drained.status).toBe(200);
      expect(((await drained.json()) as { queues: Record<string, { completed: number }> }).queues["event.process"].completed).toBeGreaterThan(0);
    };
    return {
      env: { DATA_DIR: dataDir, JOBS_IN_WEB: "false", CRON_SECRET: cronSecret },
      drain,
      async settle(app) {
        await drain(app);
        await app.stop();
        database = await openDatabase({ dataDir });
        return database;
      },
      async cleanup() {
        await database?.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const fresh = await createFreshPostgres();
  let database: Database | undefined;
  const drain = async () => {
    const opened = (database ??= await openDatabase({ url: fresh.url, migrate: false }));
    await expect
      .poll(
        async () => {
          const [row] = await queryRows<{ n: number }>(opened.db, sql`select count(*)::int as n from events where processed_at is null`);
          return Number(row.n);
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(0);
  };
  return {
    env: { DATABASE_URL: fresh.url },
    drain,
    async settle() {
      await drain();
      return database!;
    },
    async cleanup() {
      await database?.close();
      await fresh.drop();
    },
  };
}

// A customer's website on its own origin, with the install snippet copied from Tideline's home page.
function startSite(snippet: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    // The landing page signs the visitor up; every other page only carries the snippet.
    const signUp = request.url?.startsWith("/landing") ? 'tideline.track("Signed Up", { plan: "pro" });' : "";
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html>
<html><head><meta charset="utf-8"><title>Spring sale</title>
${snippet}
<script>
  // Made before t.js can have loaded: the stub queues it.
  window.queuedBeforeLoad = Array.isArray(window.tideline) ? window.tideline.length : -1;
  ${signUp}
</script>
</head><body><h1>Shop</h1></body></html>`);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ url: `http://${siteHost}:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

describe.skipIf(Boolean(skipReason)).each(appKinds)("the tracking snippet on a customer's site in Chromium on %s", (kind) => {
  let data: StoredData;
  let app: RunningApp;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startSite>>;
  let siteContext: BrowserContext;
  let page: Page;
  let writeKey = "";
  let snippet = "";
  let visitorId = "";
  const sent: SentCall[] = [];
  const pageErrors: string[] = [];
  const owner = { name: "Tia Tracker", email: `tia-${kind}@example.com`, password: "tracking password 1", workspace: "Snippet Shop" };

  async function waitForCall(description: string, predicate: (call: SentCall) => boolean): Promise<SentCall> {
    await expect.poll(() => sent.some((call) => predicate(call) && call.status !== undefined), { message: description, timeout: 15_000 }).toBe(true);
    const call = sent.find(predicate)!;
    expect(call.status, description).toBe(200);
    return call;
  }

  beforeAll(async () => {
    data = await storedData(kind);
    app = await startApp(kind, data.env);
    // shop.test resolves to this machine, so the site is another origin, and a plain-http one
    // (no crypto.randomUUID there), like many real sites.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage", `--host-resolver-rules=MAP ${siteHost} 127.0.0.1`],
    });
    const admin = await browser.newPage({ locale: "en-US" });
    await setupThroughUi(admin, app, owner);
    writeKey = (await admin.getByTestId("write-key").textContent())?.trim() ?? "";
    snippet = (await admin.getByTestId("install-snippet").textContent()) ?? "";
    await admin.close();

    site = await startSite(snippet);
    siteContext = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    page = await siteContext.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // A beacon leaves with its page, where the test cannot watch the network: count them in
    // the site's localStorage instead.
    await siteContext.addInitScript(() => {
      const send = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url, data) => {
        localStorage.setItem("test:beacons", String(Number(localStorage.getItem("test:beacons") ?? 0) + 1));
        return send(url, data);
      };
    });
    siteContext.on("request", (request) => {
      if (!request.url().startsWith(`${app.url}/api/v1/batch`)) return;
      const body = JSON.parse(request.postData() ?? "{}") as { batch?: SentCall[] };
      const calls = (body.batch ?? []).map((call) => ({ ...call }));
      sent.push(...calls);
      void request.response().then(
        (response) => calls.forEach((call) => (call.status = response?.status())),
        () => {},
      );
    });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await app?.stop();
    await data?.cleanup();
  });

  it("shows the install snippet with the workspace's write key and this server's address", () => {
    expect(writeKey).toMatch(/^wk_/);
    expect(snippet).toContain(`"${app.url}/t.js"`);
    expect(snippet).toContain(`tideline.load("${writeKey}", { host: "${app.url}" })`);
  });

  it("records the landing page view with its UTM campaign, and the call queued before t.js loaded", async () => {
    await page.goto(`${site.url}/landing${landingQuery}`);
    const view = await waitForCall("landing page view", (call) => call.type === "page" && call.context.page.path === "/landing");
    const signedUp = await waitForCall("queued track call", (call) => call.type === "track" && call.event === "Signed Up");

    expect(await page.evaluate(() => (window as unknown as { queuedBeforeLoad: number }).queuedBeforeLoad)).toBeGreaterThan(0);
    expect(signedUp.properties).toEqual({ plan: "pro" });
    expect(view.context.campaign).toEqual({ source: "newsletter", medium: "email", name: "spring" });
    expect(view.context.page).toMatchObject({ url: `${site.url}/landing${landingQuery}`, search: landingQuery, title: "Spring sale" });
    expect(view.context).toMatchObject({ library: { name: "tideline.js" }, locale: "zh-CN", timezone: "Asia/Shanghai" });
    expect(view.context.screen?.width).toBeGreaterThan(0);
    expect(view.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(view.messageId).not.toBe(signedUp.messageId);

    // The visitor id lives in a first-party cookie on the site's own domain, for a year.
    const cookie = (await siteContext.cookies(site.url)).find((candidate) => candidate.name === "tl_aid");
    expect(cookie).toMatchObject({ domain: siteHost, path: "/", sameSite: "Lax" });
    expect(cookie!.expires * 1000).toBeGreaterThan(Date.now() + 360 * 24 * 3600 * 1000);
    visitorId = cookie!.value;
    expect(view.anonymousId).toBe(visitorId);
    expect(signedUp.anonymousId).toBe(visitorId);
    expect(await page.evaluate(() => localStorage.getItem("tl_aid"))).toBe(visitorId);
    // The anonymous visitor becomes a contact now, before anyone knows who it is.
    await data.drain(app);
  });

  it("records a second page view on a single-page-app navigation, still with the session's campaign", async () => {
    await page.evaluate(() => {
      history.pushState({}, "", "/pricing");
      document.title = "Pricing";
    });
    const view = await waitForCall("pushState page view", (call) => call.type === "page" && call.context.page.path === "/pricing");
    expect(view.context.page).toMatchObject({ referrer: `${site.url}/landing${landingQuery}`, search: "", title: "Pricing" });
    expect(view.properties).toMatchObject({ path: "/pricing", url: `${site.url}/pricing` });
    expect(view.context.campaign).toEqual({ source: "newsletter", medium: "email", name: "spring" });
    expect(view.anonymousId).toBe(visitorId);
  });

  it("identifies the visitor and remembers the userId on the next page load", async () => {
    await page.evaluate(() => (window as unknown as { tideline: { identify(id: string, traits: object): void } }).tideline.identify("user-42", { email: "ada@example.com" }));
    const identify = await waitForCall("identify", (call) => call.type === "identify");
    expect(identify).toMatchObject({ userId: "user-42", anonymousId: visitorId, traits: { email: "ada@example.com" } });

    await page.reload();
    const view = await waitForCall("page view after reload", (call) => call.type === "page" && call.userId === "user-42");
    expect(view.anonymousId).toBe(visitorId);
  });

  it("hands a call made just before leaving the page to sendBeacon", async () => {
    await page.evaluate(() => (window as unknown as { tideline: { track(event: string): void } }).tideline.track("Checkout Started"));
    await page.goto("about:blank");
    await page.goto(`${site.url}/email-landing`);
    expect(await page.evaluate(() => Number(localStorage.getItem("test:beacons")))).toBe(1);
    // The reply went to a page that is gone; the last test finds the call stored.
  });

  it("records a track call through the pixel, and answers an image even when it refuses one", async () => {
    const pixel = `${app.url}/t/p.gif?k=${encodeURIComponent(writeKey)}&e=Newsletter%20Opened&uid=user-42&mid=newsletter-1&p.issue=spring`;
    const loadImage = (src: string) =>
      page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const image = new Image();
            image.onload = () => resolve(`${image.naturalWidth}x${image.naturalHeight}`);
            image.onerror = () => resolve("broken");
            image.src = url;
            document.body.append(image);
          }),
        src,
      );
    expect(await loadImage(pixel)).toBe("1x1");
    const invalid = `${app.url}/t/p.gif?k=${encodeURIComponent(writeKey)}&uid=user-42`;
    expect(await loadImage(invalid)).toBe("1x1"); // refused (400), yet no broken image
    const refused = await page.evaluate(async (src) => {
      const response = await fetch(src);
      return { status: response.status, error: response.headers.get("x-tideline-error"), type: response.headers.get("content-type") };
    }, invalid);
    expect(refused).toEqual({ status: 400, error: "Invalid track call: e (event) is required.", type: "image/gif" });
  });

  it("starts a new anonymous visitor after reset, and never throws into the page", async () => {
    const outcome = await page.evaluate(() => {
      const tideline = (window as unknown as { tideline: Record<string, (...args: unknown[]) => void> }).tideline;
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      try {
        tideline.track();
        tideline.track("Cyclic", cyclic);
        tideline.identify(undefined, undefined);
        tideline.push("not a call");
        tideline.reset();
        tideline.track("After Reset");
        return "no error";
      } catch (error) {
        return String(error);
      }
    });
    expect(outcome).toBe("no error");
    const after = await waitForCall("track after reset", (call) => call.event === "After Reset");
    expect(after.userId).toBeUndefined();
    expect(after.anonymousId).not.toBe(visitorId);
    expect(sent.some((call) => call.event === "Cyclic")).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it("stores every call once and processes the visit into one contact, user-42", async () => {
    const database = await data.settle(app);
    const { db } = database;
    const found = await authenticateApiKey(db, { token: writeKey, kind: "write" });
    const workspaceId = found!.workspace.id;
    const stored = await db.select().from(events).where(eq(events.workspaceId, workspaceId)).orderBy(events.id);
    // Everything the page sent by fetch, plus the beacon and the pixel, each once.
    const fetched = new Set(sent.map((call) => call.messageId));
    const storedIds = stored.map((event) => event.messageId);
    expect(storedIds.filter((id) => fetched.has(id)).sort()).toEqual([...fetched].sort());
    expect(stored.filter((event) => !fetched.has(event.messageId)).map((event) => event.name).sort()).toEqual([
      "Checkout Started",
      "Newsletter Opened",
    ]);

    const [ada] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.externalId, "user-42")));
    expect(ada).toMatchObject({ email: "ada@example.com", locale: "zh-CN", timezone: "Asia/Shanghai" });
    const visit = stored.filter((event) => event.anonymousId === visitorId || event.userId === "user-42");
    expect(visit.every((event) => event.contactId === ada.id && event.processedAt)).toBe(true);
    expect(visit.map((event) => event.name)).toEqual(
      expect.arrayContaining(["Page Viewed", "Signed Up", "Checkout Started", "Newsletter Opened"]),
    );

    const landing = stored.find((event) => event.type === "page" && (event.context.page as { path: string }).path === "/landing")!;
    expect(landing.context.campaign).toEqual({ source: "newsletter", medium: "email", name: "spring" });
    expect(landing.context.ip).toBeTruthy();
    const views = stored.filter((event) => event.type === "page").map((event) => (event.context.page as { path: string }).path);
    expect(views).toEqual(["/landing", "/pricing", "/pricing", "/email-landing"]);
    expect(stored.find((event) => event.name === "Signed Up")!.properties).toEqual({ plan: "pro" });
    expect(stored.find((event) => event.name === "Newsletter Opened")).toMatchObject({
      type: "track",
      properties: { issue: "spring" },
      context: { library: { name: "tideline-pixel" } },
    });

    // After reset the browser is someone new: another, anonymous contact.
    const afterReset = stored.find((event) => event.name === "After Reset")!;
    expect(afterReset.contactId).toBeTruthy();
    expect(afterReset.contactId).not.toBe(ada.id);
  });
});
