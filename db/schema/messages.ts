import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, users, workspaces } from "./accounts";
import type { JsonObject } from "./customer-data";
// ── Messages ───────────────────────────────────────────────────────────────────
// One message to one contact on one channel, from a versioned template, through one status
// path. Consent, topics and the suppression list are checked when it is sent.

export const channels = ["email", "sms", "wechat", "inbox", "webhook"] as const;
export type Channel = (typeof channels)[number];
export const channelEnum = pgEnum("channel", channels);

/** Marketing messages honour topics, consent, frequency caps and quiet hours; transactional ones only suppression. */
export const messageKinds = ["marketing", "transactional"] as const;
export type MessageKind = (typeof messageKinds)[number];
export const messageKindEnum = pgEnum("message_kind", messageKinds);

export const messageStatuses = [
  "queued",
  "sending",
  "suppressed",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "failed",
  "cancelled",
] as const;
export type MessageStatus = (typeof messageStatuses)[number];
export const messageStatusEnum = pgEnum("message_status", messageStatuses);

/**
 * How a template's content is made: `code` names a react-email component in emails/, `visual`
 * is a document of the visual editor, `text` is plain Liquid (SMS, WeChat, inbox, webhook).
 */
export const templateFormats = ["code", "visual", "text"] as const;
export type TemplateFormat = (typeof templateFormats)[number];

export const templates = pgTable(
  "templates",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    channel: channelEnum("channel").notNull(),
    kind: messageKindEnum("kind").notNull().default("marketing"),
    format: text("format").$type<TemplateFormat>().notNull(),
    /** The subscription topic marketing sends of this template belong to (null: the general list). */
    topicId: uuid("topic_id"),
    /** The newest version; sends use it unless they name another. */
    currentVersion: integer("current_version").notNull().default(0),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("templates_name_idx").on(t.workspaceId, t.name)],
);

// A version is frozen once written. `html` and `text` are the layout rendered once through
// react-email with the Liquid placeholders still in it; each recipient only runs Liquid.
export const templateVersions = pgTable(
  "template_versions",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    templateId: uuid("template_id").notNull(),
    version: integer("version").notNull(),
    subject: text("subject"),
    preheader: text("preheader"),
    fromName: text("from_name"),
    fromEmail: text("from_email"),
    replyTo: text("reply_to"),
    /** The source: `{ component, props }` for code templates, the editor's document, or `{ text }`. */
    content: jsonb("content").$type<JsonObject>().notNull(),
    html: text("html"),
    text: text("text"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.templateId, t.version] })],
);

/** Subscription topics a contact can leave one by one in the preference centre. */
export const topics = pgTable(
  "topics",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    description: text("description"),
    /** Contacts who never chose are subscribed (opt-out topic) or not (opt-in topic). */
    defaultSubscribed: boolean("default_subscribed").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const topicSubscriptions = pgTable(
  "topic_subscriptions",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull(),
    topicId: uuid("topic_id").notNull(),
    subscribed: boolean("subscribed").notNull(),
    /** preference_centre, one_click, api, import, manual. */
    source: text("source").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.contactId, t.topicId] })],
);

export const consentStatuses = ["granted", "revoked"] as const;
export type ConsentStatus = (typeof consentStatuses)[number];

// Consent per channel. No row: the contact never said no (marketing may be sent unless the
// workspace requires opt-in for that channel). "Unsubscribe from all" revokes email consent.
export const contactConsents = pgTable(
  "contact_consents",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull(),
    channel: channelEnum("channel").notNull(),
    status: text("status").$type<ConsentStatus>().notNull(),
    source: text("source").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.contactId, t.channel] })],
);

export const suppressionReasons = ["hard_bounce", "complaint", "unsubscribed", "manual"] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** Addresses nothing is sent to, whichever contact holds them. Emails are stored lower-case. */
export const suppressions = pgTable(
  "suppressions",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    channel: channelEnum("channel").notNull(),
    address: text("address").notNull(),
    reason: text("reason").$type<SuppressionReason>().notNull(),
    details: text("details"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.channel, t.address] })],
);

export const messages = pgTable(
  "messages",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    /** Source + contact + step (e.g. `broadcast:ID:contact:ID`); a second send with it is the first one. */
    idempotencyKey: text("idempotency_key").notNull(),
    /** api, test, broadcast, journey. */
    source: text("source").notNull(),
    sourceId: text("source_id"),
    contactId: uuid("contact_id"),
    channel: channelEnum("channel").notNull(),
    kind: messageKindEnum("kind").notNull(),
    templateId: uuid("template_id"),
    templateVersion: integer("template_version"),
    topicId: uuid("topic_id"),
    /** A broadcast's A/B variant key (A…E). */
    variant: text("variant"),
    /** The address it went to (email, phone, openid, webhook URL), fixed at send time. */
    toAddress: text("to_address"),
    subject: text("subject"),
    /** Liquid data beyond the contact: the triggering event's properties, API `data`. */
    data: jsonb("data").$type<JsonObject>().notNull().default({}),
    status: messageStatusEnum("status").notNull().default("queued"),
    statusReason: text("status_reason"),
    /** The adapter's id for it (SMTP Message-ID, provider id), for bounce and complaint matching. */
    providerMessageId: text("provider_message_id"),
    attempts: integer("attempts").notNull().default(0),
    /** Quiet hours or a frequency cap moved it here. */
    notBefore: timestamp("not_before", { withTimezone: true }),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    clickedAt: timestamp("clicked_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("messages_idempotency_key").on(t.workspaceId, t.idempotencyKey),
    index("messages_recent_idx").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    index("messages_contact_idx").on(t.workspaceId, t.contactId, t.channel, t.sentAt),
    index("messages_template_idx").on(t.workspaceId, t.templateId, t.createdAt),
    index("messages_source_idx").on(t.workspaceId, t.source, t.sourceId),
    index("messages_provider_idx").on(t.providerMessageId).where(sql`provider_message_id is not null`),
  ],
);

