import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { findContact } from "@/db/queries/contacts";
import {
  broadcasts,
  broadcastVariants,
  messageContents,
  messageEvents,
  messages,
  senderIdentities,
  workspaces,
  type Channel,
  type Contact,
  type JsonObject,
  type Message,
  type MessageEventType,
  type MessageStatus,
} from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { messageSend } from "@/jobs/message-send";
import { adapterFor } from "@/lib/channels/adapters";
import type { ChannelAdapter, SendResult } from "@/lib/channels/types";
import { AppError } from "@/lib/errors";
import { checkEligibility, suppressAddress } from "./eligibility";
import { frequencyCapEnd, quietHoursEnd } from "./pacing";
import { contactCoupons, couponContext } from "@/lib/rewards/coupons";
import { contactContext, personalise, type Rendered } from "./render";
import { remember } from "./reference-cache";
import { loadMessagingSettings } from "./settings";
import { getTemplateVersion } from "./templates";
import { trackLinks } from "./tracking";
import { listUnsubscribeHeaders, unsubscribeLinks } from "./unsubscribe";

/** The public origin for links in messages: APP_URL, else this host's port on localhost. */
export function publicOrigin(): string {
  const configured = process.env.APP_URL || process.env.AUTH_URL;
  if (configured) return configured.replace(/\/+$/, "");
  return `http://localhost:${process.env.PORT || 3000}`;
}

export interface SendInput {
  workspaceId: string;
  contactId: string | null;
  templateId: string;
  version?: number;
  channel?: Channel;
  idempotencyKey: string;
  source: string;
  sourceId?: string;
  data?: JsonObject;
  event?: { name: string | null; properties: JsonObject };
  /** Overrides the contact's address (send a test to me). */
  to?: string;
}

async function recordEvent(db: Db, message: Pick<Message, "workspaceId" | "id">, type: MessageEventType, reason?: string | null, details: JsonObject = {}) {
  await db.insert(messageEvents).values({ workspaceId: message.workspaceId, messageId: message.id, type, reason: reason ?? null, details });
}

async function resolveTemplate(db: Db, input: Pick<SendInput, "workspaceId" | "templateId" | "version" | "channel">) {
  const found = await getTemplateVersion(db, input.workspaceId, input.templateId, input.version);
  if (!found) {
    throw new AppError("not_found", input.version ? `Template ${input.templateId} has no version ${input.version}.` : `No template ${input.templateId} in this workspace.`);
  }
  if (found.template.archivedAt) throw new AppError("validation_failed", `Template "${found.template.name}" is archived; restore it or pick another.`);
  if (input.channel && input.channel !== found.template.channel) {
    throw new AppError("validation_failed", `Template "${found.template.name}" is for ${found.template.channel}, not ${input.channel}.`, [
      { path: "channel", message: "channel_mismatch" },
    ]);
  }
  return found;
}

/** Inserts the message (or returns the existing one with that key) and queues message.send in the same transaction. */
export async function queueMessage(db: Db, input: SendInput): Promise<{ message: Message; created: boolean }> {
  const { template, version } = await resolveTemplate(db, input);
  if (input.contactId) {
    const contact = await findContact(db, input.workspaceId, { id: input.contactId });
    if (!contact) throw new AppError("not_found", `No contact ${input.contactId} in this workspace.`);
  } else if (!input.to) {
    throw new AppError("validation_failed", "Name a contact or an address to send to.", [{ path: "contact", message: "required" }]);
  }
  const data: JsonObject = { ...(input.data ?? {}) };
  if (input.event) data.$event = { name: input.event.name, properties: input.event.properties };
  // Starting pg-boss inside the transaction would deadlock the embedded database.
  await getBoss();
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(messages)
      .values({
        workspaceId: input.workspaceId,
        idempotencyKey: input.idempotencyKey,
        source: input.source,
        sourceId: input.sourceId ?? null,
        contactId: input.contactId,
        channel: template.channel,
        kind: template.kind,
        templateId: template.id,
        templateVersion: version.version,
        topicId: template.topicId,
        toAddress: input.to ?? null,
        data,
      })
      .onConflictDoNothing({ target: [messages.workspaceId, messages.idempotencyKey] })
      .returning();
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(messages)
        .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.idempotencyKey, input.idempotencyKey)));
      return { message: existing, created: false };
    }
    await recordEvent(tx, inserted, "queued", null, { source: input.source });
    await enqueue(messageSend, { workspaceId: input.workspaceId, messageId: inserted.id }, { tx });
    return { message: inserted, created: true };
  });
}

