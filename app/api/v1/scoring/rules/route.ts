import { readJson, withSecretKey } from "@/lib/api/handler";
import { scoringRuleJson } from "@/lib/scoring/api";
import { createScoringRule, listScoringRules } from "@/lib/scoring/rules";
import { scoringRuleInput } from "@/lib/scoring/schema";

// GET /api/v1/scoring/rules: every scoring rule, fit rules first, with how often each engagement rule scored in the last 30 days
export const GET = withSecretKey(async (_request, { db, workspace }) => {
  return { data: (await listScoringRules(db, workspace.id)).map(scoringRuleJson) };
});

// POST /api/v1/scoring/rules: create a fit rule (kind attribute, a segment rule) or an engagement rule (kind behaviour: event, where, points, cap)
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const input = scoringRuleInput.parse(await readJson(request));
  const rule = await createScoringRule(db, workspace.id, input);
  return Response.json(scoringRuleJson(rule), { status: 201 });
});
