import { withSecretKey } from "@/lib/api/handler";
import { scoringSettingsJson } from "@/lib/scoring/api";
import { startRecalculation } from "@/lib/scoring/recalculate";
import { scoringSettingsOf } from "@/lib/scoring/settings";

// POST /api/v1/scoring/recalculate: queue a recalculation of every contact's score under today's rules (202; 409 while one runs); progress in GET /scoring/settings
export const POST = withSecretKey(async (_request, { db, workspace }) => {
  await startRecalculation(db, workspace.id);
  return Response.json(scoringSettingsJson(await scoringSettingsOf(db, workspace.id)).recalculation, { status: 202 });
});
