import { createHash } from "node:crypto";
import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { contacts, events, messageEvents, messages, type JsonObject, type MessageStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { refreshContacts } from "@/lib/segments/membership";
import { genericFeedbackBodySchema } from "@/lib/validation/inbox";
import { suppressAddress } from "./eligibility";

// Bounce, complaint and delivery notifications from email providers. Each names a recipient
// and, when the provider kept it, the message (our Message-ID `<id@tideline>` or the id the
// SMTP server gave back); otherwise the latest message to that address is the one meant.

export type FeedbackType = "bounce" | "complaint" | "delivered";

export interface FeedbackNotice {
  type: FeedbackType;
  email: string;
  /** A Tideline message id or Message-ID header. */
  messageId?: string;
  providerMessageId?: string;
  /** Hard (permanent) bounces suppress the address; soft (transient) ones are only recorded. */
  bounceType?: "hard" | "soft";
  reason?: string;
  /** Same notification, same key: the provider's notification id, or a hash of the payload. */
  key: string;
  payload: JsonObject;
}

export interface ParsedFeedback {
  notices: FeedbackNotice[];
  /** Notifications understood but not about bounces, complaints or deliveries (SES sends, opens). */
  ignored: number;
  /** An SNS subscription to confirm by opening this URL. */
  subscribeUrl?: string;
}

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
}

export function parseGenericFeedback(body: unknown): ParsedFeedback {
  const items = genericFeedbackBodySchema.parse(body);
  return {
    ignored: 0,
    notices: items.map((item) => ({
      type: item.type,
      email: item.email,
      messageId: item.message_id,
      providerMessageId: item.provider_message_id,
      bounceType: item.type === "bounce" ? (item.bounce_type ?? "hard") : undefined,
      reason: item.reason,
      key: `generic:${item.id ?? hashOf(item)}:${item.email}`,
      payload: item as unknown as JsonObject,
    })),
  };
}

// ── Amazon SES (directly, or inside an SNS envelope) ──────────────────────────────────────────

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => Boolean(value) && typeof value === "object" && !Array.isArray(value);
const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : undefined);

function invalid(message: string): never {
  throw new AppError("validation_failed", message);
}

function sesHeader(mail: Json, name: string): string | undefined {
  const headers = Array.isArray(mail.headers) ? mail.headers : [];
  for (const header of headers) {
    if (isObject(header) && String(header.name).toLowerCase() === name) return text(header.value);
  }
  const common = isObject(mail.commonHeaders) ? mail.commonHeaders : {};
  return text(common[name === "message-id" ? "messageId" : name]);
}

function recipients(list: unknown, field?: string): string[] {
  if (!Array.isArray(list)) return [];
  const addresses = list.map((entry) => (field ? (isObject(entry) ? text(entry[field]) : undefined) : text(entry)));
  return addresses.filter((address): address is string => Boolean(address)).map((address) => address.toLowerCase());
}

/** One SES notification (the JSON SES publishes: notificationType, or eventType for event publishing). */
export function parseSesNotification(event: Json, envelopeId?: string): ParsedFeedback {
  const kind = text(event.notificationType) ?? text(event.eventType);
  if (!kind) invalid("Not an SES notification: it has no notificationType or eventType.");
  const mail = isObject(event.mail) ? event.mail : {};
  const base = {
    messageId: sesHeader(mail, "message-id"),
    providerMessageId: text(mail.messageId),
    payload: event as JsonObject,
  };
  const notices: FeedbackNotice[] = [];
  if (kind === "Bounce") {
    const bounce = isObject(event.bounce) ? event.bounce : invalid("An SES Bounce notification needs a bounce object.");
    const hard = bounce.bounceType === "Permanent";
    const id = text(bounce.feedbackId) ?? envelopeId ?? hashOf(event);
    const bounced = Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients.filter(isObject) : [];
    if (bounced.length === 0) invalid("An SES Bounce notification needs bouncedRecipients.");
    for (const recipient of bounced) {
      const email = text(recipient.emailAddress)?.toLowerCase();
      if (!email) continue;
      const said = [bounce.bounceType, bounce.bounceSubType].filter(Boolean).join("/");
      const diagnostic = text(recipient.diagnosticCode) ?? text(recipient.status);
      notices.push({
        ...base,
        type: "bounce",
        email,
        bounceType: hard ? "hard" : "soft",
        reason: diagnostic ? `${said}: ${diagnostic}` : said,
        key: `ses:${id}:${email}`,
      });
    }
  } else if (kind === "Complaint") {
    const complaint = isObject(event.complaint) ? event.complaint : invalid("An SES Complaint notification needs a complaint object.");
    const id = text(complaint.feedbackId) ?? envelopeId ?? hashOf(event);
    const complained = recipients(complaint.complainedRecipients, "emailAddress");
    if (complained.length === 0) invalid("An SES Complaint notification needs complainedRecipients.");
    for (const email of complained) {
      notices.push({ ...base, type: "complaint", email, reason: text(complaint.complaintFeedbackType) ?? "complaint", key: `ses:${id}:${email}` });
    }
  } else if (kind === "Delivery") {
    const delivery = isObject(event.delivery) ? event.delivery : invalid("An SES Delivery notification needs a delivery object.");
    const id = envelopeId ?? `${base.providerMessageId ?? hashOf(event)}:delivery`;
    const delivered = recipients(delivery.recipients);
    if (delivered.length === 0) invalid("An SES Delivery notification needs recipients.");
    for (const email of delivered) {
      notices.push({ ...base, type: "delivered", email, reason: text(delivery.smtpResponse), key: `ses:${id}:${email}` });
    }
  } else {
    return { notices: [], ignored: 1 };
  }
  return { notices, ignored: 0 };
}

