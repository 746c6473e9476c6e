import { readJson, withSecretKey } from "@/lib/api/handler";
import { campaignReply, updateCampaign } from "@/lib/rewards/api";
import { requireCampaign } from "@/lib/rewards/coupons";
import { campaignPatchSchema } from "@/lib/validation/rewards";

// GET /api/v1/coupon-campaigns/:id: the campaign with its codes available, issued and redeemed
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return campaignReply(db, workspace.id, await requireCampaign(db, workspace.id, String(params.id)));
});

// PATCH /api/v1/coupon-campaigns/:id: change name, description, valid_until or per_contact_limit, or archive it (status "archived": no more issues); 409 once archived
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = campaignPatchSchema.parse(await readJson(request));
  return campaignReply(db, workspace.id, await updateCampaign(db, workspace.id, String(params.id), patch));
});
