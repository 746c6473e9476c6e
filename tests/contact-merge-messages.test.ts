import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { contactConsents, contacts, inboxItems, messages, topicSubscriptions, topics } from "@/db/schema";
import { mergeContacts } from "@/lib/contacts/identity";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";

describe.each(databaseKinds)("a contact merge and its messages on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("moves messages and inbox items to the survivor, and an opt-out on either side stays an opt-out", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const ws = workspace.id;
    const [anonymous, known] = await database.db.insert(contacts).values([{ workspaceId: ws }, { workspaceId: ws, email: "ann@example.test" }]).returning();
    const [news, offers] = await database.db.insert(topics).values([{ workspaceId: ws, name: "News" }, { workspaceId: ws, name: "Offers" }]).returning();
    const [message] = await database.db
      .insert(messages)
      .values({ workspaceId: ws, idempotencyKey: "m1", source: "api", contactId: anonymous.id, channel: "inbox", kind: "marketing" })
      .returning();
    await database.db.insert(inboxItems).values({ workspaceId: ws, contactId: anonymous.id, messageId: message.id, title: "Hi", body: "Welcome" });
    await database.db.insert(contactConsents).values([
      { workspaceId: ws, contactId: anonymous.id, channel: "email", status: "revoked", source: "preference_centre" },
      { workspaceId: ws, contactId: known.id, channel: "email", status: "granted", source: "import" },
      { workspaceId: ws, contactId: anonymous.id, channel: "sms", status: "granted", source: "form" },
    ]);
    await database.db.insert(topicSubscriptions).values([
      { workspaceId: ws, contactId: anonymous.id, topicId: news.id, subscribed: true, source: "api" },
      { workspaceId: ws, contactId: known.id, topicId: news.id, subscribed: false, source: "one_click" },
      { workspaceId: ws, contactId: anonymous.id, topicId: offers.id, subscribed: false, source: "preference_centre" },
    ]);

    await database.db.transaction((tx) => mergeContacts(tx, ws, anonymous.id, known.id));

    const [moved] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, ws), eq(messages.id, message.id)));
    expect(moved.contactId).toBe(known.id);
    const items = await database.db.select().from(inboxItems).where(eq(inboxItems.workspaceId, ws));
    expect(items.map((item) => item.contactId)).toEqual([known.id]);
    const consents = await database.db.select().from(contactConsents).where(eq(contactConsents.workspaceId, ws));
    expect(consents.map((row) => [row.contactId, row.channel, row.status]).sort()).toEqual([
      [known.id, "email", "revoked"],
      [known.id, "sms", "granted"],
    ]);
    const choices = await database.db.select().from(topicSubscriptions).where(eq(topicSubscriptions.workspaceId, ws));
    expect(Object.fromEntries(choices.map((row) => [row.topicId, [row.contactId, row.subscribed]]))).toEqual({
      [news.id]: [known.id, false],
      [offers.id]: [known.id, false],
    });
  });
});