/** An SNS delivery (subscription confirmation or notification) or a raw SES notification. */
export function parseSesFeedback(body: unknown): ParsedFeedback {
  if (!isObject(body)) invalid("Send an SNS message or an SES notification as a JSON object.");
  const type = text(body.Type);
  if (!type) return parseSesNotification(body);
  if (type === "SubscriptionConfirmation" || type === "UnsubscribeConfirmation") {
    const url = text(body.SubscribeURL);
    if (!url) invalid(`An SNS ${type} needs a SubscribeURL.`);
    return { notices: [], ignored: 0, subscribeUrl: url };
  }
  if (type !== "Notification") invalid(`Unknown SNS message Type ${JSON.stringify(type)}.`);
  const raw = text(body.Message);
  if (!raw) invalid("An SNS Notification needs a Message.");
  let event: unknown;
  try {
    event = JSON.parse(raw);
  } catch {
    invalid("The SNS Message is not JSON; subscribe the SES notification topic with raw delivery off.");
  }
  if (!isObject(event)) invalid("The SNS Message is not an SES notification object.");
  return parseSesNotification(event, text(body.MessageId));
}

export const feedbackParsers: Record<string, (body: unknown) => ParsedFeedback> = {
  generic: parseGenericFeedback,
  ses: parseSesFeedback,
};

// ── Recording ────────────────────────────────────────────────────────────────────────────────

export interface FeedbackResult {
  email: string;
  type: FeedbackType;
  message_id: string | null;
  /** recorded; duplicate (this notification was recorded before); unmatched (no message found). */
  outcome: "recorded" | "duplicate" | "unmatched";
  suppressed: boolean;
}

const uuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** Our message id from `<id@tideline>` (the Message-ID the SMTP adapter sets) or a bare id. */
export function tidelineMessageId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match = new RegExp(`^<?${uuid.source}(@[^>\\s]+)?>?$`, "i").exec(value.trim());
  return match?.[1].toLowerCase();
}

function variants(value: string): string[] {
  const bare = value.trim().replace(/^<|>$/g, "");
  return [...new Set([value.trim(), bare, `<${bare}>`])];
}

async function findMessage(db: Db, workspaceId: string, notice: FeedbackNotice) {
  const columns = { id: messages.id, status: messages.status, contactId: messages.contactId, templateId: messages.templateId };
  const ids = [notice.messageId, notice.providerMessageId].map(tidelineMessageId).filter((id): id is string => Boolean(id));
  if (ids.length > 0) {
    const [byId] = await db.select(columns).from(messages).where(and(eq(messages.workspaceId, workspaceId), inArray(messages.id, ids))).limit(1);
    if (byId) return byId;
  }
  const provider = [notice.providerMessageId, notice.messageId].filter((value): value is string => Boolean(value)).flatMap(variants);
  if (provider.length > 0) {
    const [byProvider] = await db
      .select(columns)
      .from(messages)
      .where(and(eq(messages.workspaceId, workspaceId), inArray(messages.providerMessageId, provider)))
      .limit(1);
    if (byProvider) return byProvider;
  }
  // The latest email to the address: through the contacts that have it first (indexed), then
  // any message to it (a test send, an address the contact has since changed).
  const toAddress = [
    eq(messages.workspaceId, workspaceId),
    eq(messages.channel, "email"),
    sql`lower(${messages.toAddress}) = ${notice.email}`,
    notInArray(messages.status, ["queued", "suppressed"]),
  ];
  const holders = db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), sql`lower(${contacts.email}) = ${notice.email}`));
  for (const scope of [inArray(messages.contactId, holders), undefined]) {
    const [latest] = await db
      .select(columns)
      .from(messages)
      .where(and(...toAddress, scope))
      .orderBy(desc(sql`coalesce(${messages.sentAt}, ${messages.createdAt})`))
      .limit(1);
    if (latest) return latest;
  }
  return undefined;
}

