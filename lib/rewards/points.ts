import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { pointBalances, pointTransactions, rewardSettings, type PointSource, type PointTransaction } from "@/db/schema";
import { AppError } from "@/lib/errors";

// The points centre (积分中心). Every change is a row in an append-only ledger under an
// idempotency key; the contact's balance row is locked for the change, so the balance always
// equals the sum of the ledger, whatever runs at once. Spending (a redemption, a deduction)
// uses up the oldest-expiring awards first; the expiry job takes what is left of an award when
// its date passes.

export interface PointsChange {
  contactId: string;
  /** Positive: earned. Negative: spent or taken back. */
  amount: number;
  source: PointSource;
  sourceId?: string | null;
  reason?: string | null;
  /** Unique per workspace: the same key never changes the balance twice. */
  idempotencyKey: string;
  /** Awards: when they expire; null never; absent: the workspace's default expiry. */
  expiresAt?: Date | null;
  createdBy?: string | null;
  /** expiry only: the award whose remainder expires. */
  expiringAwardId?: number;
}

export interface PointsResult {
  transaction: PointTransaction;
  /** False when the key had been used: the earlier transaction is returned. */
  created: boolean;
  balance: number;
}

export async function rewardSettingsOf(db: Db, workspaceId: string) {
  const [row] = await db.select().from(rewardSettings).where(eq(rewardSettings.workspaceId, workspaceId));
  return { pointsName: row?.pointsName ?? null, allowNegative: row?.allowNegative ?? false, defaultExpiryDays: row?.defaultExpiryDays ?? null };
}

export async function saveRewardSettings(db: Db, workspaceId: string, patch: { pointsName?: string | null; allowNegative?: boolean; defaultExpiryDays?: number | null }) {
  await db
    .insert(rewardSettings)
    .values({ workspaceId, ...patch })
    .onConflictDoUpdate({ target: rewardSettings.workspaceId, set: { ...patch, updatedAt: new Date() } });
  return rewardSettingsOf(db, workspaceId);
}

async function existing(db: Db, workspaceId: string, key: string) {
  const [row] = await db
    .select()
    .from(pointTransactions)
    .where(and(eq(pointTransactions.workspaceId, workspaceId), eq(pointTransactions.idempotencyKey, key)));
  return row;
}

/** Applies one change inside the caller's transaction (or its own). */
export async function changePoints(db: Db, workspaceId: string, change: PointsChange): Promise<PointsResult> {
  if (!Number.isInteger(change.amount) || change.amount === 0) throw new AppError("validation_failed", "Points must be a whole number other than 0.", [{ path: "amount", message: "points_amount" }]);
  return db.transaction(async (tx) => {
    const contact = await queryRows<{ id: string }>(tx, sql`select id from contacts where workspace_id = ${workspaceId} and id = ${change.contactId} for update`);
    if (contact.length === 0) throw new AppError("not_found", `No contact ${change.contactId} in this workspace.`);
    // The contact's lock serialises its changes: a key seen now was used by a committed change.
    const before = await existing(tx, workspaceId, change.idempotencyKey);
    if (before) {
      if (before.contactId !== change.contactId || before.amount !== change.amount) {
        throw new AppError("conflict", `This idempotency key was used for another change (${before.amount > 0 ? "+" : ""}${before.amount} points${before.contactId !== change.contactId ? " for another contact" : ""}).`, {
          transaction_id: Number(before.id),
          amount: before.amount,
        });
      }
      const [current] = await tx.select({ balance: pointBalances.balance }).from(pointBalances).where(and(eq(pointBalances.workspaceId, workspaceId), eq(pointBalances.contactId, change.contactId)));
      return { transaction: before, created: false, balance: current?.balance ?? 0 };
    }
    const [row] = await tx
      .insert(pointBalances)
      .values({ workspaceId, contactId: change.contactId })
      .onConflictDoUpdate({ target: [pointBalances.workspaceId, pointBalances.contactId], set: { updatedAt: sql`${pointBalances.updatedAt}` } })
      .returning({ balance: pointBalances.balance });
    const balance = row.balance + change.amount;
    if (change.amount < 0 && balance < 0 && change.source !== "expiry" && !(await rewardSettingsOf(tx, workspaceId)).allowNegative) {
      throw new AppError("insufficient_points", `Not enough points: the balance is ${row.balance}, ${-change.amount} were asked for.`, { balance: row.balance, requested: -change.amount });
    }
    // An award without an expiry of its own takes the workspace's default, if any.
    let expiresAt = change.expiresAt;
    if (change.amount > 0 && expiresAt === undefined) {
      const { defaultExpiryDays } = await rewardSettingsOf(tx, workspaceId);
      expiresAt = defaultExpiryDays ? new Date(Date.now() + defaultExpiryDays * 86_400_000) : null;
    }
    const [transaction] = await tx
      .insert(pointTransactions)
      .values({
        workspaceId,
        contactId: change.contactId,
        amount: change.amount,
        balanceAfter: balance,
        reason: change.reason ?? null,
        source: change.source,
        sourceId: change.sourceId ?? null,
        idempotencyKey: change.idempotencyKey,
        expiresAt: change.amount > 0 ? (expiresAt ?? null) : null,
        remaining: change.amount > 0 ? change.amount : 0,
        createdBy: change.createdBy ?? null,
      })
      .returning();
    if (change.expiringAwardId !== undefined) {
      await tx.execute(sql`update point_transactions set remaining = 0 where workspace_id = ${workspaceId} and id = ${change.expiringAwardId}`);
    } else if (change.amount < 0) {
      // Spend the oldest-expiring awards first (those that never expire last).
      const spend = -change.amount;
      await tx.execute(sql`
        update point_transactions p set remaining = greatest(0, a.running - ${spend})
        from (select id, remaining, sum(remaining) over (order by expires_at nulls last, id) as running
              from point_transactions where workspace_id = ${workspaceId} and contact_id = ${change.contactId} and remaining > 0) a
        where p.workspace_id = ${workspaceId} and p.id = a.id and a.running - a.remaining < ${spend}`);
    }
    const spent = change.amount < 0 && change.source !== "expiry" ? -change.amount : 0;
    const expired = change.source === "expiry" ? -change.amount : 0;
    await tx.execute(sql`
      update point_balances set balance = ${balance}, earned = earned + ${Math.max(change.amount, 0)}, spent = spent + ${spent},
        expired = expired + ${expired}, updated_at = now()
      where workspace_id = ${workspaceId} and contact_id = ${change.contactId}`);
    await tx.execute(sql`update contacts set points_balance = ${balance}, updated_at = now() where workspace_id = ${workspaceId} and id = ${change.contactId}`);
    return { transaction, created: true, balance };
  });
}

