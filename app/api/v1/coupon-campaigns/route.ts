import { readJson, withSecretKey } from "@/lib/api/handler";
import { snakeError } from "@/lib/api/snake-paths";
import { campaignJson, campaignReply } from "@/lib/rewards/api";
import { createCampaign, listCampaigns } from "@/lib/rewards/coupons";
import { campaignCreateSchema } from "@/lib/validation/rewards";

// GET /api/v1/coupon-campaigns: every campaign, newest first, with its codes available, issued and redeemed
export const GET = withSecretKey(async (_request, { db, workspace }) => {
  return { data: (await listCampaigns(db, workspace.id)).map((row) => campaignJson(row, row)) };
});

// POST /api/v1/coupon-campaigns: a pool campaign (codes uploaded next) or a generated one (`quantity` codes made now from `pattern`)
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = campaignCreateSchema.parse(await readJson(request));
  const campaign = await createCampaign(db, workspace.id, {
    name: body.name,
    description: body.description ?? null,
    source: body.source,
    pattern: body.pattern ?? null,
    quantity: body.quantity,
    value: body.value,
    validFrom: body.valid_from ? new Date(body.valid_from) : null,
    validUntil: body.valid_until ? new Date(body.valid_until) : null,
    perContactLimit: body.per_contact_limit,
  }).catch((error: unknown) => Promise.reject(snakeError(error)));
  return Response.json(await campaignReply(db, workspace.id, campaign), { status: 201 });
});
