import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { queryRows } from "../sql";

// Read-only views for the monitors and rewards pages (the domain lives in lib/monitors and lib/rewards).

/** Property keys of an event's newest 500 occurrences (the monitor form's suggestions for sum and distinct). */
export async function eventPropertyKeys(db: Db, workspaceId: string, event: string, limit = 50): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(
    db,
    sql`select k as key from (
          select properties from events where workspace_id = ${workspaceId}::uuid and name = ${event}
          order by timestamp desc limit 500) e, jsonb_object_keys(case when jsonb_typeof(e.properties) = 'object' then e.properties else '{}'::jsonb end) k
        group by k order by count(*) desc, k limit ${limit}`,
  );
  return rows.map((row) => row.key);
}

export interface CampaignCounts {
  available: number;
  issued: number;
  redeemed: number;
}

/** One campaign's stock: available, issued (redeemed included) and redeemed codes. */
export async function campaignCounts(db: Db, workspaceId: string, campaignId: string): Promise<CampaignCounts> {
  const [row] = await queryRows<{ available: number; issued: number; redeemed: number }>(
    db,
    sql`select count(*) filter (where status = 'available')::int as available, count(*) filter (where status <> 'available')::int as issued,
               count(*) filter (where status = 'redeemed')::int as redeemed
        from coupon_codes where workspace_id = ${workspaceId}::uuid and campaign_id = ${campaignId}::uuid`,
  );
  return { available: Number(row?.available ?? 0), issued: Number(row?.issued ?? 0), redeemed: Number(row?.redeemed ?? 0) };
}

export interface CouponActivity {
  id: number;
  code: string;
  status: "issued" | "redeemed";
  contactId: string | null;
  email: string | null;
  issuedAt: Date | null;
  redeemedAt: Date | null;
  redeemedRef: string | null;
}

/** A campaign's newest issues and redemptions, whichever happened last first. */
export async function campaignActivity(db: Db, workspaceId: string, campaignId: string, limit = 50): Promise<CouponActivity[]> {
  const rows = await queryRows<{
    id: string | number;
    code: string;
    status: "issued" | "redeemed";
    contact_id: string | null;
    email: string | null;
    issued_at: string | Date | null;
    redeemed_at: string | Date | null;
    redeemed_ref: string | null;
  }>(
    db,
    sql`select k.id, k.code, k.status, k.contact_id, c.email, k.issued_at, k.redeemed_at, k.redeemed_ref
        from coupon_codes k left join contacts c on c.workspace_id = k.workspace_id and c.id = k.contact_id
        where k.workspace_id = ${workspaceId}::uuid and k.campaign_id = ${campaignId}::uuid and k.status <> 'available'
        order by coalesce(k.redeemed_at, k.issued_at) desc nulls last, k.id desc limit ${limit}`,
  );
  const date = (value: string | Date | null) => (value ? new Date(value) : null);
  return rows.map((row) => ({
    id: Number(row.id),
    code: row.code,
    status: row.status,
    contactId: row.contact_id,
    email: row.email,
    issuedAt: date(row.issued_at),
    redeemedAt: date(row.redeemed_at),
    redeemedRef: row.redeemed_ref,
  }));
}
