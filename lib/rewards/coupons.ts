import { randomInt } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { couponCampaigns, couponCodes, type CouponCampaign, type CouponCode, type CouponValue } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/uuid";

// The coupon centre (卡券中心). A campaign's codes are rows: uploaded ones, or ones generated
// up front from a pattern. Issuing takes one available code with FOR UPDATE SKIP LOCKED, so
// parallel issuers never get the same code and never wait on each other; an issue key makes a
// retried issue return the code it took the first time. Redeeming is one conditional UPDATE.

/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L). */
export const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const maxGeneratedCodes = 1_000_000;

/** Each X of the pattern becomes a random character of the alphabet; anything else stays. */
export function generateCode(pattern: string): string {
  return pattern.replace(/X/g, () => codeAlphabet[randomInt(codeAlphabet.length)]);
}

export function patternCapacity(pattern: string): number {
  const slots = (pattern.match(/X/g) ?? []).length;
  return codeAlphabet.length ** slots;
}

export interface CampaignInput {
  name: string;
  description?: string | null;
  source: "pool" | "generated";
  pattern?: string | null;
  /** generated: how many codes to make. */
  quantity?: number;
  value: CouponValue;
  validFrom?: Date | null;
  validUntil?: Date | null;
  perContactLimit?: number;
  createdBy?: string | null;
}

export async function getCampaign(db: Db, workspaceId: string, campaignId: string): Promise<CouponCampaign | undefined> {
  if (!isUuid(campaignId)) return undefined;
  const [row] = await db.select().from(couponCampaigns).where(and(eq(couponCampaigns.workspaceId, workspaceId), eq(couponCampaigns.id, campaignId)));
  return row;
}

export async function requireCampaign(db: Db, workspaceId: string, campaignId: string): Promise<CouponCampaign> {
  const campaign = await getCampaign(db, workspaceId, campaignId);
  if (!campaign) throw new AppError("not_found", `No coupon campaign ${campaignId} in this workspace.`);
  return campaign;
}

export async function createCampaign(db: Db, workspaceId: string, input: CampaignInput): Promise<CouponCampaign> {
  if (input.source === "generated") {
    const pattern = input.pattern ?? "";
    const quantity = input.quantity ?? 0;
    if (!pattern.includes("X")) throw new AppError("validation_failed", "A generated code needs a pattern with X for each random character, e.g. SPRING-XXXXXX.", [{ path: "pattern", message: "pattern_no_slots" }]);
    if (quantity < 1 || quantity > maxGeneratedCodes) throw new AppError("validation_failed", `Generate between 1 and ${maxGeneratedCodes} codes.`, [{ path: "quantity", message: "quantity_range" }]);
    // Room for ten times the codes, so random draws rarely collide.
    if (patternCapacity(pattern) < quantity * 10) throw new AppError("validation_failed", "The pattern has too few X for that many codes: add more.", [{ path: "pattern", message: "pattern_too_short" }]);
  }
  if (input.validFrom && input.validUntil && input.validUntil <= input.validFrom) {
    throw new AppError("validation_failed", "The end of validity must come after its start.", [{ path: "validUntil", message: "valid_until_before_from" }]);
  }
  return db.transaction(async (tx) => {
    const [campaign] = await tx
      .insert(couponCampaigns)
      .values({
        workspaceId,
        name: input.name,
        description: input.description ?? null,
        source: input.source,
        pattern: input.source === "generated" ? input.pattern! : null,
        value: input.value,
        validFrom: input.validFrom ?? null,
        validUntil: input.validUntil ?? null,
        perContactLimit: input.perContactLimit ?? 1,
        createdBy: input.createdBy ?? null,
      })
      .returning();
    if (input.source === "generated") await generateCodes(tx, workspaceId, campaign.id, input.pattern!, input.quantity!);
    return campaign;
  });
}

async function generateCodes(db: Db, workspaceId: string, campaignId: string, pattern: string, quantity: number) {
  let made = 0;
  // Rounds of up to 10,000 draws, with room for the few that collide.
  const rounds = Math.ceil(quantity / 10_000) * 2 + 5;
  for (let round = 0; made < quantity && round < rounds; round++) {
    const want = Math.min(quantity - made, 10_000);
    const codes = [...new Set(Array.from({ length: want }, () => generateCode(pattern)))];
    made += await insertCodes(db, workspaceId, campaignId, codes);
  }
  if (made < quantity) throw new AppError("validation_failed", "Could not make that many distinct codes from the pattern: add more X.", [{ path: "pattern", message: "pattern_too_short" }]);
}

