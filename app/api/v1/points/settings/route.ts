import { readJson, withSecretKey } from "@/lib/api/handler";
import { rewardSettingsJson } from "@/lib/rewards/api";
import { rewardSettingsOf, saveRewardSettings } from "@/lib/rewards/points";
import { rewardSettingsPatchSchema } from "@/lib/validation/rewards";

// GET /api/v1/points/settings: what points are called, whether a balance may go below zero, the default expiry of awards
export const GET = withSecretKey(async (_request, { db, workspace }) => {
  return rewardSettingsJson(await rewardSettingsOf(db, workspace.id));
});

// PATCH /api/v1/points/settings: change any of points_name, allow_negative, default_expiry_days (null clears)
export const PATCH = withSecretKey(async (request, { db, workspace }) => {
  const patch = rewardSettingsPatchSchema.parse(await readJson(request));
  const saved = await saveRewardSettings(db, workspace.id, {
    ...(patch.points_name !== undefined ? { pointsName: patch.points_name } : {}),
    ...(patch.allow_negative !== undefined ? { allowNegative: patch.allow_negative } : {}),
    ...(patch.default_expiry_days !== undefined ? { defaultExpiryDays: patch.default_expiry_days } : {}),
  });
  return rewardSettingsJson(saved);
});
