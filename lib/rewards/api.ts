import Papa from "papaparse";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { couponCampaigns, type CouponCampaign, type CouponCode, type PointTransaction } from "@/db/schema";
import { requireContactIdByRef } from "@/lib/contacts/refs";
import { AppError } from "@/lib/errors";
import { maxUploadCodes, type CampaignPatch, type CouponIssue, type PointsAward, type PointsRedeem } from "@/lib/validation/rewards";
import { getCampaign, issueCoupon, requireCampaign } from "./coupons";
import { awardPoints, redeemPoints, rewardSettingsOf, type contactPoints, type PointsResult } from "./points";

// The points and coupons REST API: snake_case replies, idempotency keys kept apart from the
// ones monitors and journeys use, and the few steps the API adds around lib/rewards.

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

/** An API call's idempotency key in the ledger and on coupon codes, apart from monitors' and journeys' keys. */
const apiKeyOf = (key: string) => `api:${key}`;

export function transactionJson(row: PointTransaction & { email?: string | null }) {
  return {
    id: Number(row.id),
    contact_id: row.contactId,
    ...(row.email !== undefined ? { email: row.email } : {}),
    /** Positive: earned; negative: spent or expired. */
    amount: row.amount,
    balance_after: row.balanceAfter,
    reason: row.reason,
    source: row.source,
    source_id: row.sourceId,
    idempotency_key: row.idempotencyKey,
    expires_at: iso(row.expiresAt),
    /** Of an award: what is not yet spent or expired. */
    remaining: row.remaining,
    created_at: iso(row.createdAt),
  };
}

/** GET /api/v1/contacts/:id/points */
export function contactPointsJson(contactId: string, pointsName: string | null, points: Awaited<ReturnType<typeof contactPoints>>) {
  return {
    contact_id: contactId,
    points_name: pointsName,
    balance: points.balance,
    earned: points.earned,
    spent: points.spent,
    expired: points.expired,
    /** Points that will expire (what is left of awards with a date), and the first date. */
    expiring: { points: points.expiring.points, first_at: iso(points.expiring.first) },
    transactions: points.transactions.map((row) => transactionJson(row)),
    next_before: points.nextBefore,
  };
}

// A key sent again for another change is refused by changePoints itself (409).
function pointsReply(result: PointsResult) {
  return Response.json({ transaction: transactionJson(result.transaction), balance: result.balance, created: result.created }, { status: result.created ? 201 : 200 });
}

// POST /api/v1/points/award's work: the contact by reference, the workspace's default expiry
// when the body names none, one keyed ledger row.
export async function awardByApi(db: Db, workspaceId: string, apiKeyId: string, body: PointsAward) {
  const contactId = await requireContactIdByRef(db, workspaceId, body.contact);
  // Absent: the workspace's default expiry (changePoints applies it).
  const expiresAt = body.expires_at === undefined ? undefined : body.expires_at === null ? null : new Date(body.expires_at);
  const result = await awardPoints(db, workspaceId, {
    contactId,
    points: body.points,
    source: "api",
    sourceId: apiKeyId,
    reason: body.reason ?? null,
    idempotencyKey: apiKeyOf(body.idempotency_key),
    expiresAt,
  });
  return pointsReply(result);
}

/** POST /api/v1/points/redeem's work: 422 insufficient_points with the balance when there is not enough. */
export async function redeemByApi(db: Db, workspaceId: string, apiKeyId: string, body: PointsRedeem) {
  const contactId = await requireContactIdByRef(db, workspaceId, body.contact);
  const result = await redeemPoints(db, workspaceId, {
    contactId,
    points: body.points,
    sourceId: apiKeyId,
    reason: body.reason ?? null,
    idempotencyKey: apiKeyOf(body.idempotency_key),
  });
  return pointsReply(result);
}

export function rewardSettingsJson(settings: Awaited<ReturnType<typeof rewardSettingsOf>>) {
  return { points_name: settings.pointsName, allow_negative: settings.allowNegative, default_expiry_days: settings.defaultExpiryDays };
}

interface CodeCounts {
  available: number;
  issued: number;
  redeemed: number;
}

export function campaignJson(campaign: CouponCampaign, counts: CodeCounts) {
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    status: campaign.status,
    source: campaign.source,
    pattern: campaign.pattern,
    value: campaign.value,
    valid_from: iso(campaign.validFrom),
    valid_until: iso(campaign.validUntil),
    per_contact_limit: campaign.perContactLimit,
    /** Codes not issued yet; issued (redeemed ones included); redeemed. */
    available: counts.available,
    issued: counts.issued,
    redeemed: counts.redeemed,
    created_at: iso(campaign.createdAt),
    updated_at: iso(campaign.updatedAt),
  };
}

