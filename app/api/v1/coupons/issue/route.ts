import { readJson, withSecretKey } from "@/lib/api/handler";
import { issueByApi } from "@/lib/rewards/api";
import { couponIssueSchema } from "@/lib/validation/rewards";

// POST /api/v1/coupons/issue: take one free code of a campaign for a contact (201 with the code); 409 out_of_stock, limit_reached, coupon_expired
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = couponIssueSchema.parse(await readJson(request));
  return issueByApi(db, workspace.id, body);
});