/** "Send test to me": renders for the chosen contact (or sample data) and sends now to `to`, bypassing consent and caps. */
export async function sendTestMessage(
  db: Db,
  input: { workspaceId: string; templateId: string; version?: number; contactId?: string | null; to: string; userId: string },
): Promise<{ message: Message }> {
  const { template, version } = await resolveTemplate(db, input);
  if (input.contactId && !(await findContact(db, input.workspaceId, { id: input.contactId }))) {
    throw new AppError("not_found", `No contact ${input.contactId} in this workspace.`);
  }
  const [message] = await db
    .insert(messages)
    .values({
      workspaceId: input.workspaceId,
      idempotencyKey: `test:${randomUUID()}`,
      source: "test",
      sourceId: input.userId,
      contactId: input.contactId ?? null,
      channel: template.channel,
      kind: template.kind,
      templateId: template.id,
      templateVersion: version.version,
      topicId: template.topicId,
      toAddress: input.to,
    })
    .returning();
  await recordEvent(db, message, "queued", null, { source: "test" });
  await deliverMessage(db, input.workspaceId, message.id, { finalAttempt: true });
  const [after] = await db.select().from(messages).where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.id, message.id)));
  return { message: after };
}

function addressOf(channel: Channel, contact: Contact | undefined): string | undefined {
  if (!contact) return undefined;
  switch (channel) {
    case "email":
      return contact.email ?? undefined;
    case "sms":
      return contact.phone ?? undefined;
    case "inbox":
      return contact.id;
    case "wechat": {
      const openid = contact.attributes.wechat_openid;
      return typeof openid === "string" ? openid : undefined;
    }
    default:
      return undefined;
  }
}

function mailbox(name: string | null | undefined, email: string): string {
  return name ? `"${name.replaceAll('"', "'")}" <${email}>` : email;
}

export interface DeliverOptions {
  now?: Date;
  /** The last try: a retryable failure is recorded as failed instead of thrown. */
  finalAttempt?: boolean;
  /** Tests wrap the adapter to stand in for a crash between hand-over and record. */
  wrapAdapter?: (adapter: ChannelAdapter) => ChannelAdapter;
}

export type DeliveryOutcome =
  | { status: MessageStatus; reason?: string }
  | { status: "deferred"; until: Date; reason: string }
  | { status: "missing" };

/** Thrown for pg-boss to try the message again with backoff. */
export class RetryableSendError extends Error {}

async function settle(db: Db, message: Message, status: MessageStatus, type: MessageEventType, reason: string | null, extra: Partial<Message> = {}, details: JsonObject = {}) {
  await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ status, statusReason: reason, updatedAt: new Date(), ...extra })
      .where(and(eq(messages.workspaceId, message.workspaceId), eq(messages.id, message.id)));
    await recordEvent(tx, message, type, reason, details);
  });
  return { status, ...(reason ? { reason } : {}) };
}

async function defer(db: Db, message: Message, until: Date, reason: string): Promise<DeliveryOutcome> {
  await getBoss();
  await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ notBefore: until, statusReason: reason, updatedAt: new Date() })
      .where(and(eq(messages.workspaceId, message.workspaceId), eq(messages.id, message.id)));
    await recordEvent(tx, message, "deferred", reason, { until: until.toISOString() });
    await enqueue(messageSend, { workspaceId: message.workspaceId, messageId: message.id }, { tx, startAfter: until });
  });
  return { status: "deferred", until, reason };
}

