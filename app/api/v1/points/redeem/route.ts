import { readJson, withSecretKey } from "@/lib/api/handler";
import { redeemByApi } from "@/lib/rewards/api";
import { pointsRedeemSchema } from "@/lib/validation/rewards";

// POST /api/v1/points/redeem: spend a contact's points, once per idempotency_key; 422 insufficient_points with the balance when there are not enough
export const POST = withSecretKey(async (request, { db, workspace, key }) => {
  const body = pointsRedeemSchema.parse(await readJson(request));
  return redeemByApi(db, workspace.id, key.id, body);
});
