import { and, asc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeCursor, encodeCursor } from "@/db/queries/contacts";
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
  type ConsentStatus,
  type MessageStatus,
  type SuppressionReason,
} from "@/db/schema";
import { isUuid } from "@/lib/uuid";

// Read side of messages for the UI: the log, one message with what was sent and its history,
// the outbox, and a contact's consent and messages. Writes live in send.ts and consent.ts.

export interface MessageLogFilters {
  statuses?: MessageStatus[];
  channel?: Channel;
  templateId?: string;
  contactId?: string;
  /** An email (or its beginning): messages to contacts whose email starts with it, or sent to it. */
  contactEmail?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
}

export interface MessageLogParams {
  workspaceId: string;
  filters?: MessageLogFilters;
  limit?: number;
  cursor?: string | null;
}

export interface MessageLogRow {
  id: string;
  createdAt: Date;
  channel: Channel;
  kind: "marketing" | "transactional";
  status: MessageStatus;
  statusReason: string | null;
  subject: string | null;
  toAddress: string | null;
  source: string;
  templateId: string | null;
  templateVersion: number | null;
  templateName: string | null;
  contact: { id: string; email: string | null; firstName: string | null; lastName: string | null; externalId: string | null } | null;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The workspace and filter conditions of the log, shared by the page, its counts and its paging. */
export function messageLogConditions(workspaceId: string, filters: MessageLogFilters = {}): SQL[] {
  const conditions: SQL[] = [eq(messages.workspaceId, workspaceId)];
  if (filters.statuses?.length) conditions.push(inArray(messages.status, filters.statuses));
  if (filters.channel) conditions.push(eq(messages.channel, filters.channel));
  if (filters.templateId) conditions.push(eq(messages.templateId, filters.templateId));
  if (filters.contactId) conditions.push(eq(messages.contactId, filters.contactId));
  const email = filters.contactEmail?.trim().toLowerCase();
  if (email) {
    // contacts_email_idx serves the prefix; the address covers test sends to someone else.
    const prefix = `${escapeLike(email)}%`;
    conditions.push(
      or(
        sql`${messages.contactId} in (select ${contacts.id} from ${contacts} where ${contacts.workspaceId} = ${workspaceId} and lower(${contacts.email}) like ${prefix})`,
        sql`lower(${messages.toAddress}) = ${email}`,
      )!,
    );
  }
  if (filters.from) conditions.push(gte(messages.createdAt, filters.from));
  if (filters.to) conditions.push(lt(messages.createdAt, filters.to));
  return conditions;
}


function cursorKey(cursor: string | null | undefined): { createdAt: Date; id: string } | undefined {
  const parts = decodeCursor(cursor);
  if (!parts || typeof parts[0] !== "string" || typeof parts[1] !== "string") return undefined;
  const createdAt = new Date(parts[0]);
  if (Number.isNaN(createdAt.getTime()) || !isUuid(parts[1])) return undefined;
  return { createdAt, id: parts[1] };
}

// messages_recent_idx is (workspace_id, created_at DESC NULLS LAST, id DESC NULLS LAST); the
// planner walks it in order (and stops at the limit) only for exactly that ordering or its
// reverse, so the NULLS clauses are spelt out although neither column is ever null.
const newestFirst = [sql`${messages.createdAt} desc nulls last`, sql`${messages.id} desc nulls last`];
const oldestFirst = [sql`${messages.createdAt} asc nulls first`, sql`${messages.id} asc nulls first`];

// Rows after the cursor in (created_at desc, id desc) order. The plain `created_at <=` bound
// lets messages_recent_idx start the scan at the cursor instead of filtering every newer row.
function olderThan(after: { createdAt: Date; id: string }): SQL {
  return and(
    lte(messages.createdAt, after.createdAt),
    or(lt(messages.createdAt, after.createdAt), and(eq(messages.createdAt, after.createdAt), lt(messages.id, after.id))),
  )!;
}

const rowColumns = {
  id: messages.id,
  createdAt: messages.createdAt,
  channel: messages.channel,
  kind: messages.kind,
  status: messages.status,
  statusReason: messages.statusReason,
  subject: messages.subject,
  toAddress: messages.toAddress,
  source: messages.source,
  templateId: messages.templateId,
  templateVersion: messages.templateVersion,
  templateName: templates.name,
  contactId: contacts.id,
  contactEmail: contacts.email,
  contactFirstName: contacts.firstName,
  contactLastName: contacts.lastName,
  contactExternalId: contacts.externalId,
};

type RawRow = {
  [K in keyof typeof rowColumns]: unknown;
};

function shapeRow(row: RawRow): MessageLogRow {
  return {
    id: row.id as string,
    createdAt: row.createdAt as Date,
    channel: row.channel as Channel,
    kind: row.kind as MessageLogRow["kind"],
    status: row.status as MessageStatus,
    statusReason: row.statusReason as string | null,
    subject: row.subject as string | null,
    toAddress: row.toAddress as string | null,
    source: row.source as string,
    templateId: row.templateId as string | null,
    templateVersion: row.templateVersion as number | null,
    templateName: row.templateName as string | null,
    contact: row.contactId
      ? {
          id: row.contactId as string,
          email: row.contactEmail as string | null,
          firstName: row.contactFirstName as string | null,
          lastName: row.contactLastName as string | null,
          externalId: row.contactExternalId as string | null,
        }
      : null,
  };
}

function selectRows(db: Db, conditions: SQL[]) {
  return db
    .select(rowColumns)
    .from(messages)
    .leftJoin(contacts, and(eq(contacts.workspaceId, messages.workspaceId), eq(contacts.id, messages.contactId)))
    .leftJoin(templates, and(eq(templates.workspaceId, messages.workspaceId), eq(templates.id, messages.templateId)))
    .where(and(...conditions));
}

/** The statement behind one page of the log (exported so a test can read its plan). */
export function messageLogQuery(db: Db, params: MessageLogParams) {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const conditions = messageLogConditions(params.workspaceId, params.filters);
  const after = cursorKey(params.cursor);
  if (after) conditions.push(olderThan(after));
  return selectRows(db, conditions).orderBy(...newestFirst).limit(limit + 1);
}

// Newest first, keyset-paged on (created_at, id): messages_recent_idx serves every page at the
// cost of the first, however deep.
export async function listMessages(db: Db, params: MessageLogParams): Promise<{ messages: MessageLogRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const rows = await messageLogQuery(db, params);
  const page = rows.slice(0, limit).map(shapeRow);
  const last = page.at(-1);
  return { messages: page, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
}

/** The cursor that lists the page before the one starting at `first` ("" for the first page, null when there is none). */
export async function previousMessagesCursor(
  db: Db,
  params: Omit<MessageLogParams, "cursor"> & { first: { createdAt: Date; id: string } },
): Promise<string | null> {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const { createdAt, id } = params.first;
  // The plain bound gives the index a range to start from; the OR settles ties on the id.
  const newer = and(gte(messages.createdAt, createdAt), or(gt(messages.createdAt, createdAt), and(eq(messages.createdAt, createdAt), gt(messages.id, id))))!;
  const rows = await db
    .select({ createdAt: messages.createdAt, id: messages.id })
    .from(messages)
    .where(and(...messageLogConditions(params.workspaceId, params.filters), newer))
    .orderBy(...oldestFirst)
    .limit(limit + 1);
  if (rows.length === 0) return null;
  // Fewer than a page and one newer: the previous page is the first one.
  if (rows.length <= limit) return "";
  const boundary = rows[limit];
  return encodeCursor([boundary.createdAt.toISOString(), boundary.id]);
}

/** The most recent messages a status count looks at, so the badges stay quick on a huge log. */
export const statusCountWindow = 100_000;

/** Messages by status among the filtered set (its newest `statusCountWindow` when larger). */
export async function messageStatusCounts(
  db: Db,
  params: { workspaceId: string; filters?: MessageLogFilters },
): Promise<{ counts: Partial<Record<MessageStatus, number>>; total: number; capped: boolean }> {
  const conditions = messageLogConditions(params.workspaceId, params.filters);
  const recent = db
    .select({ status: messages.status })
    .from(messages)
    .where(and(...conditions))
    .orderBy(...newestFirst)
    .limit(statusCountWindow + 1)
    .as("recent");
  const rows = await db
    .select({ status: recent.status, count: sql<number>`count(*)::int` })
    .from(recent)
    .groupBy(recent.status);
  const counts: Partial<Record<MessageStatus, number>> = {};
  let total = 0;
  for (const row of rows) {
    counts[row.status] = Number(row.count);
    total += Number(row.count);
  }
  const capped = total > statusCountWindow;
  return { counts, total: Math.min(total, statusCountWindow), capped };
}

/** Templates for the log's filter: every one, archived last. */
export async function templateOptions(db: Db, workspaceId: string) {
  return db
    .select({ id: templates.id, name: templates.name, channel: templates.channel, archived: sql<boolean>`${templates.archivedAt} is not null` })
    .from(templates)
    .where(eq(templates.workspaceId, workspaceId))
    .orderBy(sql`${templates.archivedAt} is not null`, asc(templates.name))
    .limit(500);
}

export interface MessageDetail {
  message: typeof messages.$inferSelect;
  content: typeof messageContents.$inferSelect | undefined;
  events: Array<typeof messageEvents.$inferSelect>;
  contact: { id: string; email: string | null; firstName: string | null; lastName: string | null; externalId: string | null; timezone: string | null } | undefined;
  template: { id: string; name: string } | undefined;
  /** The adapter that carried it (outbox, smtp, inbox, …), from its `sent` event. */
  adapter: string | undefined;
}

/** One message with what was sent and its status history, oldest event first. */
export async function getMessageDetail(db: Db, workspaceId: string, messageId: string): Promise<MessageDetail | undefined> {
  if (!isUuid(messageId)) return undefined;
  const [message] = await db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
  if (!message) return undefined;
  const [[content], history, [contact], [template]] = await Promise.all([
    db.select().from(messageContents).where(and(eq(messageContents.workspaceId, workspaceId), eq(messageContents.messageId, messageId))),
    db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.workspaceId, workspaceId), eq(messageEvents.messageId, messageId)))
      .orderBy(asc(messageEvents.at), asc(messageEvents.id))
      .limit(1000),
    message.contactId
      ? db
          .select({
            id: contacts.id,
            email: contacts.email,
            firstName: contacts.firstName,
            lastName: contacts.lastName,
            externalId: contacts.externalId,
            timezone: contacts.timezone,
          })
          .from(contacts)
          .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, message.contactId)))
      : Promise.resolve([]),
    message.templateId
      ? db
          .select({ id: templates.id, name: templates.name })
          .from(templates)
          .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, message.templateId)))
      : Promise.resolve([]),
  ]);
  const sent = history.findLast((event) => event.type === "sent");
  const adapter = typeof sent?.details?.adapter === "string" ? sent.details.adapter : undefined;
  return { message, content, events: history, contact, template, adapter };
}