/** Adds codes (skipping any the workspace already has); returns how many were added. */
async function insertCodes(db: Db, workspaceId: string, campaignId: string, codes: string[]): Promise<number> {
  if (codes.length === 0) return 0;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`insert into coupon_codes (workspace_id, campaign_id, code)
        select ${workspaceId}, ${campaignId}, x from jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) as x
        on conflict (workspace_id, code) do nothing
        returning id`,
  );
  return rows.length;
}

/** Uploads a pool of codes (a CSV column); returns how many were added and which were already there. */
export async function uploadCodes(db: Db, workspaceId: string, campaignId: string, codes: string[]) {
  const campaign = await requireCampaign(db, workspaceId, campaignId);
  if (campaign.status !== "active") throw new AppError("conflict", "This coupon campaign is archived.");
  if (campaign.source !== "pool") throw new AppError("conflict", "This campaign generates its codes; codes are uploaded to pool campaigns.");
  const clean = [...new Set(codes.map((code) => code.trim()).filter((code) => code.length > 0))];
  const tooLong = clean.find((code) => code.length > 100);
  if (tooLong) throw new AppError("validation_failed", `A code is at most 100 characters: "${tooLong.slice(0, 20)}…".`, [{ path: "codes", message: "code_too_long" }]);
  let added = 0;
  for (let start = 0; start < clean.length; start += 5000) added += await insertCodes(db, workspaceId, campaignId, clean.slice(start, start + 5000));
  return { added, skipped: clean.length - added, blank: codes.length - codes.filter((code) => code.trim()).length };
}

export interface IssueInput {
  campaignId: string;
  contactId: string;
  /** A retried issue with the same key returns the same code. */
  issueKey?: string | null;
  now?: Date;
}

/** Takes one available code for a contact, atomically. Refuses: out_of_stock, limit_reached, coupon_expired. */
export async function issueCoupon(db: Db, workspaceId: string, input: IssueInput): Promise<{ code: CouponCode; campaign: CouponCampaign; created: boolean }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const campaign = await requireCampaign(tx, workspaceId, input.campaignId);
    if (input.issueKey) {
      const [before] = await tx.select().from(couponCodes).where(and(eq(couponCodes.workspaceId, workspaceId), eq(couponCodes.issueKey, input.issueKey)));
      if (before && (before.campaignId !== campaign.id || before.contactId !== input.contactId)) {
        throw new AppError("conflict", "This idempotency key was used to issue a code from another campaign or to another contact.");
      }
      if (before) return { code: before, campaign, created: false };
    }
    if (campaign.status !== "active") throw new AppError("conflict", "This coupon campaign is archived.");
    if (campaign.validUntil && campaign.validUntil <= now) throw new AppError("coupon_expired", "This coupon campaign has ended.");
    const [contact] = await queryRows<{ id: string }>(tx, sql`select id from contacts where workspace_id = ${workspaceId} and id = ${input.contactId}`);
    if (!contact) throw new AppError("not_found", `No contact ${input.contactId} in this workspace.`);
    // One contact's issues from one campaign, one at a time: the limit holds under parallel issues.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`coupon:${campaign.id}:${input.contactId}`}))`);
    if (input.issueKey) {
      const [before] = await tx.select().from(couponCodes).where(and(eq(couponCodes.workspaceId, workspaceId), eq(couponCodes.issueKey, input.issueKey)));
      if (before && (before.campaignId !== campaign.id || before.contactId !== input.contactId)) {
        throw new AppError("conflict", "This idempotency key was used to issue a code from another campaign or to another contact.");
      }
      if (before) return { code: before, campaign, created: false };
    }
    const [{ held }] = await queryRows<{ held: number }>(
      tx,
      sql`select count(*)::int as held from coupon_codes where workspace_id = ${workspaceId} and campaign_id = ${campaign.id} and contact_id = ${input.contactId}`,
    );
    if (held >= campaign.perContactLimit) {
      throw new AppError("limit_reached", `This contact already has ${held} coupon${held === 1 ? "" : "s"} from this campaign, its limit.`, { held, limit: campaign.perContactLimit });
    }
    const [code] = await queryRows<Record<string, unknown>>(
      tx,
      sql`update coupon_codes set status = 'issued', contact_id = ${input.contactId}, issued_at = ${now.toISOString()}::timestamptz, issue_key = ${input.issueKey ?? null}
          where workspace_id = ${workspaceId} and id = (
            select id from coupon_codes where workspace_id = ${workspaceId} and campaign_id = ${campaign.id} and status = 'available'
            order by id limit 1 for update skip locked)
          returning id`,
    );
    if (!code) throw new AppError("out_of_stock", `No codes are left in "${campaign.name}".`);
    const [row] = await tx.select().from(couponCodes).where(and(eq(couponCodes.workspaceId, workspaceId), eq(couponCodes.id, Number(code.id))));
    return { code: row, campaign, created: true };
  });
}