// What was sent, as rendered for this recipient: the outbox, the message detail page and the
// click redirect (only links listed here are followed) read it.
export const messageContents = pgTable(
  "message_contents",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").notNull(),
    fromAddress: text("from_address"),
    replyTo: text("reply_to"),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /** The tracked links, by index as the click token names them. */
    links: jsonb("links").$type<string[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.messageId] })],
);

export const messageEventTypes = [
  "queued",
  "deferred",
  "suppressed",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "unsubscribed",
  "failed",
  "retry",
  "cancelled",
] as const;
export type MessageEventType = (typeof messageEventTypes)[number];

/** A message's status history, opens and clicks included (bot ones flagged, not counted as human). */
export const messageEvents = pgTable(
  "message_events",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    messageId: uuid("message_id").notNull(),
    type: text("type").$type<MessageEventType>().notNull(),
    reason: text("reason"),
    /** url, ip, user agent, provider payload. */
    details: jsonb("details").$type<JsonObject>().notNull().default({}),
    /** Set for opens and clicks by bots, mail privacy proxies and link scanners. */
    bot: boolean("bot").notNull().default(false),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("message_events_message_idx").on(t.workspaceId, t.messageId, t.at),
    // Bounce, complaint and delivery notifications carry the provider's id (or a hash of the
    // payload) here, so a notification delivered twice is recorded once.
    uniqueIndex("message_events_feedback_key").on(t.workspaceId, sql`(details->>'feedback_key')`).where(sql`(details->>'feedback_key') is not null`),
  ],
);

/** The in-app inbox (站内信): a contact's messages as the app shows them. */
export const inboxItems = pgTable(
  "inbox_items",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    contactId: uuid("contact_id").notNull(),
    messageId: uuid("message_id").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    url: text("url"),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("inbox_items_message_key").on(t.workspaceId, t.messageId),
    index("inbox_items_contact_idx").on(t.workspaceId, t.contactId, t.createdAt.desc()),
  ],
);

/** Who a workspace's email comes from. One is the default. */
export const senderIdentities = pgTable(
  "sender_identities",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    replyTo: text("reply_to"),
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export interface FrequencyCap {
  /** At most this many marketing messages… */
  count: number;
  /** …per contact in this many hours. */
  hours: number;
}

export interface QuietHours {
  /** Local "HH:MM" in the contact's timezone (the workspace's when the contact has none). */
  start: string;
  end: string;
}

// A workspace's sending setup. Secrets (SMTP password, DKIM key, webhook signing secret) are
// stored encrypted with the instance key (lib/messages/secrets.ts), never shown again in full.
export const messagingSettings = pgTable("messaging_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  /** smtp://user:pass@host:port, encrypted. Null: the SMTP_URL default, or the outbox. */
  smtpUrlEncrypted: text("smtp_url_encrypted"),
  /** Where the SMTP URL points, without its password, for the settings page. */
  smtpDisplay: text("smtp_display"),
  dkimDomain: text("dkim_domain"),
  dkimSelector: text("dkim_selector"),
  dkimPrivateKeyEncrypted: text("dkim_private_key_encrypted"),
  /** The sender's postal address, printed in every marketing footer (CAN-SPAM). */
  postalAddress: text("postal_address"),
  /** Per channel; null or absent: no cap. */
  frequencyCaps: jsonb("frequency_caps").$type<Partial<Record<Channel, FrequencyCap>>>().notNull().default({}),
  quietHours: jsonb("quiet_hours").$type<QuietHours | null>(),
  trackOpens: boolean("track_opens").notNull().default(true),
  trackClicks: boolean("track_clicks").notNull().default(true),
  /** utm_source / utm_medium / utm_campaign added to tracked links when set. */
  utm: jsonb("utm").$type<{ source?: string; medium?: string; campaign?: string } | null>(),
  /** HMAC-SHA256 key for webhook channel payloads, encrypted. */
  webhookSecretEncrypted: text("webhook_secret_encrypted"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Template = typeof templates.$inferSelect;
export type TemplateVersion = typeof templateVersions.$inferSelect;
export type Topic = typeof topics.$inferSelect;
export type Suppression = typeof suppressions.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type MessageContent = typeof messageContents.$inferSelect;
export type MessageEvent = typeof messageEvents.$inferSelect;
export type InboxItem = typeof inboxItems.$inferSelect;
export type SenderIdentity = typeof senderIdentities.$inferSelect;
export type MessagingSettings = typeof messagingSettings.$inferSelect;