// The message.send job: checks, renders, hands over, records. Safe to run twice: a message is
// handed to its channel only from `queued`, after a committed switch to `sending`; a retry that
// finds `sending` knows a previous attempt may have handed it over and never sends it again.
export async function deliverMessage(db: Db, workspaceId: string, messageId: string, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
  const now = options.now ?? new Date();
  const [message] = await db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
  if (!message) return { status: "missing" };
  if (message.status === "sending") {
    return settle(db, message, "sent", "sent", "interrupted_after_handover", { sentAt: message.sentAt ?? now }, { recovered: true });
  }
  if (message.status !== "queued") return { status: message.status };
  if (message.notBefore && message.notBefore > now) return defer(db, message, message.notBefore, message.statusReason ?? "deferred");

  const isTest = message.source === "test";
  const broadcast = message.source === "broadcast" && message.sourceId ? await broadcastOf(db, workspaceId, message.sourceId, message.variant) : null;
  if (broadcast?.status === "paused") return { status: "queued", reason: "broadcast_paused" };
  if (broadcast?.status === "cancelled") return settle(db, message, "cancelled", "cancelled", "broadcast_cancelled");
  const [workspace] = await remember(db, workspaceId, "workspace", () => db.select().from(workspaces).where(eq(workspaces.id, workspaceId)));
  const settings = await remember(db, workspaceId, "settings", () => loadMessagingSettings(db, workspaceId));
  const contact = message.contactId ? await findContact(db, workspaceId, { id: message.contactId }) : undefined;
  if (message.contactId && !contact) return settle(db, message, "suppressed", "suppressed", "contact_erased");
  const found = message.templateId
    ? await remember(db, workspaceId, `template:${message.templateId}:${message.templateVersion ?? "current"}`, () =>
        getTemplateVersion(db, workspaceId, message.templateId!, message.templateVersion ?? undefined),
      )
    : undefined;
  // Messages Tideline writes itself (a journey's webhook, a task notification) carry their content.
  const inline = message.templateId ? undefined : inlineContent(message.data);
  if (!found && !inline) return settle(db, message, "failed", "failed", "template_missing");
  // An A/B variant may change the subject or the sender of its template's version.
  const version = !found
    ? undefined
    : broadcast?.variant
    ? {
        ...found.version,
        subject: broadcast.variant.subject ?? found.version.subject,
        fromName: broadcast.variant.fromName ?? found.version.fromName,
        fromEmail: broadcast.variant.fromEmail ?? found.version.fromEmail,
      }
    : found.version;

  let address = message.toAddress ?? addressOf(message.channel, contact);
  if (!address && message.channel !== "webhook") return settle(db, message, "suppressed", "suppressed", "no_address");

  if (!isTest) {
    const eligible = await checkEligibility(db, {
      workspaceId,
      contactId: message.contactId,
      channel: message.channel,
      kind: message.kind,
      topicId: message.topicId,
      address: address ?? "",
    });
    if (!eligible.ok) return settle(db, message, "suppressed", "suppressed", eligible.reason);
    if (message.kind === "marketing" && contact) {
      const quietUntil = quietHoursEnd(now, settings.quietHours, contact.timezone ?? workspace.timezone);
      if (quietUntil) return defer(db, message, quietUntil, "quiet_hours");
    }
  }

  // Render: Liquid over the version's stored layout, then the channel's extras.
  const origin = publicOrigin();
  const marketingEmail = message.channel === "email" && message.kind === "marketing" && contact !== undefined;
  const links = marketingEmail && contact
    ? await unsubscribeLinks(db, { workspaceId, contactId: contact.id, messageId, origin })
    : { oneClick: "", preferences: "" };
  const { $event, ...rest } = message.data;
  // A message's own content and its coupon are what it renders, not data for the template.
  const data = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== "$content" && key !== "$coupon")) as JsonObject;
  const coupon = inline ? undefined : await couponFor(db, workspaceId, message, version!);
  const rendered = inline ?? await personalise(version!, {
    coupon,
    contact: contact ? contactContext(contact) : null,
    event: $event && typeof $event === "object" && !Array.isArray($event) ? ($event as { name: string | null; properties: JsonObject }) : undefined,
    data,
    workspace: { name: workspace.name, postal_address: settings.postalAddress ?? null },
    links: { unsubscribe: links.oneClick, preferences: links.preferences },
    message: { id: messageId },
  });
  let html = rendered.html;
  let trackedLinks: string[] = [];
  if (message.channel === "email" && html) {
    const tracked = await trackLinks(db, {
      workspaceId,
      messageId,
      html,
      origin,
      trackOpens: settings.trackOpens,
      trackClicks: settings.trackClicks,
      utm: settings.utm,
    });
    html = tracked.html;
    trackedLinks = tracked.links;
  }
  const headers: Record<string, string> = marketingEmail ? listUnsubscribeHeaders(links) : {};
  if (message.channel === "webhook") address = address ?? rendered.url;
  if (!address) return settle(db, message, "failed", "failed", "no_webhook_url");

  const adapter = options.wrapAdapter ? options.wrapAdapter(adapterFor(db, message.channel, settings)) : adapterFor(db, message.channel, settings);
  let from: string | undefined;
  let replyTo = rendered.replyTo;
  if (message.channel === "email") {
    const [sender] = rendered.fromEmail
      ? []
      : await remember(db, workspaceId, "sender", () =>
          db
            .select()
            .from(senderIdentities)
            .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.isDefault, true)))
            .limit(1),
        );
    const fromEmail = rendered.fromEmail || sender?.email || process.env.EMAIL_FROM || (adapter.name === "outbox" ? "no-reply@tideline.local" : undefined);
    if (!fromEmail) return settle(db, message, "failed", "failed", "no_sender");
    from = /</.test(fromEmail) ? fromEmail : mailbox(rendered.fromName || sender?.name || workspace.name, fromEmail);
    replyTo = replyTo || sender?.replyTo || undefined;
  }
  const subject = isTest ? `[Test] ${rendered.subject}` : rendered.subject;

  // Claim: from queued to sending, committed before the hand-over. Marketing sends take the
  // contact's lock so two messages racing for the cap's last slot cannot both go.
  const claim = (atCommit?: () => void) => db.transaction(async (tx): Promise<{ skip?: MessageStatus | "missing"; capUntil?: Date }> => {
    const [current] = await tx
      .select({ status: messages.status })
      .from(messages)
      .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)))
      .for("update");
    if (!current) return { skip: "missing" as const };
    if (current.status !== "queued") return { skip: current.status };
    // Paused or cancelled since the check above: not handed over.
    if (broadcast && (await broadcastOf(tx, workspaceId, message.sourceId!, null))?.status !== "sending") return { skip: "queued" };
    if (!isTest && message.kind === "marketing" && contact) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${workspaceId}:${contact.id}`}))`);
      const capUntil = await frequencyCapEnd(tx, {
        workspaceId,
        contactId: contact.id,
        channel: message.channel,
        cap: settings.frequencyCaps[message.channel],
        now,
        excludeMessageId: messageId,
      });
      if (capUntil) return { capUntil };
    }
    const content = { fromAddress: from ?? null, replyTo: replyTo ?? null, subject, html: html ?? null, text: rendered.text, headers, links: trackedLinks };
    await tx
      .insert(messageContents)
      .values({ workspaceId, messageId, ...content })
      .onConflictDoUpdate({ target: [messageContents.workspaceId, messageContents.messageId], set: content });
    await tx
      .update(messages)
      .set({ status: "sending", attempts: sql`${messages.attempts} + 1`, toAddress: address, subject, updatedAt: new Date() })
      .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
    // The driver writes the COMMIT that follows on this turn's check phase (it gathers small
    // writes with setImmediate); an immediate queued now runs beside it. So the adapter's last
    // write and the COMMIT leave the process together, without waiting for the database's answer:
    // a worker killed before them has sent nothing and committed nothing, one killed after them
    // has done both, and the retry that finds `sending` is right to record it as sent.
    if (atCommit) setImmediate(atCommit);
    return {};
  });
  let claimed: Awaited<ReturnType<typeof claim>> | undefined;
  // Once per delivery: an adapter wrapped by another may be asked twice.
  const handover = async (atCommit?: () => void) => {
    claimed ??= await claim(atCommit);
    return !claimed.skip && !claimed.capUntil;
  };
  const notHandedOver = async (): Promise<DeliveryOutcome | undefined> => {
    if (claimed?.skip) return claimed.skip === "missing" ? { status: "missing" } : { status: claimed.skip };
    if (claimed?.capUntil) return defer(db, message, claimed.capUntil, "frequency_cap");
    return undefined;
  };
  if (!adapter.handsOverLate) {
    await handover();
    const skipped = await notHandedOver();
    if (skipped) return skipped;
  }

  const result: SendResult = await adapter.send({
    workspaceId,
    messageId,
    channel: message.channel,
    to: address,
    contactId: message.contactId,
    from,
    replyTo,
    subject,
    html,
    text: rendered.text,
    headers,
    data: { ...data, ...(rendered.url ? { url: rendered.url } : {}) },
    handover,
  });
  const skipped = await notHandedOver();
  if (skipped) return skipped;
  return record(db, message, result, address, adapter.name, options.finalAttempt ?? false, now);
}

