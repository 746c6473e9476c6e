import { readJson, withSecretKey } from "@/lib/api/handler";
import { scoringSettingsJson } from "@/lib/scoring/api";
import { scoringSettingsPatch } from "@/lib/scoring/schema";
import { saveScoringSettings, scoringSettingsOf } from "@/lib/scoring/settings";

// GET /api/v1/scoring/settings: decay, lifecycle thresholds, the MQL owner and webhook, the last recalculation's progress
export const GET = withSecretKey(async (_request, { db, workspace }) => {
  return scoringSettingsJson(await scoringSettingsOf(db, workspace.id));
});

// PATCH /api/v1/scoring/settings: change what the body names; `owner` is a member's user id or email, null clears
export const PATCH = withSecretKey(async (request, { db, workspace }) => {
  const patch = scoringSettingsPatch.parse(await readJson(request));
  return scoringSettingsJson(await saveScoringSettings(db, workspace.id, patch));
});