/** Marks an issued code used, once. Refuses with the reason: unknown, not issued, already used, expired, someone else's. */
export async function redeemCoupon(db: Db, workspaceId: string, input: { code: string; contactId?: string | null; ref?: string | null; now?: Date }) {
  const now = input.now ?? new Date();
  const [redeemed] = await queryRows<{ id: number }>(
    db,
    sql`update coupon_codes k set status = 'redeemed', redeemed_at = ${now.toISOString()}::timestamptz, redeemed_ref = ${input.ref ?? null}
        from coupon_campaigns c
        where k.workspace_id = ${workspaceId} and k.code = ${input.code} and k.status = 'issued'
          and c.workspace_id = k.workspace_id and c.id = k.campaign_id
          and (c.valid_until is null or c.valid_until > ${now.toISOString()}::timestamptz)
          and (c.valid_from is null or c.valid_from <= ${now.toISOString()}::timestamptz)
          ${input.contactId ? sql`and k.contact_id = ${input.contactId}` : sql``}
        returning k.id`,
  );
  const [row] = await db
    .select({ code: couponCodes, campaign: couponCampaigns })
    .from(couponCodes)
    .innerJoin(couponCampaigns, and(eq(couponCampaigns.workspaceId, couponCodes.workspaceId), eq(couponCampaigns.id, couponCodes.campaignId)))
    .where(and(eq(couponCodes.workspaceId, workspaceId), eq(couponCodes.code, input.code)));
  if (redeemed && row) return row;
  if (!row) throw new AppError("not_found", `No coupon ${input.code} in this workspace.`);
  const { code, campaign } = row;
  if (code.status === "redeemed") throw new AppError("coupon_used", `This coupon was redeemed on ${code.redeemedAt?.toISOString()}.`, { redeemed_at: code.redeemedAt });
  if (code.status === "available") throw new AppError("coupon_not_issued", "This coupon has not been issued to anyone yet.");
  if (campaign.validUntil && campaign.validUntil <= now) throw new AppError("coupon_expired", `This coupon expired on ${campaign.validUntil.toISOString()}.`, { valid_until: campaign.validUntil });
  if (campaign.validFrom && campaign.validFrom > now) throw new AppError("coupon_expired", `This coupon is valid from ${campaign.validFrom.toISOString()}.`, { valid_from: campaign.validFrom });
  throw new AppError("conflict", "This coupon was issued to another contact.");
}

/** Campaigns newest first, each with its stock and how many were issued and redeemed. */
export async function listCampaigns(db: Db, workspaceId: string) {
  const rows = await db
    .select({
      campaign: couponCampaigns,
      available: sql<number>`(select count(*)::int from coupon_codes k where k.workspace_id = coupon_campaigns.workspace_id and k.campaign_id = coupon_campaigns.id and k.status = 'available')`,
      issued: sql<number>`(select count(*)::int from coupon_codes k where k.workspace_id = coupon_campaigns.workspace_id and k.campaign_id = coupon_campaigns.id and k.status <> 'available')`,
      redeemed: sql<number>`(select count(*)::int from coupon_codes k where k.workspace_id = coupon_campaigns.workspace_id and k.campaign_id = coupon_campaigns.id and k.status = 'redeemed')`,
    })
    .from(couponCampaigns)
    .where(eq(couponCampaigns.workspaceId, workspaceId))
    .orderBy(desc(couponCampaigns.createdAt));
  return rows.map((row) => ({ ...row.campaign, available: Number(row.available), issued: Number(row.issued), redeemed: Number(row.redeemed) }));
}

/** The coupons issued to a contact, newest first (the profile). */
export async function contactCoupons(db: Db, workspaceId: string, contactId: string) {
  return db
    .select({ code: couponCodes, campaign: couponCampaigns })
    .from(couponCodes)
    .innerJoin(couponCampaigns, and(eq(couponCampaigns.workspaceId, couponCodes.workspaceId), eq(couponCampaigns.id, couponCodes.campaignId)))
    .where(and(eq(couponCodes.workspaceId, workspaceId), eq(couponCodes.contactId, contactId)))
    .orderBy(desc(couponCodes.issuedAt))
    .limit(100);
}

/** What `{{ coupon.code }}` and friends read in a message. */
export function couponContext(code: Pick<CouponCode, "code" | "issuedAt">, campaign: Pick<CouponCampaign, "name" | "value" | "validUntil">) {
  const value = campaign.value;
  return {
    code: code.code,
    campaign: campaign.name,
    value: value.kind === "amount" ? value.amount : value.kind === "percent" ? value.percent : value.text,
    value_kind: value.kind,
    currency: value.kind === "amount" ? value.currency : null,
    valid_until: campaign.validUntil ? campaign.validUntil.toISOString() : null,
  };
}