// Which statuses a notification may move a message from: a delivery only confirms a sent
// message; a bounce or complaint overrides what came after sending (delivered, opened, clicked).
const movesFrom: Record<"bounced" | "complained" | "delivered", MessageStatus[]> = {
  delivered: ["sent"],
  bounced: ["sending", "sent", "delivered", "opened", "clicked", "failed"],
  complained: ["sending", "sent", "delivered", "opened", "clicked", "bounced", "failed"],
};

const eventTypeOf = { bounce: "bounced", complaint: "complained", delivered: "delivered" } as const;

/** Contact timeline names, for segments ("performed Email Bounced"): deliveries are not worth one. */
export const timelineNames = { bounce: "Email Bounced", complaint: "Email Marked as Spam" } as const;

interface Recorded extends FeedbackResult {
  contactId: string | null;
}

async function recordOne(db: Db, workspaceId: string, notice: FeedbackNotice): Promise<Recorded> {
  return db.transaction(async (tx) => {
    const message = await findMessage(tx, workspaceId, notice);
    const type = eventTypeOf[notice.type];
    const suppress = notice.type === "complaint" || (notice.type === "bounce" && notice.bounceType === "hard");
    const result: Recorded = { email: notice.email, type: notice.type, message_id: message?.id ?? null, outcome: "unmatched", suppressed: false, contactId: null };
    if (message) {
      const reason = notice.type === "bounce" ? `${notice.bounceType} bounce${notice.reason ? `: ${notice.reason}` : ""}` : (notice.reason ?? null);
      const [event] = await tx
        .insert(messageEvents)
        .values({
          workspaceId,
          messageId: message.id,
          type,
          reason,
          details: { feedback_key: notice.key, email: notice.email, bounce_type: notice.bounceType ?? null, payload: notice.payload },
        })
        .onConflictDoNothing()
        .returning({ id: messageEvents.id });
      if (!event) return { ...result, outcome: "duplicate" };
      result.outcome = "recorded";
      // A soft bounce is a delay the sending server retries: recorded, the status stays.
      if (!(notice.type === "bounce" && notice.bounceType === "soft")) {
        await tx
          .update(messages)
          .set({
            status: type,
            statusReason: reason,
            updatedAt: new Date(),
            ...(type === "delivered" ? { deliveredAt: sql`coalesce(${messages.deliveredAt}, now())` } : {}),
          })
          .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, message.id), inArray(messages.status, movesFrom[type])));
      }
      if (message.contactId && notice.type !== "delivered") {
        const now = new Date();
        await tx
          .insert(events)
          .values({
            workspaceId,
            messageId: `feedback:${notice.key}`,
            type: "track",
            name: timelineNames[notice.type],
            contactId: message.contactId,
            properties: { message_id: message.id, template_id: message.templateId, bounce_type: notice.bounceType ?? null, reason: notice.reason ?? null },
            timestamp: now,
            receivedAt: now,
            processedAt: now,
          })
          .onConflictDoNothing();
        result.contactId = message.contactId;
      }
    }
    if (suppress) {
      await suppressAddress(tx, {
        workspaceId,
        channel: "email",
        address: notice.email,
        reason: notice.type === "complaint" ? "complaint" : "hard_bounce",
        details: notice.reason ? notice.reason.slice(0, 500) : undefined,
      });
      result.suppressed = true;
    }
    return result;
  });
}

/** Records each notice in its own transaction (one bad recipient does not undo the others). */
export async function recordFeedback(db: Db, workspaceId: string, notices: FeedbackNotice[]): Promise<FeedbackResult[]> {
  const results: FeedbackResult[] = [];
  const touched = new Set<string>();
  for (const notice of notices) {
    const { contactId, ...result } = await recordOne(db, workspaceId, notice);
    if (contactId) touched.add(contactId);
    results.push(result);
  }
  // Real-time segments see the new timeline events at once. Best effort: the feedback is recorded.
  if (touched.size > 0) {
    try {
      await refreshContacts(db, workspaceId, [...touched], {
        events: new Set(Object.values(timelineNames)),
        attributes: new Set(),
        fields: new Set(),
        tags: false,
        created: new Set(),
      });
    } catch (error) {
      console.error("[email feedback] segment refresh", error);
    }
  }
  return results;
}
