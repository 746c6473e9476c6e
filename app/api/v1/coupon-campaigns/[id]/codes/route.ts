import { readJson, readText, withSecretKey } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { campaignCounts, codesFromCsv } from "@/lib/rewards/api";
import { requireCampaign, uploadCodes } from "@/lib/rewards/coupons";
import { codesUploadSchema } from "@/lib/validation/rewards";

// 100,000 codes of up to 100 characters, quoted, fit.
const maxBytes = 16 * 1024 * 1024;

// POST /api/v1/coupon-campaigns/:id/codes: add up to 100,000 codes to a pool campaign, as JSON `{codes: [...]}` or a text/csv body (one a line, or the first column)
export const POST = withSecretKey(async (request, { db, workspace, params }) => {
  const campaign = await requireCampaign(db, workspace.id, String(params.id));
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase() ?? "";
  const codes = type === "text/csv" || type === "text/plain" ? codesFromCsv(await readText(request, maxBytes)) : codesUploadSchema.parse(await readJson(request, maxBytes)).codes;
  if (campaign.status === "archived") throw new AppError("conflict", "This coupon campaign is archived; it takes no more codes.");
  const result = await uploadCodes(db, workspace.id, campaign.id, codes);
  const { available } = await campaignCounts(db, workspace.id, campaign.id);
  return { added: result.added, skipped: result.skipped, blank: result.blank, available };
});
