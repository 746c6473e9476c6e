import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import {
  contactConsents,
  contacts,
  messageContents,
  messageEvents,
  messages,
  suppressions,
  templates,
  topicSubscriptions,
  topics,
  type Channel,
  type MessageStatus,
} from "@/db/schema";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import {
  contactConsentSummary,
  contactMessages,
  getMessageDetail,
  headerList,
  htmlForPreview,
  listMessages,
  listOutbox,
  messageLogQuery,
  messageStatusCounts,
  previousMessagesCursor,
  startOfDayIn,
  templateOptions,
  type MessageLogFilters,
} from "@/lib/messages/log";
import { deliverMessage, queueMessage } from "@/lib/messages/send";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

describe.each(databaseKinds)("messages log on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    delete process.env.SMTP_URL;
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  const base = Date.parse("2026-03-10T12:00:00Z");
  const minutes = (n: number) => new Date(base - n * 60_000);

  // A workspace with two contacts, two templates and `count` messages a minute apart, every
  // third pair sharing a timestamp so paging must break ties on the id.
  async function seed(count = 23) {
    const { workspace } = await createOwnedWorkspace(database.db);
    const [ann, bob] = await database.db
      .insert(contacts)
      .values([
        { workspaceId: workspace.id, email: "ann@example.test", firstName: "Ann", timezone: "Asia/Shanghai" },
        { workspaceId: workspace.id, email: "bob@shop.test", firstName: "Bob" },
      ])
      .returning();
    const [welcome, receipt] = await database.db
      .insert(templates)
      .values([
        { workspaceId: workspace.id, name: "Welcome", channel: "email", format: "code", currentVersion: 2 },
        { workspaceId: workspace.id, name: "Receipt SMS", channel: "sms", format: "text", kind: "transactional", currentVersion: 1 },
      ])
      .returning();
    const statuses: MessageStatus[] = ["sent", "delivered", "opened", "suppressed", "bounced", "clicked"];
    const rows = Array.from({ length: count }, (_, index) => {
      const sms = index % 4 === 3;
      const contact = index % 2 === 0 ? ann : bob;
      return {
        workspaceId: workspace.id,
        idempotencyKey: `seed:${index}`,
        source: "api",
        contactId: contact.id,
        channel: (sms ? "sms" : "email") as Channel,
        kind: sms ? ("transactional" as const) : ("marketing" as const),
        templateId: sms ? receipt.id : welcome.id,
        templateVersion: sms ? 1 : 2,
        toAddress: sms ? "+15550000" : contact.email,
        subject: sms ? null : `Hello ${index}`,
        status: statuses[index % statuses.length],
        statusReason: statuses[index % statuses.length] === "suppressed" ? "suppressed:hard_bounce" : null,
        // Pairs (0,1), (3,4), … share a moment.
        createdAt: minutes(index - (index % 3 === 1 ? 1 : 0)),
      };
    });
    const inserted = await database.db.insert(messages).values(rows).returning();
    return { workspace, ann, bob, welcome, receipt, inserted };
  }

  async function allPages(workspaceId: string, filters: MessageLogFilters, limit: number) {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listMessages>> = await listMessages(database.db, { workspaceId, filters, limit, cursor });
      pages.push(page.messages.map((message) => message.id));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it("pages newest first without gaps or repeats, ties broken by id, and finds the previous page", async () => {
    const { workspace, inserted } = await seed(23);
    const expected = [...inserted]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((row) => row.id);
    const pages = await allPages(workspace.id, {}, 5);
    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat()).toEqual(expected);

    // From the third page, "newer" lands exactly on the second; from the second, on the first.
    const second = await listMessages(database.db, { workspaceId: workspace.id, limit: 5, cursor: (await listMessages(database.db, { workspaceId: workspace.id, limit: 5 })).nextCursor });
    const third = await listMessages(database.db, { workspaceId: workspace.id, limit: 5, cursor: second.nextCursor });
    const back = await previousMessagesCursor(database.db, { workspaceId: workspace.id, limit: 5, first: third.messages[0] });
    expect(back).toBeTruthy();
    expect((await listMessages(database.db, { workspaceId: workspace.id, limit: 5, cursor: back })).messages.map((m) => m.id)).toEqual(pages[1]);
    expect(await previousMessagesCursor(database.db, { workspaceId: workspace.id, limit: 5, first: second.messages[0] })).toBe("");
    const newest = (await listMessages(database.db, { workspaceId: workspace.id, limit: 1 })).messages[0];
    expect(await previousMessagesCursor(database.db, { workspaceId: workspace.id, limit: 5, first: newest })).toBeNull();

    // A forged cursor starts over instead of failing.
    expect((await listMessages(database.db, { workspaceId: workspace.id, limit: 5, cursor: "not-a-cursor" })).messages.map((m) => m.id)).toEqual(pages[0]);
  });

  it("filters by status, channel, template, contact and dates, and pages the filtered set", async () => {
    const { workspace, ann, bob, welcome, receipt, inserted } = await seed(23);
    const ids = (rows: typeof inserted) => new Set(rows.map((row) => row.id));
    const listed = async (filters: MessageLogFilters) => new Set((await allPages(workspace.id, filters, 4)).flat());

    expect(await listed({ statuses: ["bounced", "suppressed"] })).toEqual(ids(inserted.filter((row) => ["bounced", "suppressed"].includes(row.status))));
    expect(await listed({ channel: "sms" })).toEqual(ids(inserted.filter((row) => row.channel === "sms")));
    expect(await listed({ templateId: receipt.id })).toEqual(ids(inserted.filter((row) => row.templateId === receipt.id)));
    expect(await listed({ templateId: welcome.id, statuses: ["opened"] })).toEqual(
      ids(inserted.filter((row) => row.templateId === welcome.id && row.status === "opened")),
    );
    expect(await listed({ contactId: bob.id })).toEqual(ids(inserted.filter((row) => row.contactId === bob.id)));
    // An email prefix, in any case, finds the contact's messages.
    expect(await listed({ contactEmail: "ANN@" })).toEqual(ids(inserted.filter((row) => row.contactId === ann.id)));
    expect(await listed({ contactEmail: "nobody@" })).toEqual(new Set());
    // LIKE wildcards in the search are literal.
    expect(await listed({ contactEmail: "%" })).toEqual(new Set());

    const from = minutes(10);
    const to = minutes(4);
    expect(await listed({ from, to })).toEqual(ids(inserted.filter((row) => row.createdAt >= from && row.createdAt < to)));
    expect((await listed({ from, to })).size).toBeGreaterThan(3);

    const counts = await messageStatusCounts(database.db, { workspaceId: workspace.id, filters: { channel: "email" } });
    const emails = inserted.filter((row) => row.channel === "email");
    expect(counts.total).toBe(emails.length);
    expect(counts.capped).toBe(false);
    for (const status of ["sent", "delivered", "opened", "suppressed", "bounced", "clicked"] as const) {
      expect(counts.counts[status] ?? 0).toBe(emails.filter((row) => row.status === status).length);
    }

    const [row] = (await listMessages(database.db, { workspaceId: workspace.id, filters: { statuses: ["suppressed"], channel: "email" }, limit: 1 })).messages;
    expect(row).toMatchObject({ status: "suppressed", statusReason: "suppressed:hard_bounce", templateName: "Welcome", templateVersion: 2 });
    expect(row.contact?.email).toMatch(/@/);
    expect((await templateOptions(database.db, workspace.id)).map((option) => option.name)).toEqual(["Receipt SMS", "Welcome"]);
  });

  it("keeps workspaces apart in the log, the counts, the detail, the outbox and the profile", async () => {
    const a = await seed(6);
    const b = await seed(4);
    await database.db.insert(messageEvents).values(
      b.inserted.map((row) => ({ workspaceId: b.workspace.id, messageId: row.id, type: "sent" as const, details: { adapter: "outbox" } })),
    );
    const aIds = new Set(a.inserted.map((row) => row.id));
    const listedA = (await allPages(a.workspace.id, {}, 50)).flat();
    expect(new Set(listedA)).toEqual(aIds);
    // The same email exists in both workspaces: the search stays in its own.
    expect((await listMessages(database.db, { workspaceId: a.workspace.id, filters: { contactEmail: "ann@example.test" } })).messages.every((m) => aIds.has(m.id))).toBe(true);
    expect((await listMessages(database.db, { workspaceId: a.workspace.id, filters: { contactId: b.ann.id } })).messages).toEqual([]);
    expect((await messageStatusCounts(database.db, { workspaceId: a.workspace.id })).total).toBe(6);
    expect(await getMessageDetail(database.db, a.workspace.id, b.inserted[0].id)).toBeUndefined();
    expect(await getMessageDetail(database.db, a.workspace.id, "not-a-uuid")).toBeUndefined();
    expect((await listOutbox(database.db, { workspaceId: a.workspace.id })).messages).toEqual([]);
    expect((await listOutbox(database.db, { workspaceId: b.workspace.id })).messages).toHaveLength(4);
    expect(await contactMessages(database.db, a.workspace.id, b.ann.id)).toEqual([]);
    expect((await contactMessages(database.db, b.workspace.id, b.ann.id)).length).toBe(2);
  });

  it("shows a message with what was sent and its history, and lists outbox mail like a mailbox", async () => {
    const { workspace, ann, inserted } = await seed(3);
    const [viaOutbox, viaSmtp] = inserted;
    await database.db.insert(messageContents).values({
      workspaceId: workspace.id,
      messageId: viaOutbox.id,
      fromAddress: "Acme <news@acme.test>",
      subject: "Welcome, Ann",
      html: '<p>Hi Ann</p><a href="https://x.test/t/c/abc">Shop</a><img src="https://x.test/t/o/tok123.gif" width="1" height="1" alt="">',
      text: "Hi Ann\nShop: https://x.test/t/c/abc",
      headers: { "List-Unsubscribe": "<https://x.test/u/1>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    const at = (seconds: number) => new Date(base + seconds * 1000);
    await database.db.insert(messageEvents).values([
      { workspaceId: workspace.id, messageId: viaOutbox.id, type: "queued", at: at(0) },
      { workspaceId: workspace.id, messageId: viaOutbox.id, type: "sent", details: { adapter: "outbox" }, at: at(1) },
      { workspaceId: workspace.id, messageId: viaOutbox.id, type: "opened", bot: true, reason: "apple_mpp", at: at(3) },
      { workspaceId: workspace.id, messageId: viaOutbox.id, type: "opened", at: at(60) },
      { workspaceId: workspace.id, messageId: viaSmtp.id, type: "sent", details: { adapter: "smtp" }, at: at(2) },
    ]);

    const detail = (await getMessageDetail(database.db, workspace.id, viaOutbox.id))!;
    expect(detail.adapter).toBe("outbox");
    expect(detail.contact).toMatchObject({ id: ann.id, timezone: "Asia/Shanghai" });
    expect(detail.template?.name).toBe("Welcome");
    expect(detail.events.map((event) => [event.type, event.bot])).toEqual([
      ["queued", false],
      ["sent", false],
      ["opened", true],
      ["opened", false],
    ]);
    // Viewing a message must not count as its recipient opening it.
    const preview = htmlForPreview(detail.content?.html)!;
    expect(preview).toContain("Hi Ann");
    expect(preview).toContain("/t/c/abc");
    expect(preview).not.toContain("/t/o/");
    expect(preview.startsWith('<base target="_blank">')).toBe(true);
    expect(htmlForPreview('<html><head><base href="https://evil.test/"><title>x</title></head><body>Hi</body></html>')).toBe(
      '<html><head><base target="_blank"><title>x</title></head><body>Hi</body></html>',
    );
    const headers = Object.fromEntries(headerList(detail));
    expect(headers).toMatchObject({ From: "Acme <news@acme.test>", To: "ann@example.test", Subject: "Welcome, Ann", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });

    const outbox = await listOutbox(database.db, { workspaceId: workspace.id });
    expect(outbox.messages.map((message) => message.id)).toEqual([viaOutbox.id]);
    expect(outbox.messages[0]).toMatchObject({ subject: "Welcome, Ann", fromAddress: "Acme <news@acme.test>", preview: expect.stringContaining("Hi Ann") });
  });

  it("finds in the outbox what the real pipeline delivered with no SMTP server configured", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const [cat] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "cat@example.test", firstName: "Cat" }).returning();
    const input = templateCreateSchema.parse({
      name: "Receipt",
      channel: "email",
      kind: "transactional",
      format: "code",
      subject: "Your receipt, {{ contact.first_name }}",
      content: { component: "transactional", props: {} },
    });
    const { template } = await createTemplate(database.db, workspace.id, input);
    const { message } = await queueMessage(database.db, { workspaceId: workspace.id, contactId: cat.id, templateId: template.id, idempotencyKey: "log:cat", source: "api" });
    expect(await deliverMessage(database.db, workspace.id, message.id)).toMatchObject({ status: "sent" });

    const outbox = await listOutbox(database.db, { workspaceId: workspace.id });
    expect(outbox.messages.map((row) => row.id)).toEqual([message.id]);
    expect(outbox.messages[0].subject).toBe("Your receipt, Cat");
    const [logged] = (await listMessages(database.db, { workspaceId: workspace.id, filters: { contactEmail: "cat@" } })).messages;
    expect(logged).toMatchObject({ id: message.id, status: "sent", templateName: "Receipt", templateVersion: 1 });
    const detail = (await getMessageDetail(database.db, workspace.id, message.id))!;
    expect(detail.content?.html).toContain("Cat");
    expect(detail.events.map((event) => event.type)).toContain("sent");
  });

  it("summarises a contact's consent, topics (defaults applied) and suppression", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const [dee] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "Dee@Example.test", phone: "+15551234" }).returning();
    const [news, offers, events] = await database.db
      .insert(topics)
      .values([
        { workspaceId: workspace.id, name: "Newsletter", defaultSubscribed: true },
        { workspaceId: workspace.id, name: "Offers", defaultSubscribed: false },
        { workspaceId: workspace.id, name: "Events", defaultSubscribed: true },
      ])
      .returning();
    await database.db.insert(topicSubscriptions).values([
      { workspaceId: workspace.id, contactId: dee.id, topicId: news.id, subscribed: false, source: "preference_centre" },
      { workspaceId: workspace.id, contactId: dee.id, topicId: offers.id, subscribed: true, source: "api" },
    ]);
    await database.db.insert(contactConsents).values([
      { workspaceId: workspace.id, contactId: dee.id, channel: "email", status: "revoked", source: "one_click" },
      { workspaceId: workspace.id, contactId: dee.id, channel: "sms", status: "granted", source: "form" },
    ]);

    const before = await contactConsentSummary(database.db, workspace.id, dee);
    expect(before.suppressions).toEqual([]);
    expect(before.consents.email).toMatchObject({ status: "revoked", source: "one_click" });
    expect(before.consents.sms).toMatchObject({ status: "granted" });
    expect(before.consents.wechat).toBeUndefined();
    expect(before.topics.map((topic) => [topic.name, topic.subscribed, topic.choice?.source ?? null])).toEqual([
      ["Events", true, null],
      ["Newsletter", false, "preference_centre"],
      ["Offers", true, "api"],
    ]);
    expect(events.defaultSubscribed).toBe(true);

    // Emails are stored lower-case on the list; the contact's own casing still matches.
    await database.db.insert(suppressions).values({ workspaceId: workspace.id, channel: "email", address: "dee@example.test", reason: "complaint", details: "SES" });
    const after = await contactConsentSummary(database.db, workspace.id, dee);
    expect(after.suppressions).toMatchObject([{ channel: "email", address: "dee@example.test", reason: "complaint", details: "SES" }]);

    const other = await createOwnedWorkspace(database.db);
    const [twin] = await database.db.insert(contacts).values({ workspaceId: other.workspace.id, email: "dee@example.test" }).returning();
    const elsewhere = await contactConsentSummary(database.db, other.workspace.id, twin);
    expect(elsewhere).toEqual({ consents: {}, topics: [], suppressions: [] });
  });

  // Deep pages cost what the first costs only if the planner walks messages_recent_idx in order
  // and stops at the limit; with sorting disabled, any other plan still shows a Sort node.
  it("reads every log page in index order, without sorting", async () => {
    const { workspace, inserted } = await seed(12);
    const cursor = (await listMessages(database.db, { workspaceId: workspace.id, limit: 5 })).nextCursor;
    const plans = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_sort = off`);
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const explain = async (query: { getSQL(): SQL }) =>
        (await queryRows<Record<string, string>>(tx, sql`explain (costs off) ${query.getSQL()}`)).map((row) => Object.values(row)[0]).join("\n");
      return Promise.all([
        explain(messageLogQuery(tx, { workspaceId: workspace.id, limit: 5, cursor })),
        explain(messageLogQuery(tx, { workspaceId: workspace.id, limit: 5, cursor, filters: { statuses: ["bounced"], channel: "email", templateId: inserted[0].templateId! } })),
      ]);
    });
    for (const plan of plans) {
      expect(plan).toContain("messages_recent_idx");
      expect(plan).not.toMatch(/\bSort\b/);
    }
  });

  it("reads a date filter's day in the workspace's time zone", () => {
    expect(startOfDayIn("2026-03-01", "Asia/Shanghai")?.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(startOfDayIn("2026-07-01", "America/New_York")?.toISOString()).toBe("2026-07-01T04:00:00.000Z");
    expect(startOfDayIn("2026-03-08", "America/New_York")?.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDayIn("2026-02-30", "UTC")).toBeUndefined();
    expect(startOfDayIn("yesterday", "UTC")).toBeUndefined();
  });
});
