import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { contacts, events, messageEvents, messages, suppressions, type MessageStatus } from "@/db/schema";
import { parseGenericFeedback, parseSesFeedback, recordFeedback } from "@/lib/messages/feedback";
import { createSegment, listMembers } from "@/lib/segments/manage";
import { recomputeSegment } from "@/lib/segments/membership";
import { createOwnedWorkspace } from "./helpers/accounts";
import { databaseKinds, openTestDatabase } from "./helpers/database";
import { sesBounce, sesComplaint, sesDelivery, snsNotification } from "./helpers/ses-notifications";

describe.each(databaseKinds)("bounce and complaint intake on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function sentEmail(workspaceId: string, to: string, status: MessageStatus = "sent", sentAt = new Date(), contactId: string | null = null) {
    const [message] = await database.db
      .insert(messages)
      .values({
        workspaceId,
        idempotencyKey: `test:${Math.random()}`,
        source: "test",
        channel: "email",
        kind: "marketing",
        toAddress: to,
        contactId,
        subject: "Spring sale",
        status,
        sentAt,
      })
      .returning();
    // What the SMTP adapter stores: the Message-ID it set.
    await database.db
      .update(messages)
      .set({ providerMessageId: `<${message.id}@tideline>` })
      .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, message.id)));
    return message;
  }

  async function stateOf(workspaceId: string, messageId: string) {
    const [message] = await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
    const events = await database.db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.workspaceId, workspaceId), eq(messageEvents.messageId, messageId)));
    return { status: message.status, reason: message.statusReason, deliveredAt: message.deliveredAt, events };
  }

  async function suppressed(workspaceId: string) {
    const rows = await database.db.select().from(suppressions).where(eq(suppressions.workspaceId, workspaceId));
    return rows.map((row) => [row.address, row.reason]).sort();
  }

  it("generic: a hard bounce by message id bounces the message and suppresses the address; a soft one only records", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const hard = await sentEmail(workspace.id, "Gone@Example.com");
    const soft = await sentEmail(workspace.id, "full@example.com");
    const notices = parseGenericFeedback([
      { type: "bounce", email: "gone@example.com", message_id: hard.id, bounce_type: "hard", reason: "550 5.1.1 user unknown" },
      { type: "bounce", email: "full@example.com", message_id: `<${soft.id}@tideline>`, bounce_type: "soft", reason: "452 mailbox full" },
    ]).notices;
    const results = await recordFeedback(database.db, workspace.id, notices);
    expect(results.map((result) => [result.outcome, result.suppressed])).toEqual([
      ["recorded", true],
      ["recorded", false],
    ]);

    const bounced = await stateOf(workspace.id, hard.id);
    expect(bounced.status).toBe("bounced");
    expect(bounced.reason).toContain("550 5.1.1 user unknown");
    expect(bounced.events.map((event) => event.type)).toEqual(["bounced"]);
    expect(bounced.events[0].details).toMatchObject({ bounce_type: "hard", payload: { email: "gone@example.com", bounce_type: "hard" } });

    const delayed = await stateOf(workspace.id, soft.id);
    expect(delayed.status).toBe("sent");
    expect(delayed.events.map((event) => [event.type, event.details.bounce_type])).toEqual([["bounced", "soft"]]);
    expect(await suppressed(workspace.id)).toEqual([["gone@example.com", "hard_bounce"]]);
  });

  it("generic: without a message id the latest message to the address is the one; the same notification twice records once", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const older = await sentEmail(workspace.id, "ann@example.com", "sent", new Date(Date.now() - 86_400_000));
    const latest = await sentEmail(workspace.id, "ann@example.com", "clicked");
    const body = { type: "complaint", email: "ANN@example.com", reason: "abuse" };
    const first = await recordFeedback(database.db, workspace.id, parseGenericFeedback(body).notices);
    expect(first).toEqual([{ email: "ann@example.com", type: "complaint", message_id: latest.id, outcome: "recorded", suppressed: true }]);
    const second = await recordFeedback(database.db, workspace.id, parseGenericFeedback(body).notices);
    expect(second[0].outcome).toBe("duplicate");

    const complained = await stateOf(workspace.id, latest.id);
    expect(complained.status).toBe("complained");
    expect(complained.events.filter((event) => event.type === "complained")).toHaveLength(1);
    expect((await stateOf(workspace.id, older.id)).status).toBe("sent");
    expect(await suppressed(workspace.id)).toEqual([["ann@example.com", "complaint"]]);

    // A bounce for an address never mailed still suppresses it.
    const stray = await recordFeedback(database.db, workspace.id, parseGenericFeedback({ type: "bounce", email: "nobody@example.com" }).notices);
    expect(stray).toEqual([{ email: "nobody@example.com", type: "bounce", message_id: null, outcome: "unmatched", suppressed: true }]);
  });

  it("generic: by address, the contact's latest email is found through the contacts that hold the address", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const [cai] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "Cai@Example.com" }).returning();
    const older = await sentEmail(workspace.id, "cai@example.com", "sent", new Date(Date.now() - 3_600_000), cai.id);
    const newer = await sentEmail(workspace.id, "Cai@example.com", "delivered", new Date(), cai.id);
    const bouncers = await createSegment(database.db, workspace.id, { name: "Bounced", rule: { performed: { event: "Email Bounced" } } });
    await recomputeSegment(database.db, workspace.id, bouncers.id);
    const bounce = { type: "bounce", email: "cai@example.com", bounce_type: "hard", reason: "550 gone" };
    const [result] = await recordFeedback(database.db, workspace.id, parseGenericFeedback(bounce).notices);
    expect(result).toMatchObject({ message_id: newer.id, outcome: "recorded", suppressed: true });
    expect((await stateOf(workspace.id, newer.id)).status).toBe("bounced");
    expect((await stateOf(workspace.id, older.id)).status).toBe("sent");

    // On the contact's timeline (for segments), once however often the notification comes.
    await recordFeedback(database.db, workspace.id, parseGenericFeedback(bounce).notices);
    const timeline = await database.db
      .select()
      .from(events)
      .where(and(eq(events.workspaceId, workspace.id), eq(events.contactId, cai.id), eq(events.name, "Email Bounced")));
    expect(timeline.map((event) => [event.name, event.properties])).toEqual([
      ["Email Bounced", { message_id: newer.id, template_id: null, bounce_type: "hard", reason: "550 gone" }],
    ]);
    // A real-time segment on it has the contact without a recompute.
    const { members } = await listMembers(database.db, workspace.id, bouncers.id, { limit: 10 });
    expect(members.map((member) => member.id)).toEqual([cai.id]);
  });

  it("generic: delivered moves only a sent message; a bounce overrides delivered and opened", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const sent = await sentEmail(workspace.id, "a@example.com");
    const opened = await sentEmail(workspace.id, "b@example.com", "opened");
    await recordFeedback(
      database.db,
      workspace.id,
      parseGenericFeedback([
        { type: "delivered", email: "a@example.com", message_id: sent.id },
        { type: "delivered", email: "b@example.com", message_id: opened.id },
      ]).notices,
    );
    const delivered = await stateOf(workspace.id, sent.id);
    expect(delivered.status).toBe("delivered");
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
    expect((await stateOf(workspace.id, opened.id)).status).toBe("opened");

    await recordFeedback(
      database.db,
      workspace.id,
      parseGenericFeedback([
        { type: "bounce", email: "a@example.com", provider_message_id: `<${sent.id}@tideline>`, bounce_type: "hard" },
        { type: "bounce", email: "b@example.com", message_id: opened.id, bounce_type: "hard" },
      ]).notices,
    );
    expect((await stateOf(workspace.id, sent.id)).status).toBe("bounced");
    expect((await stateOf(workspace.id, opened.id)).status).toBe("bounced");
  });

  it("refuses generic payloads that are not notifications, with the path of the problem", () => {
    expect(() => parseGenericFeedback({ type: "bounce" })).toThrow(/email/);
    expect(() => parseGenericFeedback([{ type: "bounce", email: "a@example.com" }, { type: "oops", email: "b@example.com" }])).toThrow(/type/);
    expect(() => parseGenericFeedback([])).toThrow(/at least one/);
  });

  it("SES: bounce and complaint inside the SNS envelope, and a raw SES delivery, each matched by the Message-ID header", async () => {
    const { workspace } = await createOwnedWorkspace(database.db);
    const bounced = await sentEmail(workspace.id, "gone@example.com");
    const complained = await sentEmail(workspace.id, "angry@example.com", "opened");
    const delivered = await sentEmail(workspace.id, "happy@example.com");
    const soft = await sentEmail(workspace.id, "later@example.com");

    const hardBounce = snsNotification(sesBounce({ messageId: bounced.id, email: "gone@example.com", bounceType: "Permanent" }));
    const results = await recordFeedback(database.db, workspace.id, parseSesFeedback(hardBounce).notices);
    expect(results).toEqual([{ email: "gone@example.com", type: "bounce", message_id: bounced.id, outcome: "recorded", suppressed: true }]);
    // SNS delivers again (it retries until it gets a 2xx): recorded once.
    expect((await recordFeedback(database.db, workspace.id, parseSesFeedback(hardBounce).notices))[0].outcome).toBe("duplicate");

    await recordFeedback(database.db, workspace.id, parseSesFeedback(snsNotification(sesComplaint({ messageId: complained.id, email: "angry@example.com" }))).notices);
    await recordFeedback(database.db, workspace.id, parseSesFeedback(sesDelivery({ messageId: delivered.id, email: "happy@example.com" })).notices);
    await recordFeedback(
      database.db,
      workspace.id,
      parseSesFeedback(snsNotification(sesBounce({ messageId: soft.id, email: "later@example.com", bounceType: "Transient" }))).notices,
    );

    const afterBounce = await stateOf(workspace.id, bounced.id);
    expect(afterBounce.status).toBe("bounced");
    expect(afterBounce.events).toHaveLength(1);
    expect(afterBounce.reason).toContain("smtp; 550 5.1.1 user unknown");
    expect((await stateOf(workspace.id, complained.id)).status).toBe("complained");
    expect((await stateOf(workspace.id, delivered.id)).status).toBe("delivered");
    expect((await stateOf(workspace.id, soft.id)).status).toBe("sent");
    expect(await suppressed(workspace.id)).toEqual([
      ["angry@example.com", "complaint"],
      ["gone@example.com", "hard_bounce"],
    ]);
  });

  it("SES: subscription confirmations carry their URL; other event types are ignored; broken envelopes are refused", () => {
    const confirmation = parseSesFeedback({
      Type: "SubscriptionConfirmation",
      MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
      Token: "2336412f37",
      TopicArn: "arn:aws:sns:us-west-2:123456789012:ses-feedback",
      SubscribeURL: "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:ses-feedback&Token=2336412f37",
    });
    expect(confirmation).toMatchObject({ notices: [], subscribeUrl: expect.stringContaining("ConfirmSubscription") });
    expect(parseSesFeedback({ eventType: "Open", mail: {}, open: {} })).toMatchObject({ notices: [], ignored: 1 });
    expect(() => parseSesFeedback({ Type: "Notification", Message: "not json" })).toThrow(/not JSON/);
    expect(() => parseSesFeedback({ Type: "Notification", Message: JSON.stringify({ notificationType: "Bounce" }) })).toThrow(/bounce/);
    expect(() => parseSesFeedback({ hello: "world" })).toThrow(/notificationType/);
  });
});