export async function campaignCounts(db: Db, workspaceId: string, campaignId: string): Promise<CodeCounts> {
  const [row] = await queryRows<CodeCounts>(
    db,
    sql`select count(*) filter (where status = 'available')::int as available, count(*) filter (where status <> 'available')::int as issued,
               count(*) filter (where status = 'redeemed')::int as redeemed
        from coupon_codes where workspace_id = ${workspaceId} and campaign_id = ${campaignId}`,
  );
  return { available: Number(row?.available ?? 0), issued: Number(row?.issued ?? 0), redeemed: Number(row?.redeemed ?? 0) };
}

export async function campaignReply(db: Db, workspaceId: string, campaign: CouponCampaign) {
  return campaignJson(campaign, await campaignCounts(db, workspaceId, campaign.id));
}

// PATCH /api/v1/coupon-campaigns/:id: what can change once codes exist. An archived campaign
// issues no more codes (those issued can still be redeemed) and stays as it is.
export async function updateCampaign(db: Db, workspaceId: string, campaignId: string, patch: CampaignPatch): Promise<CouponCampaign> {
  const campaign = await requireCampaign(db, workspaceId, campaignId);
  if (campaign.status === "archived") throw new AppError("conflict", "This coupon campaign is archived; it cannot be changed.");
  const validUntil = patch.valid_until === undefined ? undefined : patch.valid_until === null ? null : new Date(patch.valid_until);
  if (validUntil && campaign.validFrom && validUntil <= campaign.validFrom) {
    throw new AppError("validation_failed", `The end of validity must come after valid_from (${campaign.validFrom.toISOString()}).`, [{ path: "valid_until", message: "valid_until_before_from" }]);
  }
  const [row] = await db
    .update(couponCampaigns)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(validUntil !== undefined ? { validUntil } : {}),
      ...(patch.per_contact_limit !== undefined ? { perContactLimit: patch.per_contact_limit } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(couponCampaigns.workspaceId, workspaceId), eq(couponCampaigns.id, campaign.id)))
    .returning();
  return row;
}

/** The codes of a text/csv body: one a line, or the first column; a first line `code` (any case) is a header. */
export function codesFromCsv(text: string): string[] {
  const { data } = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const codes = data.map((row) => row[0] ?? "");
  if (codes.length > 0 && /^(coupon[ _-]?)?codes?$/i.test(codes[0].trim())) codes.shift();
  if (codes.length > maxUploadCodes) throw new AppError("validation_failed", "At most 100,000 codes a call.", [{ path: "codes", message: "At most 100,000 codes a call." }]);
  const tooLong = codes.findIndex((code) => code.trim().length > 100);
  if (tooLong >= 0) throw new AppError("validation_failed", `A code is at most 100 characters (line ${tooLong + 1}).`, [{ path: `codes.${tooLong}`, message: "A code is at most 100 characters." }]);
  const nul = codes.findIndex((code) => code.includes("\u0000") || !code.isWellFormed());
  if (nul >= 0) throw new AppError("bad_request", `Code ${nul + 1} contains a NUL character or a broken UTF-16 character, which cannot be stored.`);
  return codes;
}

export function couponJson(code: CouponCode, campaign: CouponCampaign) {
  return {
    code: code.code,
    status: code.status,
    campaign_id: campaign.id,
    campaign_name: campaign.name,
    contact_id: code.contactId,
    value: campaign.value,
    valid_from: iso(campaign.validFrom),
    valid_until: iso(campaign.validUntil),
    issued_at: iso(code.issuedAt),
    redeemed_at: iso(code.redeemedAt),
    /** Where it was redeemed: an order id, a store. */
    redeemed_ref: code.redeemedRef,
  };
}

// POST /api/v1/coupons/issue's work: the campaign and contact are checked (422 naming the
// field), then one code is taken; a key sent again returns the code it took, and a key used
// for another campaign or contact is a 409.
export async function issueByApi(db: Db, workspaceId: string, body: CouponIssue) {
  if (!(await getCampaign(db, workspaceId, body.campaign_id))) {
    throw new AppError("validation_failed", `No coupon campaign ${body.campaign_id} in this workspace.`, [{ path: "campaign_id", message: "not_found" }]);
  }
  const contactId = await requireContactIdByRef(db, workspaceId, body.contact);
  // A key used for another campaign or contact is refused by issueCoupon itself (409).
  const issued = await issueCoupon(db, workspaceId, { campaignId: body.campaign_id, contactId, issueKey: body.idempotency_key ? apiKeyOf(body.idempotency_key) : null });
  return Response.json({ ...couponJson(issued.code, issued.campaign), created: issued.created }, { status: issued.created ? 201 : 200 });
}
