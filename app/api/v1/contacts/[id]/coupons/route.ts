import { withSecretKey } from "@/lib/api/handler";
import { findContactByRef } from "@/lib/contacts/manage";
import { couponJson } from "@/lib/rewards/api";
import { contactCoupons } from "@/lib/rewards/coupons";

// GET /api/v1/contacts/:id/coupons: the coupons issued to the contact, newest first (the last 100), with their status
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  return { data: (await contactCoupons(db, workspace.id, contact.id)).map((row) => couponJson(row.code, row.campaign)) };
});
