import { readJson, withSecretKey } from "@/lib/api/handler";
import { requireContactIdByRef } from "@/lib/contacts/refs";
import { couponJson } from "@/lib/rewards/api";
import { redeemCoupon } from "@/lib/rewards/coupons";
import { couponRedeemSchema } from "@/lib/validation/rewards";

// POST /api/v1/coupons/redeem: mark an issued code used, once; 409 with the reason (coupon_used, coupon_expired, coupon_not_issued, another contact's), 404 for an unknown code
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = couponRedeemSchema.parse(await readJson(request));
  const contactId = body.contact ? await requireContactIdByRef(db, workspace.id, body.contact) : null;
  const { code, campaign } = await redeemCoupon(db, workspace.id, { code: body.code, contactId, ref: body.ref || null });
  return couponJson(code, campaign);
});
