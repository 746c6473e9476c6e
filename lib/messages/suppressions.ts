import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { suppressions, type Channel, type Suppression, type SuppressionReason } from "@/db/schema";
import { AppError } from "@/lib/errors";

// The suppression list: addresses nothing is sent to, whichever contact holds them. Emails
// are kept lower-case (the local part is case-insensitive at every mailbox provider that
// matters), so one address is one row.

/** How an address is stored and compared on a channel. */
export function normaliseAddress(channel: Channel, address: string): string {
  const trimmed = address.trim();
  if (channel === "email") return trimmed.toLowerCase();
  if (channel === "sms") return trimmed.replace(/[\s().-]/g, "");
  return trimmed;
}

// A stronger reason replaces a weaker one (a bounce after an unsubscribe stays a bounce, so a
// re-subscription cannot lift it); never the other way.

const strengthSql = (column: string) =>
  sql.raw(`(case ${column} when 'hard_bounce' then 3 when 'complaint' then 3 when 'manual' then 2 else 1 end)`);

/** Adds an address to the list; a second call keeps one row (upgrading a weaker reason). */
export async function suppressAddress(
  db: Db,
  input: { workspaceId: string; channel: Channel; address: string; reason: SuppressionReason; details?: string; createdBy?: string },
): Promise<void> {
  const address = normaliseAddress(input.channel, input.address);
  if (!address) return;
  await db
    .insert(suppressions)
    .values({
      workspaceId: input.workspaceId,
      channel: input.channel,
      address,
      reason: input.reason,
      details: input.details ?? null,
      createdBy: input.createdBy ?? null,
    })
    .onConflictDoUpdate({
      target: [suppressions.workspaceId, suppressions.channel, suppressions.address],
      set: { reason: sql`excluded.reason`, details: sql`excluded.details` },
      setWhere: sql`${strengthSql("suppressions.reason")} < ${strengthSql("excluded.reason")}`,
    });
}

export async function findSuppression(db: Db, input: { workspaceId: string; channel: Channel; address: string }): Promise<Suppression | undefined> {
  const [found] = await db
    .select()
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, input.workspaceId),
        eq(suppressions.channel, input.channel),
        eq(suppressions.address, normaliseAddress(input.channel, input.address)),
      ),
    );
  return found;
}

/** Removes an address; false when it was not on the list. `onlyReason` lifts only that kind of entry. */
export async function removeSuppression(
  db: Db,
  input: { workspaceId: string; channel: Channel; address: string; onlyReason?: SuppressionReason },
): Promise<boolean> {
  const conditions = [
    eq(suppressions.workspaceId, input.workspaceId),
    eq(suppressions.channel, input.channel),
    eq(suppressions.address, normaliseAddress(input.channel, input.address)),
  ];
  if (input.onlyReason) conditions.push(eq(suppressions.reason, input.onlyReason));
  const removed = await db
    .delete(suppressions)
    .where(and(...conditions))
    .returning({ address: suppressions.address });
  return removed.length > 0;
}

export interface SuppressionRow {
  channel: Channel;
  address: string;
  reason: SuppressionReason;
  details: string | null;
  createdAt: Date;
}

export interface SuppressionPage {
  suppressions: SuppressionRow[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

interface Cursor {
  at: string;
  channel: string;
  address: string;
}

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Cursor;
    if (typeof parsed.at === "string" && typeof parsed.channel === "string" && typeof parsed.address === "string" && !Number.isNaN(Date.parse(parsed.at))) return parsed;
  } catch {
    // falls through
  }
  throw new AppError("bad_request", "The cursor is not one this API handed out; start again without it.");
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** Newest first, by keyset: (created_at, channel, address) descending. `q` finds addresses containing it. */
export async function listSuppressions(
  db: Db,
  input: { workspaceId: string; q?: string; channel?: Channel; cursor?: string; limit?: number },
): Promise<SuppressionPage> {
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const q = input.q?.trim().toLowerCase();
  const rows = await queryRows<{ channel: Channel; address: string; reason: SuppressionReason; details: string | null; created_at: string | Date; at: string }>(
    db,
    sql`select channel, address, reason, details, created_at,
               to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
        from suppressions
        where workspace_id = ${input.workspaceId}
          ${input.channel ? sql`and channel = ${input.channel}` : sql``}
          ${q ? sql`and lower(address) like ${`%${likeEscape(q)}%`}` : sql``}
          ${after ? sql`and (created_at, channel::text, address) < (${after.at}::timestamptz, ${after.channel}, ${after.address})` : sql``}
        order by created_at desc, channel::text desc, address desc
        limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    suppressions: page.map((row) => ({
      channel: row.channel,
      address: row.address,
      reason: row.reason,
      details: row.details,
      createdAt: new Date(row.created_at),
    })),
    nextCursor:
      rows.length > limit && last ? Buffer.from(JSON.stringify({ at: last.at, channel: last.channel, address: last.address })).toString("base64url") : null,
  };
}

export function suppressionJson(row: SuppressionRow) {
  return { channel: row.channel, address: row.address, reason: row.reason, details: row.details, created_at: row.createdAt.toISOString() };
}