const outboxCondition = (workspaceId: string) =>
  sql`exists (select 1 from ${messageEvents} where ${messageEvents.workspaceId} = ${workspaceId} and ${messageEvents.messageId} = ${messages.id} and ${messageEvents.type} = 'sent' and ${messageEvents.details}->>'adapter' = 'outbox')`;

export interface OutboxRow {
  id: string;
  createdAt: Date;
  sentAt: Date | null;
  toAddress: string | null;
  subject: string | null;
  fromAddress: string | null;
  status: MessageStatus;
  preview: string | null;
}

/** What the outbox adapter kept instead of sending: newest first, keyset-paged like the log. */
export async function listOutbox(
  db: Db,
  params: { workspaceId: string; limit?: number; cursor?: string | null; search?: string },
): Promise<{ messages: OutboxRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const conditions: SQL[] = [eq(messages.workspaceId, params.workspaceId), outboxCondition(params.workspaceId)];
  const search = params.search?.trim().toLowerCase();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    conditions.push(or(sql`lower(${messages.toAddress}) like ${pattern}`, sql`lower(${messages.subject}) like ${pattern}`)!);
  }
  const after = cursorKey(params.cursor);
  if (after) {
    conditions.push(olderThan(after));
  }
  const rows = await db
    .select({
      id: messages.id,
      createdAt: messages.createdAt,
      sentAt: messages.sentAt,
      toAddress: messages.toAddress,
      subject: sql<string | null>`coalesce(${messageContents.subject}, ${messages.subject})`,
      fromAddress: messageContents.fromAddress,
      status: messages.status,
      preview: sql<string | null>`left(${messageContents.text}, 160)`,
    })
    .from(messages)
    .leftJoin(messageContents, and(eq(messageContents.workspaceId, messages.workspaceId), eq(messageContents.messageId, messages.id)))
    .where(and(...conditions))
    .orderBy(...newestFirst)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { messages: page, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
}

