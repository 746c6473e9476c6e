import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { appKinds, browserSkipReason, launchChromium, setupThroughUi, startApp, type RunningApp } from "./harness";

const skipReason = browserSkipReason();
if (skipReason) console.warn(`[browser tests] skipped: ${skipReason}`);

const csv =
  "\uFEFFEmail,First name,Last name,Tags,Seats\r\n" +
  'ann@example.com,Ann,Lee,"vip, beta",5\r\n' +
  "not-an-email,Bad,Email,,\r\n" +
  "bob@example.com,Bob,Smith,,seven\r\n" +
  ",No,Key,,\r\n" +
  "zhang.wei@example.cn,伟,张,客户,3\r\n";

describe.skipIf(Boolean(skipReason)).each(appKinds)("CSV import in Chromium on %s", (kind) => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const owner = { name: "Ida Importer", email: `ida-${kind}@example.com`, password: "importer password 1", workspace: "Import Test" };

  beforeAll(async () => {
    app = await startApp(kind);
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
    await setupThroughUi(page, app, owner);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("uploads a CSV, maps its columns, imports with progress, and lists the bad rows", async () => {
    await page.goto(`${app.url}/w/import-test/contacts/import`);
    await page.getByText("No imports yet.", { exact: false }).waitFor();
    await page.getByTestId("import-file").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.waitForURL(/\/contacts\/import\/[0-9a-f-]{36}$/);

    // The guesses from the header names, and the preview of the rows as read.
    await expect(page.getByLabel("Import “Email” as").textContent()).resolves.toContain("Email");
    await expect(page.getByLabel("Import “Last name” as").textContent()).resolves.toContain("Last name");
    await expect(page.getByLabel("Import “Tags” as").textContent()).resolves.toContain("Tags");
    await page.getByTestId("import-preview").getByText("张").waitFor();

    // "seven" is no number: say Seats is a number, so that row is reported.
    await page.getByLabel("Type of “Seats”").click();
    await page.getByRole("option", { name: "Number" }).click();
    await page.getByRole("button", { name: "Start import" }).click();

    await page.getByTestId("import-state").getByText("Import finished").waitFor({ timeout: 30_000 });
    await expect(page.getByRole("progressbar").getAttribute("aria-valuetext")).resolves.toBe("100%");
    await expect(page.getByTestId("import-count-created").textContent()).resolves.toBe("2");
    await expect(page.getByTestId("import-count-errors").textContent()).resolves.toBe("3");
    const errors = page.getByTestId("import-errors");
    await errors.getByText("“Email” is not a valid email address: not-an-email").waitFor();
    await errors.getByText("“Seats” should be a number, not “seven”").waitFor();
    await errors.getByText("No email to match on (“Email” is empty)").waitFor();

    const download = await page.request.get(await page.getByRole("link", { name: "Download errors CSV" }).getAttribute("href").then((href) => `${app.url}${href}`));
    const text = await download.text();
    expect(text).toContain("Row,Reason,Email,First name,Last name,Tags,Seats");
    expect(text).toContain('4,"“Seats” should be a number, not “seven”",bob@example.com,Bob,Smith,,seven');

    await page.getByRole("link", { name: "Import another file" }).click();
    await page.getByTestId("import-history").getByRole("link", { name: "people.csv" }).waitFor();
  });
});