/** Awards points (monitors, journeys, the API, a person in the app). */
export function awardPoints(db: Db, workspaceId: string, change: Omit<PointsChange, "amount"> & { points: number }) {
  if (change.points <= 0) throw new AppError("validation_failed", "Award a positive number of points.", [{ path: "points", message: "points_positive" }]);
  return changePoints(db, workspaceId, { ...change, amount: change.points });
}

/** Spends points; refuses (insufficient_points) when the balance would go below zero, unless the workspace allows it. */
export function redeemPoints(db: Db, workspaceId: string, change: Omit<PointsChange, "amount" | "source"> & { points: number }) {
  if (change.points <= 0) throw new AppError("validation_failed", "Redeem a positive number of points.", [{ path: "points", message: "points_positive" }]);
  return changePoints(db, workspaceId, { ...change, amount: -change.points, source: "redeem" });
}

/** Expires what is left of awards whose date has passed, oldest first; returns how many awards expired. */
export async function expirePoints(db: Db, now = new Date(), limit = 1000): Promise<number> {
  const due = await db
    .select({ workspaceId: pointTransactions.workspaceId, id: pointTransactions.id, contactId: pointTransactions.contactId, remaining: pointTransactions.remaining })
    .from(pointTransactions)
    .where(and(sql`${pointTransactions.remaining} > 0`, sql`${pointTransactions.expiresAt} is not null`, lt(pointTransactions.expiresAt, now)))
    .orderBy(pointTransactions.expiresAt)
    .limit(limit);
  for (const award of due) {
    await changePoints(db, award.workspaceId, {
      contactId: award.contactId,
      amount: -award.remaining,
      source: "expiry",
      sourceId: String(award.id),
      reason: "expired",
      idempotencyKey: `expiry:${award.id}`,
      expiringAwardId: award.id,
    });
  }
  return due.length;
}

/** A contact's balance and its newest transactions (keyset paged by id). */
export async function contactPoints(db: Db, workspaceId: string, contactId: string, options: { limit?: number; before?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  const [balance] = await db.select().from(pointBalances).where(and(eq(pointBalances.workspaceId, workspaceId), eq(pointBalances.contactId, contactId)));
  const transactions = await db
    .select()
    .from(pointTransactions)
    .where(and(eq(pointTransactions.workspaceId, workspaceId), eq(pointTransactions.contactId, contactId), options.before ? lt(pointTransactions.id, options.before) : undefined))
    .orderBy(desc(pointTransactions.id))
    .limit(limit + 1);
  const [expiring] = await queryRows<{ points: number | null; first: string | Date | null }>(
    db,
    sql`select sum(remaining)::int as points, min(expires_at) as first from point_transactions
        where workspace_id = ${workspaceId} and contact_id = ${contactId} and remaining > 0 and expires_at is not null`,
  );
  return {
    balance: balance?.balance ?? 0,
    earned: balance?.earned ?? 0,
    spent: balance?.spent ?? 0,
    expired: balance?.expired ?? 0,
    expiring: { points: Number(expiring?.points ?? 0), first: expiring?.first ? new Date(expiring.first) : null },
    transactions: transactions.slice(0, limit),
    nextBefore: transactions.length > limit ? transactions[limit - 1].id : null,
  };
}

/** The workspace's ledger, newest first, optionally one contact's or one source's (the Rewards page's search). */
export async function searchLedger(db: Db, workspaceId: string, options: { contactId?: string; source?: PointSource; limit?: number; before?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const rows = await queryRows<PointTransaction & { email: string | null }>(
    db,
    sql`select t.id, t.contact_id as "contactId", t.amount, t.balance_after as "balanceAfter", t.reason, t.source, t.source_id as "sourceId",
               t.idempotency_key as "idempotencyKey", t.expires_at as "expiresAt", t.remaining, t.created_at as "createdAt", c.email
        from point_transactions t left join contacts c on c.workspace_id = t.workspace_id and c.id = t.contact_id
        where t.workspace_id = ${workspaceId}
          ${options.contactId ? sql`and t.contact_id = ${options.contactId}` : sql``}
          ${options.source ? sql`and t.source = ${options.source}` : sql``}
          ${options.before ? sql`and t.id < ${options.before}` : sql``}
        order by t.id desc limit ${limit + 1}`,
  );
  return { transactions: rows.slice(0, limit), nextBefore: rows.length > limit ? Number(rows[limit - 1].id) : null };
}
