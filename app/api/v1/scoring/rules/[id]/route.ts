import { readJson, withSecretKey } from "@/lib/api/handler";
import { scoringRuleJson } from "@/lib/scoring/api";
import { deleteScoringRule, requireScoringRule, updateScoringRule } from "@/lib/scoring/rules";
import { scoringRulePatch } from "@/lib/scoring/schema";

// GET /api/v1/scoring/rules/:id: one scoring rule
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return scoringRuleJson(await requireScoringRule(db, workspace.id, String(params.id)));
});

// PATCH /api/v1/scoring/rules/:id: change any field (checked whole); it scores new activity from now on, a recalculation applies it to the past
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = scoringRulePatch.parse(await readJson(request));
  return scoringRuleJson(await updateScoringRule(db, workspace.id, String(params.id), patch));
});

// DELETE /api/v1/scoring/rules/:id: the rule goes; the points it gave stay until a recalculation
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const rule = await deleteScoringRule(db, workspace.id, String(params.id));
  return { deleted: true, id: rule.id };
});
