import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts } from "@/db/schema";
import { saveMessagingSettings } from "@/lib/messages/settings";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { ensureOwnerWorkspace } from "@/lib/workspaces/create";
import { startSmtpCatcher, type SmtpCatcher } from "../helpers/smtp";
import { appKinds, buildSkipReason, freshAppDatabase, startApp, type RunningApp, openAppDatabase, sleep } from "./harness";

// A marketing email from the API through `next start` (its in-process worker) to a real SMTP
// server, then what the recipient does with it, over HTTP: the pixel, the click, one-click
// unsubscribe. Needs a production build but no browser.
const skipReason = buildSkipReason();
if (skipReason) console.warn(`[email tests] skipped: ${skipReason}`);

const browserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

describe.skipIf(Boolean(skipReason)).each(appKinds)("a marketing email end to end on %s", (kind) => {
  let target: Awaited<ReturnType<typeof freshAppDatabase>>;
  let app: RunningApp | undefined;
  let smtp: SmtpCatcher;
  let secretKey = "";
  let templateId = "";
  let contactId = "";

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    target = await freshAppDatabase(kind);
    const database = await openAppDatabase(target.database);
    try {
      const created = await ensureOwnerWorkspace(database.db, { email: "owner@example.test", password: "owner password 1", workspaceName: "Harbour Shop" });
      secretKey = created.secretKey;
      await saveMessagingSettings(database.db, created.workspace.id, { postalAddress: "1 Harbour Road, Portsmouth", utm: { source: "tideline", medium: "email" } });
      const input = templateCreateSchema.parse({
        name: "Spring sale",
        channel: "email",
        kind: "marketing",
        format: "code",
        subject: "{{ contact.first_name | default: 'Friend' }}, the spring sale is on",
        content: { component: "welcome", props: { ctaUrl: "https://shop.example.test/sale", ctaLabel: "Shop the sale" } },
      });
      templateId = (await createTemplate(database.db, created.workspace.id, input)).template.id;
      const [ann] = await database.db.insert(contacts).values({ workspaceId: created.workspace.id, email: "ann@example.test", firstName: "Ann" }).returning();
      contactId = ann.id;
    } finally {
      await database.close();
    }
    app = await startApp(kind, { SMTP_URL: smtp.url, EMAIL_FROM: "news@example.test" }, { database: target.database });
  });

  afterAll(async () => {
    await app?.stop();
    await target?.drop();
    await smtp?.close();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${app!.url}${path}`, { ...init, headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json", ...(init.headers ?? {}) } });
  const message = async (id: string) => (await (await api(`/api/v1/messages/${id}`)).json()) as { status: string; status_reason: string | null; sent_at: string; history: Array<{ type: string; bot: boolean }> };

  it("is delivered, opened, clicked and unsubscribed from, and the next one is suppressed", async () => {
    const queued = await api("/api/v1/messages", { method: "POST", body: JSON.stringify({ contact: { email: "ann@example.test" }, template: templateId }) });
    expect(queued.status).toBe(202);
    const { id } = (await queued.json()) as { id: string };
    await expect.poll(async () => (await message(id)).status).toBe("sent");
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0].parsed;
    expect(mail.subject).toBe("Ann, the spring sale is on");
    const html = String(mail.html);

    // The open pixel, fetched by a mail client, makes the message opened.
    const pixel = /src="([^"]+\/t\/o\/[^"]+)"/.exec(html)?.[1];
    expect(pixel?.startsWith(app!.url)).toBe(true);
    const gif = await fetch(pixel!, { headers: { "user-agent": browserAgent } });
    expect(gif.headers.get("content-type")).toBe("image/gif");
    await expect.poll(async () => (await message(id)).status).toBe("opened");

    // A click the moment the mail arrives is a security scanner's: redirected, recorded, not counted.
    const click = /href="([^"]+\/t\/c\/[^"]+)"/.exec(html)?.[1];
    expect(click?.startsWith(app!.url)).toBe(true);
    const scanned = await fetch(click!, { redirect: "manual", headers: { "user-agent": browserAgent } });
    expect(scanned.status).toBe(302);
    const location = new URL(scanned.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://shop.example.test/sale");
    expect(location.searchParams.get("utm_source")).toBe("tideline");
    expect(location.searchParams.get("utm_medium")).toBe("email");

    // The person clicks later: now the message is clicked.
    const sentAt = new Date((await message(id)).sent_at).getTime();
    await sleep(Math.max(0, sentAt + 11_000 - Date.now()));
    expect((await fetch(click!, { redirect: "manual", headers: { "user-agent": browserAgent } })).status).toBe(302);
    await expect.poll(async () => (await message(id)).status).toBe("clicked");
    const { history } = await message(id);
    expect(history.filter((event) => event.type === "clicked").map((event) => event.bot)).toEqual([true, false]);

    // Opens and clicks are on the contact's timeline.
    const timeline = (await (await api(`/api/v1/contacts/${contactId}/events?limit=50`)).json()) as { data: Array<{ name: string | null }> };
    const names = timeline.data.map((event) => event.name);
    expect(names).toContain("Email Opened");
    expect(names).toContain("Email Clicked");

    // RFC 8058 one-click unsubscribe: a POST to the List-Unsubscribe https link, no cookies.
    const header = mail.headerLines.find((line) => line.key === "list-unsubscribe")!.line.replace(/\r?\n\s+/g, " ");
    const oneClick = /<(http[^>]+)>/.exec(header)![1];
    const unsubscribed = await fetch(oneClick, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(unsubscribed.status).toBeLessThan(300);

    const next = await api("/api/v1/messages", { method: "POST", body: JSON.stringify({ contact: { email: "ann@example.test" }, template: templateId }) });
    const { id: nextId } = (await next.json()) as { id: string };
    await expect.poll(async () => (await message(nextId)).status).toBe("suppressed");
    expect((await message(nextId)).status_reason).toMatch(/unsubscribed/);
    expect(smtp.received).toHaveLength(1);
  });
});
