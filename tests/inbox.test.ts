import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { contacts, inboxItems, messageEvents, messages } from "@/db/schema";
import { inboxAdapter } from "@/lib/channels/inbox";
import { mergeContacts } from "@/lib/contacts/identity";
import { checkInboxToken, issueInboxToken, listInboxItems, markAllInboxRead, markInboxItem, unreadInboxCount } from "@/lib/messages/inbox";
import { createBoss, ensureQueues, setBoss } from "@/jobs/boss";
import { jobs } from "@/jobs/registry";
import { deliverMessage, queueMessage } from "@/lib/messages/send";
import { createTemplate } from "@/lib/messages/templates";
import { templateCreateSchema } from "@/lib/validation/templates";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

describe.each(databaseKinds)("in-app inbox on %s", (kind) => {
  let database: Database;
  let boss: PgBoss;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    boss = await createBoss(database, { maintenance: false });
    await ensureQueues(boss, jobs);
    setBoss(boss);
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2000 });
    await database?.close();
  });

  async function setup() {
    const { workspace } = await createOwnedWorkspace(database.db);
    const [ann, bob] = await database.db
      .insert(contacts)
      .values([
        { workspaceId: workspace.id, externalId: "ann", email: "ann@example.com" },
        { workspaceId: workspace.id, externalId: "bob", email: "bob@example.com" },
      ])
      .returning();
    return { workspace, ann, bob };
  }

  /** A sent inbox message to the contact, delivered through the adapter as the pipeline does. */
  async function deliver(workspaceId: string, contactId: string, title: string, extra: { url?: string } = {}) {
    const [message] = await database.db
      .insert(messages)
      .values({
        workspaceId,
        idempotencyKey: `test:${title}:${Math.random()}`,
        source: "test",
        contactId,
        channel: "inbox",
        kind: "marketing",
        toAddress: contactId,
        subject: title,
        status: "sent",
        sentAt: new Date(),
      })
      .returning();
    const result = await inboxAdapter(database.db).send({
      workspaceId,
      messageId: message.id,
      channel: "inbox",
      to: contactId,
      contactId,
      subject: title,
      text: `Body of ${title}`,
      data: extra.url ? { url: extra.url } : {},
    });
    expect(result.status).toBe("sent");
    return message;
  }

  it("stores one inbox item per message: a retried send stores it once and still reports sent", async () => {
    const { workspace, ann } = await setup();
    const message = await deliver(workspace.id, ann.id, "Your order shipped", { url: "https://shop.example/orders/1" });
    const again = await inboxAdapter(database.db).send({
      workspaceId: workspace.id,
      messageId: message.id,
      channel: "inbox",
      to: ann.id,
      contactId: ann.id,
      subject: "Your order shipped",
      text: "Body of Your order shipped",
    });
    expect(again.status).toBe("sent");
    const stored = await database.db.select().from(inboxItems).where(eq(inboxItems.workspaceId, workspace.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      contactId: ann.id,
      messageId: message.id,
      title: "Your order shipped",
      body: "Body of Your order shipped",
      url: "https://shop.example/orders/1",
      readAt: null,
    });
    expect(again).toMatchObject({ providerMessageId: stored[0].id });
  });

  it("a queued inbox message goes through the send pipeline into the contact's inbox, personalised, once", async () => {
    const { workspace, ann } = await setup();
    await database.db.update(contacts).set({ firstName: "Ann" }).where(and(eq(contacts.workspaceId, workspace.id), eq(contacts.id, ann.id)));
    const { template } = await createTemplate(
      database.db,
      workspace.id,
      templateCreateSchema.parse({
        name: "Order shipped",
        channel: "inbox",
        kind: "transactional",
        content: { title: "{{ contact.first_name | default: 'Hi' }}, order {{ data.order }} shipped", text: "It arrives {{ data.eta }}.", url: "https://shop.example/orders/{{ data.order }}" },
      }),
    );
    const { message } = await queueMessage(database.db, {
      workspaceId: workspace.id,
      contactId: ann.id,
      templateId: template.id,
      idempotencyKey: `order:A-7:${ann.id}`,
      source: "api",
      data: { order: "A-7", eta: "Friday" },
    });
    expect(await deliverMessage(database.db, workspace.id, message.id)).toMatchObject({ status: "sent" });
    // The job runs again (a retry): nothing more is stored.
    await deliverMessage(database.db, workspace.id, message.id);

    const { items } = await listInboxItems(database.db, { workspaceId: workspace.id, contactId: ann.id });
    expect(items.map((item) => ({ title: item.title, body: item.body, url: item.url, messageId: item.messageId }))).toEqual([
      { title: "Ann, order A-7 shipped", body: "It arrives Friday.", url: "https://shop.example/orders/A-7", messageId: message.id },
    ]);
    const [stored] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.id, message.id)));
    expect(stored.status).toBe("sent");
    expect(stored.providerMessageId).toBe(items[0].id);
  });

  it("does not store an item for a contact of another workspace, or without a contact", async () => {
    const { workspace } = await setup();
    const other = await setup();
    const adapter = inboxAdapter(database.db);
    const base = { workspaceId: workspace.id, messageId: crypto.randomUUID(), channel: "inbox" as const, subject: "Hi", text: "Hello" };
    expect(await adapter.send({ ...base, to: other.ann.id, contactId: other.ann.id })).toMatchObject({ status: "permanent" });
    expect(await adapter.send({ ...base, to: "", contactId: null })).toMatchObject({ status: "skipped" });
    expect(await database.db.select().from(inboxItems).where(eq(inboxItems.workspaceId, workspace.id))).toHaveLength(0);
  });

  it("delivers to the surviving contact when the addressed one was merged away", async () => {
    const { workspace, ann, bob } = await setup();
    await database.db.transaction((tx) => mergeContacts(tx, workspace.id, bob.id, ann.id));
    const message = await deliver(workspace.id, bob.id, "After the merge");
    const [item] = await database.db.select().from(inboxItems).where(and(eq(inboxItems.workspaceId, workspace.id), eq(inboxItems.messageId, message.id)));
    expect(item.contactId).toBe(ann.id);
  });

  it("issues user tokens that name the workspace and contact, and refuses altered, expired or foreign ones", async () => {
    const { workspace, ann } = await setup();
    const other = await setup();
    const { token, expiresAt } = await issueInboxToken(database.db, { workspaceId: workspace.id, contactId: ann.id, expiresInSeconds: 3600 });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await checkInboxToken(database.db, workspace.id, token)).toMatchObject({ ok: true, contactId: ann.id });

    expect(await checkInboxToken(database.db, other.workspace.id, token)).toMatchObject({ ok: false, reason: "other_workspace" });
    expect(await checkInboxToken(database.db, workspace.id, undefined)).toMatchObject({ ok: false, reason: "missing" });

    // Rewriting the payload to name Bob breaks the signature.
    const [body, signature] = token.split(".");
    const forged = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    expect(forged.c).toBe(ann.id);
    const tampered = `${Buffer.from(JSON.stringify({ ...forged, c: other.ann.id })).toString("base64url")}.${signature}`;
    expect(await checkInboxToken(database.db, workspace.id, tampered)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkInboxToken(database.db, workspace.id, `${body}.${signature.slice(0, -2)}AA`)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkInboxToken(database.db, workspace.id, "garbage")).toMatchObject({ ok: false, reason: "invalid" });

    const past = new Date(Date.now() - 2 * 3600 * 1000);
    const old = await issueInboxToken(database.db, { workspaceId: workspace.id, contactId: ann.id, expiresInSeconds: 3600, now: past });
    expect(await checkInboxToken(database.db, workspace.id, old.token)).toMatchObject({ ok: false, reason: "expired" });
  });

  it("lists a contact's items newest first in pages, filters unread, marks read and unread, counts unread", async () => {
    const { workspace, ann, bob } = await setup();
    const sent = [];
    for (let index = 1; index <= 5; index++) sent.push(await deliver(workspace.id, ann.id, `Note ${index}`));
    await deliver(workspace.id, bob.id, "For Bob");
    const list = (params: { limit?: number; cursor?: string; unreadOnly?: boolean } = {}) =>
      listInboxItems(database.db, { workspaceId: workspace.id, contactId: ann.id, ...params });

    const first = await list({ limit: 2 });
    expect(first.items.map((item) => item.title)).toEqual(["Note 5", "Note 4"]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((item) => item.title)).toEqual(["Note 3", "Note 2"]);
    const third = await list({ limit: 2, cursor: second.nextCursor! });
    expect(third.items.map((item) => item.title)).toEqual(["Note 1"]);
    expect(third.nextCursor).toBeNull();
    await expect(list({ cursor: "bm90IGEgY3Vyc29y" })).rejects.toMatchObject({ code: "bad_request" });

    expect(await unreadInboxCount(database.db, workspace.id, ann.id)).toBe(5);
    const note2 = second.items[1];
    const read = await markInboxItem(database.db, { workspaceId: workspace.id, contactId: ann.id, itemId: note2.id, read: true });
    expect(read.readAt).toBeInstanceOf(Date);
    expect(await unreadInboxCount(database.db, workspace.id, ann.id)).toBe(4);
    expect((await list({ unreadOnly: true })).items.map((item) => item.title)).toEqual(["Note 5", "Note 4", "Note 3", "Note 1"]);

    // Reading is the inbox's open: the message moves to opened, with one opened event however often it is read.
    await markInboxItem(database.db, { workspaceId: workspace.id, contactId: ann.id, itemId: note2.id, read: true });
    const [message] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspace.id), eq(messages.id, sent[1].id)));
    expect(message.status).toBe("opened");
    expect(message.openedAt).toBeInstanceOf(Date);
    const opens = await database.db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.workspaceId, workspace.id), eq(messageEvents.messageId, sent[1].id), eq(messageEvents.type, "opened")));
    expect(opens).toHaveLength(1);

    const unread = await markInboxItem(database.db, { workspaceId: workspace.id, contactId: ann.id, itemId: note2.id, read: false });
    expect(unread.readAt).toBeNull();
    expect(await unreadInboxCount(database.db, workspace.id, ann.id)).toBe(5);

    // Bob cannot mark Ann's item, and does not see it.
    await expect(markInboxItem(database.db, { workspaceId: workspace.id, contactId: bob.id, itemId: note2.id, read: true })).rejects.toMatchObject({
      code: "not_found",
    });
    const bobs = await listInboxItems(database.db, { workspaceId: workspace.id, contactId: bob.id });
    expect(bobs.items.map((item) => item.title)).toEqual(["For Bob"]);

    expect(await markAllInboxRead(database.db, { workspaceId: workspace.id, contactId: ann.id })).toBe(5);
    expect(await unreadInboxCount(database.db, workspace.id, ann.id)).toBe(0);
    expect(await unreadInboxCount(database.db, workspace.id, bob.id)).toBe(1);
    expect((await list({ unreadOnly: true })).items).toEqual([]);
  });
});
