import { readJson, withSecretKey } from "@/lib/api/handler";
import { awardByApi } from "@/lib/rewards/api";
import { pointsAwardSchema } from "@/lib/validation/rewards";

// POST /api/v1/points/award: add points to a contact's balance, once per idempotency_key (201; the same key again: 200 with the first transaction)
export const POST = withSecretKey(async (request, { db, workspace, key }) => {
  const body = pointsAwardSchema.parse(await readJson(request));
  return awardByApi(db, workspace.id, key.id, body);
});
