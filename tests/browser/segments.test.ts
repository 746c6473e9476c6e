import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { appKinds, browserSkipReason, launchChromium, setupThroughUi, startApp, type RunningApp, screenshot, until } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

describe.skipIf(Boolean(skipReason)).each(appKinds)("segments in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let writeKey = "";
  let segmentUrl = "";
  const owner = { name: "Sam Owner", email: `sam-${kind}@example.com`, password: "owner password 1", workspace: "Segments Test" };
  const base = () => `${app.url}/w/segments-test/segments`;

  const shoot = (name: string) => screenshot(page, `${kind}-${name}`);

  beforeAll(async () => {
    app = await startApp(kind);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US", viewport: { width: 1400, height: 900 } });
    await setupThroughUi(page, app, owner);
    writeKey = (await page.getByTestId("write-key").textContent())?.trim() ?? "";
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("explains segments while there are none", async () => {
    await page.getByRole("link", { name: "Segments", exact: true }).click();
    await page.waitForURL(/\/segments$/);
    await page.getByRole("heading", { name: "No segments yet" }).waitFor();
    await shoot("empty-en");
  });

  it("builds a segment on an attribute, shows the live count, saves it and lists its members", async () => {
    const batch = ["ann", "bob", "cat", "dan"].map((name, index) => ({
      type: "identify",
      userId: `u-${name}`,
      traits: { email: `${name}@example.com`, plan: index < 3 ? "pro" : "free" },
    }));
    batch.push({ type: "track", userId: "u-ann", event: "Order Completed" } as never);
    const response = await fetch(`${app.url}/api/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` },
      body: JSON.stringify({ batch }),
    });
    expect(response.status).toBe(200);

    // The builder offers the attribute once processing has catalogued it.
    await until(async () => {
      await page.goto(`${base()}/new`);
      await page.getByTestId("rule-builder").waitFor();
      const options = await page.getByTestId("rule-builder").locator("select.rule-fields").first().locator("option").allTextContents();
      expect(options).toContain("Attribute: plan");
    }, "the plan attribute in the builder");

    await page.getByLabel("Name").fill("Pro plan");
    const builder = page.getByTestId("rule-builder");
    // Replace the starter condition with plan == pro.
    const rule = builder.locator(".rule").first();
    await rule.locator("select.rule-fields").selectOption({ label: "Attribute: plan" });
    await rule.locator("select.rule-operators").selectOption({ label: "is" });
    await rule.locator("input.rule-value").fill("pro");
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("3 contacts"), "the live count");
    await expect(page.getByTestId("rule-preview").getByRole("link", { name: "ann@example.com" }).isVisible()).resolves.toBe(true);
    await shoot("builder-en");

    // The JSON view shows what the builder wrote, and round-trips an edit back.
    await page.getByRole("tab", { name: "JSON" }).click();
    const json = JSON.parse(await page.getByTestId("rule-json").inputValue());
    expect(json).toEqual({ and: [{ "==": [{ var: "attributes.plan" }, "pro"] }] });
    await page.getByTestId("rule-json").fill(JSON.stringify({ and: [{ "==": [{ var: "attributes.plan" }, "pro"] }, { "!=": [{ var: "email" }, "cat@example.com"] }] }));
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("2 contacts"), "the count after a JSON edit");
    await page.getByRole("tab", { name: "Builder" }).click();
    await expect(page.getByTestId("rule-builder").locator(".rule").count()).resolves.toBe(2);

    // An invalid rule says where it is wrong.
    await page.getByRole("tab", { name: "JSON" }).click();
    await page.getByTestId("rule-json").fill(JSON.stringify({ and: [{ "==": [{ var: "attributes.plan" }, "pro"] }, { frobnicate: [1] }] }));
    await until(async () => expect(await page.getByTestId("preview-error").textContent()).toContain("$.and[1].frobnicate"), "the validator's path");
    await page.getByTestId("rule-json").fill(JSON.stringify({ "==": [{ var: "attributes.plan" }, "pro"] }));
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("3 contacts"), "the count again");

    await page.getByRole("button", { name: "Create segment" }).click();
    await page.waitForURL(/\/segments\/[0-9a-f-]{36}$/);
    segmentUrl = page.url();
    const members = page.getByTestId("members-table").locator("tbody tr");
    await until(async () => {
      await page.reload();
      expect(await members.count()).toBe(3);
    }, "three members");
    expect(await page.getByTestId("member-count").textContent()).toBe("3 members");
    await expect(page.getByTestId("members-table").getByRole("link", { name: "bob@example.com" }).getAttribute("href")).resolves.toMatch(/\/w\/segments-test\/contacts\/[0-9a-f-]{36}$/);
    await page.getByTestId("size-chart").locator("svg.recharts-surface").waitFor();
    await shoot("segment-en");
  });

  it("edits the rule in the JSON view, recomputes, and the chart follows", async () => {
    await page.goto(`${segmentUrl}/edit`);
    await page.getByRole("tab", { name: "JSON" }).click();
    await page.getByTestId("rule-json").fill(JSON.stringify({ in: [{ var: "attributes.plan" }, ["pro", "free"]] }));
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("4 contacts"), "the edited count");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(segmentUrl);
    await until(async () => {
      await page.reload();
      expect(await page.getByTestId("member-count").textContent()).toBe("4 members");
    }, "four members");

    await page.getByRole("button", { name: "Recompute now" }).click();
    await page.getByText("Recomputed: 0 entered, 0 left, 4 members now.").waitFor();
    await page.getByTestId("size-chart").locator(".recharts-area-area").waitFor();
    await expect(page.getByTestId("recent-changes").getByText("dan@example.com").isVisible()).resolves.toBe(true);

    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await page.getByTestId("size-chart").locator("svg.recharts-surface").waitFor();
    await shoot("segment-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("builds rules on what contacts did: a property filter and an event total, with names and keys from real data", async () => {
    const orders: Array<[string, number]> = [
      ["u-ann", 120],
      ["u-ann", 80],
      ["u-bob", 30],
      ["u-bob", 40],
    ];
    const response = await fetch(`${app.url}/api/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` },
      body: JSON.stringify({ batch: orders.map(([userId, amount]) => ({ type: "track", userId, event: "Order Completed", properties: { amount, currency: "USD" } })) }),
    });
    expect(response.status).toBe(200);

    const builder = page.getByTestId("rule-builder");
    const rule = builder.locator(".rule").first();
    // The property keys are suggested once the orders are processed.
    await until(async () => {
      await page.goto(`${base()}/new`, { waitUntil: "networkidle" });
      await builder.waitFor();
      await rule.locator("select.rule-fields").selectOption({ label: "Performed event" });
      await rule.getByTestId("performed-editor").waitFor({ timeout: 5_000 });
      await rule.getByLabel("Event name").fill("Order Completed");
      await rule.getByRole("button", { name: "+ Property filter" }).click();
      const listId = await rule.getByTestId("property-filters").getByLabel("Property").getAttribute("list");
      const keys = await page.locator(`datalist[id="${listId}"] option`).evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
      expect(keys).toEqual(expect.arrayContaining(["amount", "currency"]));
    }, "the order properties suggested");
    const eventListId = await rule.getByLabel("Event name").getAttribute("list");
    const names = await page.locator(`datalist[id="${eventListId}"] option`).evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(names).toContain("Order Completed");

    // Orders of 100 or more: only ann's 120.
    const filter = rule.getByTestId("property-filters");
    await filter.getByLabel("Property").fill("amount");
    await filter.getByLabel("Operator").selectOption({ label: "at least" });
    await filter.getByLabel("Value").fill("100");
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("1 contact"), "the count with a property filter");
    await shoot("builder-filter-en");
    await page.getByRole("tab", { name: "JSON" }).click();
    expect(JSON.parse(await page.getByTestId("rule-json").inputValue())).toEqual({
      and: [{ performed: { event: "Order Completed", where: { ">=": [{ var: "properties.amount" }, 100] } } }],
    });
    await page.getByRole("tab", { name: "Builder" }).click();

    // Orders adding up to 60 or more: ann (200) and bob (70).
    await rule.locator("select.rule-fields").selectOption({ label: "Event total" });
    await rule.locator("select.rule-operators").selectOption({ label: "at least" });
    const total = rule.getByTestId("aggregate-editor");
    await total.getByLabel("Number to compare with").fill("60");
    await total.getByLabel("Total").selectOption({ label: "sum of" });
    await total.getByLabel("Property").first().fill("amount");
    await total.getByLabel("Event name").fill("Order Completed");
    await total.getByLabel("Days").fill("30");
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("2 contacts"), "the count of an event total");
    await shoot("builder-aggregate-en");
    await page.getByRole("tab", { name: "JSON" }).click();
    expect(JSON.parse(await page.getByTestId("rule-json").inputValue())).toEqual({
      and: [{ ">=": [{ aggregate: { event: "Order Completed", fn: "sum", property: "amount", within_days: 30 } }, 60] }],
    });
  });

  it("keeps a static list by hand: pasted emails and a CSV file in, a pasted one out", async () => {
    await page.goto(`${base()}/new`);
    await page.getByLabel("Name").fill("VIP guests");
    await page.getByText("Static list", { exact: true }).click();
    await page.getByRole("button", { name: "Create segment" }).click();
    await page.waitForURL(/\/segments\/[0-9a-f-]{36}$/);
    const editor = page.getByTestId("list-members-editor");

    await editor.getByLabel("Emails or IDs, one per line").fill("ann@example.com\nBOB@example.com\nnobody@example.com");
    await editor.getByRole("button", { name: "Add to list" }).click();
    await editor.getByText("Added 2 of 2 matching contacts. The list has 2 members now.").waitFor();
    await editor.getByText("1 identifier matched no contact: nobody@example.com").waitFor();
    await until(async () => expect(await page.getByTestId("member-count").textContent()).toBe("2 members"), "two members");

    // A CSV file: the email column is picked by its name, the file is read in pieces.
    await editor.getByRole("tab", { name: "CSV file" }).click();
    await editor.getByLabel("CSV file with a header row").setInputFiles({
      name: "guests.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name,email\nCat,cat@example.com\nDan,dan@example.com\nAnn,ann@example.com\n"),
    });
    await editor.getByRole("combobox").filter({ hasText: "email" }).waitFor();
    await editor.getByRole("button", { name: "Add to list" }).click();
    await editor.getByText("Added 2 of 3 matching contacts. The list has 4 members now.").waitFor();
    await shoot("static-list-en");

    await editor.getByRole("tab", { name: "Paste" }).click();
    await editor.getByLabel("Emails or IDs, one per line").fill("u-ann");
    await editor.getByRole("button", { name: "Remove from list" }).click();
    await editor.getByText("Removed 1 of 1 matching contacts. The list has 3 members now.").waitFor();
    await until(async () => expect(await page.getByTestId("member-count").textContent()).toBe("3 members"), "three members");
  });

  it("speaks Chinese", async () => {
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: app.url }]);
    await page.goto(base());
    await page.getByRole("link", { name: "Pro plan" }).waitFor();
    await expect(page.getByRole("columnheader", { name: "成员数" }).isVisible()).resolves.toBe(true);
    await shoot("list-zh");
    await page.goto(`${segmentUrl}/edit`);
    await page.getByRole("tab", { name: "构建器" }).waitFor();
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("4 位联系人"), "the count in Chinese");
    await shoot("edit-zh");
    // The event editors in Chinese, from a rule pasted into the JSON view.
    await page.getByRole("tab", { name: "JSON" }).click();
    await page.getByTestId("rule-json").fill(
      JSON.stringify({
        and: [
          { performed: { event: "Order Completed", where: { ">=": [{ var: "properties.amount" }, 100] } } },
          { ">=": [{ aggregate: { event: "Order Completed", fn: "sum", property: "amount", within_days: 30 } }, 60] },
        ],
      }),
    );
    await until(async () => expect(await page.getByTestId("preview-count").textContent()).toBe("1 位联系人"), "the count of the event rule in Chinese");
    await page.getByRole("tab", { name: "构建器" }).click();
    await expect(page.getByTestId("aggregate-editor").getByLabel("汇总方式").inputValue()).resolves.toBe("sum");
    await expect(page.getByRole("button", { name: "+ 属性条件" }).count()).resolves.toBe(2);
    await shoot("builder-events-zh");
    await page.goto(segmentUrl);
    await page.getByRole("button", { name: "立即重新计算" }).waitFor();
    await shoot("segment-zh");
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: app.url }]);
  });
});