/** A contact's latest messages, for the profile. */
export async function contactMessages(db: Db, workspaceId: string, contactId: string, limit = 10): Promise<MessageLogRow[]> {
  const rows = await selectRows(db, [eq(messages.workspaceId, workspaceId), eq(messages.contactId, contactId)])
    .orderBy(...newestFirst)
    .limit(limit);
  return rows.map(shapeRow);
}

export interface ContactConsentSummary {
  /** Per channel; absent: never asked. */
  consents: Partial<Record<Channel, { status: ConsentStatus; source: string; updatedAt: Date }>>;
  topics: Array<{
    id: string;
    name: string;
    defaultSubscribed: boolean;
    /** The contact's own choice, when there is one. */
    choice: { subscribed: boolean; source: string; updatedAt: Date } | null;
    subscribed: boolean;
  }>;
  suppressions: Array<{ channel: Channel; address: string; reason: SuppressionReason; details: string | null; createdAt: Date }>;
}

/** Consent per channel, topic subscriptions (defaults applied) and whether the contact's addresses are suppressed. */
export async function contactConsentSummary(
  db: Db,
  workspaceId: string,
  contact: { id: string; email: string | null; phone: string | null },
): Promise<ContactConsentSummary> {
  const addresses: SQL[] = [];
  if (contact.email) addresses.push(and(eq(suppressions.channel, "email"), eq(suppressions.address, contact.email.trim().toLowerCase()))!);
  if (contact.phone) addresses.push(and(eq(suppressions.channel, "sms"), eq(suppressions.address, contact.phone.trim()))!);
  const [consentRows, topicRows, suppressionRows] = await Promise.all([
    db
      .select()
      .from(contactConsents)
      .where(and(eq(contactConsents.workspaceId, workspaceId), eq(contactConsents.contactId, contact.id))),
    db
      .select({
        id: topics.id,
        name: topics.name,
        defaultSubscribed: topics.defaultSubscribed,
        subscribed: topicSubscriptions.subscribed,
        source: topicSubscriptions.source,
        updatedAt: topicSubscriptions.updatedAt,
      })
      .from(topics)
      .leftJoin(
        topicSubscriptions,
        and(
          eq(topicSubscriptions.workspaceId, topics.workspaceId),
          eq(topicSubscriptions.topicId, topics.id),
          eq(topicSubscriptions.contactId, contact.id),
        ),
      )
      .where(eq(topics.workspaceId, workspaceId))
      .orderBy(asc(topics.name)),
    addresses.length
      ? db
          .select()
          .from(suppressions)
          .where(and(eq(suppressions.workspaceId, workspaceId), or(...addresses)))
      : Promise.resolve([]),
  ]);
  const consents: ContactConsentSummary["consents"] = {};
  for (const row of consentRows) consents[row.channel] = { status: row.status, source: row.source, updatedAt: row.updatedAt };
  return {
    consents,
    topics: topicRows.map((row) => {
      const choice = row.subscribed === null ? null : { subscribed: row.subscribed, source: row.source!, updatedAt: row.updatedAt! };
      return { id: row.id, name: row.name, defaultSubscribed: row.defaultSubscribed, choice, subscribed: choice ? choice.subscribed : row.defaultSubscribed };
    }),
    suppressions: suppressionRows.map((row) => ({
      channel: row.channel,
      address: row.address,
      reason: row.reason,
      details: row.details,
      createdAt: row.createdAt,
    })),
  };
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - instant;
}

