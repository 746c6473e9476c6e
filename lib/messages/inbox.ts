import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeCursor, encodeCursor } from "@/db/queries/contacts";
import { inboxItems, messageEvents, messages, type InboxItem } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { inboxTokenDefaultSeconds } from "@/lib/validation/inbox";
import { signToken, verifyToken } from "./secrets";
import { isUuid } from "@/lib/uuid";

// The in-app inbox as an app reads it: its server issues a signed user token for one contact
// (with the secret key), its front-end reads and marks that contact's items (with the public
// write key plus the token). The token is what stops one user from reading another's inbox.

interface InboxTokenPayload {
  /** Kind, so no other signed token (unsubscribe, click) passes as a user token. */
  k: "inbox";
  w: string;
  c: string;
  /** Expiry, unix seconds. */
  exp: number;
}

export type InboxTokenCheck =
  | { ok: true; contactId: string; expiresAt: Date }
  | { ok: false; reason: "missing" | "invalid" | "other_workspace" | "expired"; message: string };

export async function issueInboxToken(
  db: Db,
  input: { workspaceId: string; contactId: string; expiresInSeconds?: number; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const exp = Math.floor(now.getTime() / 1000) + (input.expiresInSeconds ?? inboxTokenDefaultSeconds);
  const payload: InboxTokenPayload = { k: "inbox", w: input.workspaceId, c: input.contactId, exp };
  return { token: await signToken(db, payload), expiresAt: new Date(exp * 1000) };
}

/** Whose inbox a user token opens, or why it opens none (the reason goes back to the app). */
export async function checkInboxToken(db: Db, workspaceId: string, token: string | null | undefined, now = new Date()): Promise<InboxTokenCheck> {
  if (!token) return { ok: false, reason: "missing", message: "Send the user token as the X-Tideline-User-Token header or ?token=." };
  const payload = await verifyToken<Partial<InboxTokenPayload>>(db, token);
  if (!payload || payload.k !== "inbox" || typeof payload.w !== "string" || typeof payload.c !== "string" || typeof payload.exp !== "number") {
    return { ok: false, reason: "invalid", message: "The user token is not one this workspace issued (altered or malformed)." };
  }
  if (payload.w !== workspaceId) return { ok: false, reason: "other_workspace", message: "The user token belongs to another workspace than the write key." };
  if (payload.exp * 1000 <= now.getTime()) return { ok: false, reason: "expired", message: "The user token has expired; ask your server for a new one." };
  return { ok: true, contactId: payload.c, expiresAt: new Date(payload.exp * 1000) };
}

export function inboxItemJson(item: Pick<InboxItem, "id" | "messageId" | "title" | "body" | "url" | "readAt" | "createdAt">) {
  return {
    id: item.id,
    message_id: item.messageId,
    title: item.title,
    body: item.body,
    url: item.url,
    read: item.readAt !== null,
    read_at: item.readAt?.toISOString() ?? null,
    created_at: item.createdAt.toISOString(),
  };
}

const itemColumns = {
  id: inboxItems.id,
  messageId: inboxItems.messageId,
  title: inboxItems.title,
  body: inboxItems.body,
  url: inboxItems.url,
  readAt: inboxItems.readAt,
  createdAt: inboxItems.createdAt,
  // The exact stored time (microseconds), so the page boundary is not rounded to milliseconds.
  sortKey: sql<string>`${inboxItems.createdAt}::text`,
};

const timestampPattern = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

// Newest first, keyset-paged on (created_at, id).
export async function listInboxItems(
  db: Db,
  input: { workspaceId: string; contactId: string; limit?: number; cursor?: string; unreadOnly?: boolean },
) {
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  const conditions = [eq(inboxItems.workspaceId, input.workspaceId), eq(inboxItems.contactId, input.contactId)];
  if (input.unreadOnly) conditions.push(isNull(inboxItems.readAt));
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    const [at, id] = after ?? [];
    if (typeof at !== "string" || typeof id !== "string" || !isUuid(id) || !timestampPattern.test(at)) {
      throw new AppError("bad_request", "cursor is not one this API returned; start again without it.");
    }
    conditions.push(sql`(${inboxItems.createdAt}, ${inboxItems.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select(itemColumns)
    .from(inboxItems)
    .where(and(...conditions))
    .orderBy(desc(inboxItems.createdAt), desc(inboxItems.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor([last.sortKey, last.id]) : null };
}

export async function unreadInboxCount(db: Db, workspaceId: string, contactId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(inboxItems)
    .where(and(eq(inboxItems.workspaceId, workspaceId), eq(inboxItems.contactId, contactId), isNull(inboxItems.readAt)));
  return Number(row?.count ?? 0);
}

// Reading an item is the inbox's "open": the first read moves its message to opened, as a
// human open of an email does (sent/delivered → opened only, never backwards).
async function recordOpens(db: Db, workspaceId: string, read: Array<{ messageId: string; id: string }>) {
  if (read.length === 0) return;
  const ids = read.map((item) => item.messageId);
  await db.insert(messageEvents).values(
    read.map((item) => ({ workspaceId, messageId: item.messageId, type: "opened" as const, details: { source: "inbox", inbox_item_id: item.id } })),
  );
  await db
    .update(messages)
    .set({ status: "opened", openedAt: sql`coalesce(${messages.openedAt}, now())`, updatedAt: new Date() })
    .where(and(eq(messages.workspaceId, workspaceId), inArray(messages.id, ids), inArray(messages.status, ["sent", "delivered"])));
}

/** Marks one of the contact's items read or unread; another contact's item is not found. */
export async function markInboxItem(db: Db, input: { workspaceId: string; contactId: string; itemId: string; read: boolean }) {
  if (!isUuid(input.itemId)) throw new AppError("not_found", `No inbox item ${input.itemId}.`);
  return db.transaction(async (tx) => {
    const mine = and(eq(inboxItems.workspaceId, input.workspaceId), eq(inboxItems.contactId, input.contactId), eq(inboxItems.id, input.itemId));
    const [before] = await tx.select({ readAt: inboxItems.readAt }).from(inboxItems).where(mine).for("update");
    if (!before) throw new AppError("not_found", `No inbox item ${input.itemId}.`);
    const [item] = await tx
      .update(inboxItems)
      .set({ readAt: input.read ? sql`coalesce(${inboxItems.readAt}, now())` : null })
      .where(mine)
      .returning();
    if (input.read && before.readAt === null) await recordOpens(tx, input.workspaceId, [item]);
    return item;
  });
}

/** Marks every unread item of the contact read; returns how many changed. */
export async function markAllInboxRead(db: Db, input: { workspaceId: string; contactId: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(inboxItems)
      .set({ readAt: sql`now()` })
      .where(and(eq(inboxItems.workspaceId, input.workspaceId), eq(inboxItems.contactId, input.contactId), isNull(inboxItems.readAt)))
      .returning({ id: inboxItems.id, messageId: inboxItems.messageId });
    await recordOpens(tx, input.workspaceId, changed);
    return changed.length;
  });
}