// `{{ coupon.code }}`: the coupon issued with the message (a monitor's reward), else the
// contact's newest issued coupon, looked up only when the template mentions one.
async function couponFor(db: Db, workspaceId: string, message: Message, version: { subject: string | null; html: string | null; text: string | null }): Promise<JsonObject | undefined> {
  const given = message.data.$coupon;
  if (given && typeof given === "object" && !Array.isArray(given)) return given as JsonObject;
  if (!message.contactId || ![version.subject, version.html, version.text].some((part) => part?.includes("coupon"))) return undefined;
  const [latest] = await contactCoupons(db, workspaceId, message.contactId);
  return latest ? (couponContext(latest.code, latest.campaign) as JsonObject) : undefined;
}

/** The content of a message without a template: `data.$content` ({ subject, html, text }), or nothing to render (a webhook posts its data). */
function inlineContent(data: JsonObject): Rendered | undefined {
  const content = data.$content;
  if (content && typeof content === "object" && !Array.isArray(content)) {
    const field = (key: string) => (typeof content[key] === "string" ? (content[key] as string) : undefined);
    return { subject: field("subject") ?? "", html: field("html"), text: field("text") ?? "" };
  }
  return { subject: "", text: "" };
}

/** A broadcast message's broadcast state and its variant's overrides. */
async function broadcastOf(db: Db, workspaceId: string, broadcastId: string, variantKey: string | null) {
  const [row] = await db
    .select({ status: broadcasts.status })
    .from(broadcasts)
    .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId)));
  if (!row) return null;
  const [variant] = variantKey
    ? await db
        .select({ subject: broadcastVariants.subject, fromName: broadcastVariants.fromName, fromEmail: broadcastVariants.fromEmail })
        .from(broadcastVariants)
        .where(and(eq(broadcastVariants.workspaceId, workspaceId), eq(broadcastVariants.broadcastId, broadcastId), eq(broadcastVariants.key, variantKey)))
    : [];
  return { status: row.status, variant: variant ?? null };
}

async function record(db: Db, message: Message, result: SendResult, address: string, adapter: string, finalAttempt: boolean, now: Date): Promise<DeliveryOutcome> {
  switch (result.status) {
    case "sent":
      return settle(db, message, "sent", "sent", null, { sentAt: now, providerMessageId: result.providerMessageId ?? null }, { adapter, ...(result.details ?? {}) });
    case "skipped":
      return settle(db, message, "suppressed", "suppressed", result.reason, {}, { adapter });
    case "permanent":
      if (result.bounce) {
        await suppressAddress(db, { workspaceId: message.workspaceId, channel: message.channel, address, reason: "hard_bounce", details: result.reason });
        return settle(db, message, "bounced", "bounced", result.reason, {}, { adapter, hard: true });
      }
      return settle(db, message, "failed", "failed", result.reason, {}, { adapter });
    case "retryable":
      if (finalAttempt) return settle(db, message, "failed", "failed", `gave up: ${result.reason}`, {}, { adapter });
      await settle(db, message, "queued", "retry", result.reason, {}, { adapter });
      throw new RetryableSendError(result.reason);
  }
}