/** Midnight of a `YYYY-MM-DD` day in a time zone, as an instant (the log's date filter). */
export function startOfDayIn(day: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(utc) || new Date(utc).getUTCDate() !== Number(match[3])) return undefined;
  try {
    const first = utc - zoneOffsetMs(utc, timeZone);
    return new Date(utc - zoneOffsetMs(first, timeZone));
  } catch {
    return new Date(utc);
  }
}

/**
 * A stored HTML body for viewing in the app, so that looking at a message never counts as its
 * recipient opening it or clicking in it: the open pixel is taken out, and links are sent to a
 * new window, which the sandboxed frame refuses to open (a plain link would navigate the frame
 * itself, through the click redirect).
 */
export function htmlForPreview(html: string | null | undefined): string | null {
  if (!html) return null;
  const withoutPixel = html.replace(/<img\b[^>]*\/t\/o\/[^>]*>/gi, "").replace(/<base\b[^>]*>/gi, "");
  const base = '<base target="_blank">';
  return /<head\b[^>]*>/i.test(withoutPixel) ? withoutPixel.replace(/<head\b[^>]*>/i, (head) => `${head}${base}`) : `${base}${withoutPixel}`;
}

/** The headers a reader looks for first, then the rest as stored. */
export function headerList(detail: Pick<MessageDetail, "message" | "content">): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  const content = detail.content;
  if (content?.fromAddress) list.push(["From", content.fromAddress]);
  if (detail.message.toAddress) list.push(["To", detail.message.toAddress]);
  if (content?.replyTo) list.push(["Reply-To", content.replyTo]);
  const subject = content?.subject ?? detail.message.subject;
  if (subject) list.push(["Subject", subject]);
  if (detail.message.providerMessageId) list.push(["Message-ID", detail.message.providerMessageId]);
  for (const [name, value] of Object.entries(content?.headers ?? {})) {
    if (!list.some(([known]) => known.toLowerCase() === name.toLowerCase())) list.push([name, String(value)]);
  }
  return list;
}
