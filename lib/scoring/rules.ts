import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { scoringRules, type Json, type ScoringRule } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { loadRuleContext } from "@/lib/segments/membership";
import type { RuleProblem } from "@/lib/segments/rule";
import { validateRule } from "@/lib/segments/validate";
import { scoringRuleInput, type ScoringRuleInput, type ScoringRulePatch } from "./schema";

// Scoring rules: fit rules (a segment rule on the contact: "job title contains VP → +20") and
// engagement rules (an event with a rule on its properties, points, an optional cap:
// "visited pricing → +10, at most 3 times a week"). Changing a rule changes what scores from
// now on; a recalculation applies it to every contact's past.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refused rule: where (`rule` or `where`, then the path inside it) and why, with the code the UI translates. */
function refused(field: "rule" | "where", problem: RuleProblem): AppError {
  const inside = problem.path.slice(1);
  return new AppError("validation_failed", `Invalid ${field} at ${field}${inside}: ${problem.message}`, [
    { path: field, message: problem.message, code: problem.code, params: problem.params ?? null, at: problem.path },
  ]);
}

/** Checks the JSON-Logic of a rule against the workspace's catalogue. */
export async function checkScoringRule(db: Db, workspaceId: string, input: ScoringRuleInput): Promise<void> {
  const context = await loadRuleContext(db, workspaceId);
  if (input.kind === "attribute") {
    const checked = validateRule(input.rule, context);
    if (!checked.ok) throw refused("rule", checked.problems[0]);
    // Fit is part of the score: a fit rule reading the score would feed on itself.
    if (checked.dependencies.fields.includes("score")) {
      throw new AppError("validation_failed", "A fit rule cannot read the score it is part of.", [{ path: "rule", message: "fit_reads_score", code: "fit_reads_score", params: null, at: "$" }]);
    }
    return;
  }
  if (input.where === undefined || input.where === null) return;
  // The `where` is checked as the segment rule {performed: {event, where}}: the same language and paths.
  const checked = validateRule({ performed: { event: input.event, where: input.where } }, context);
  if (!checked.ok) {
    const problem = checked.problems[0];
    const prefix = "$.performed.where";
    throw refused("where", { ...problem, path: problem.path.startsWith(prefix) ? `$${problem.path.slice(prefix.length)}` : problem.path });
  }
}

function columns(input: ScoringRuleInput) {
  if (input.kind === "attribute") {
    return { name: input.name, kind: input.kind, rule: input.rule as Json, event: null, where: null, points: input.points, cap: null, active: input.active };
  }
  return {
    name: input.name,
    kind: input.kind,
    rule: null,
    event: input.event,
    where: (input.where ?? null) as Json | null,
    points: input.points,
    cap: input.cap ?? null,
    active: input.active,
  };
}

export async function getScoringRule(db: Db, workspaceId: string, ruleId: string): Promise<ScoringRule | undefined> {
  if (!uuidPattern.test(ruleId)) return undefined;
  const [row] = await db.select().from(scoringRules).where(and(eq(scoringRules.workspaceId, workspaceId), eq(scoringRules.id, ruleId)));
  return row;
}

export async function requireScoringRule(db: Db, workspaceId: string, ruleId: string): Promise<ScoringRule> {
  const rule = await getScoringRule(db, workspaceId, ruleId);
  if (!rule) throw new AppError("not_found", `No scoring rule ${ruleId} in this workspace.`);
  return rule;
}

export type ScoringRuleRow = ScoringRule & { scored30d: number };

/** Fit rules then engagement rules, oldest first, with how often each engagement rule scored in the last 30 days. */
export async function listScoringRules(db: Db, workspaceId: string, now = new Date()): Promise<ScoringRuleRow[]> {
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const [rules, counts] = await Promise.all([
    db.select().from(scoringRules).where(eq(scoringRules.workspaceId, workspaceId)).orderBy(asc(scoringRules.kind), asc(scoringRules.createdAt), asc(scoringRules.id)),
    queryRows<{ rule_id: string; n: number }>(
      db,
      sql`select rule_id, count(*)::int as n from score_events
          where workspace_id = ${workspaceId} and kind = 'engagement' and rule_id is not null and at >= ${since}::timestamptz
          group by rule_id`,
    ),
  ]);
  const scored = new Map(counts.map((row) => [row.rule_id, Number(row.n)]));
  return rules.map((rule) => ({ ...rule, scored30d: scored.get(rule.id) ?? 0 }));
}

export async function createScoringRule(db: Db, workspaceId: string, input: ScoringRuleInput): Promise<ScoringRule> {
  await checkScoringRule(db, workspaceId, input);
  const [row] = await db.insert(scoringRules).values({ workspaceId, ...columns(input) }).returning();
  return row;
}

/** A patch merged with the rule as it is, then checked whole (switching kind needs the other kind's fields). */
export async function updateScoringRule(db: Db, workspaceId: string, ruleId: string, patch: ScoringRulePatch): Promise<ScoringRule> {
  const current = await requireScoringRule(db, workspaceId, ruleId);
  const kind = patch.kind ?? current.kind;
  const merged =
    kind === "attribute"
      ? { kind, name: patch.name ?? current.name, rule: "rule" in patch ? patch.rule : current.rule, points: patch.points ?? current.points, active: patch.active ?? current.active }
      : {
          kind,
          name: patch.name ?? current.name,
          event: patch.event ?? current.event ?? undefined,
          where: "where" in patch ? patch.where : (current.where ?? undefined),
          points: patch.points ?? current.points,
          cap: "cap" in patch ? patch.cap : current.cap,
          active: patch.active ?? current.active,
        };
  const input = scoringRuleInput.parse(merged);
  await checkScoringRule(db, workspaceId, input);
  const [row] = await db
    .update(scoringRules)
    .set({ ...columns(input), updatedAt: new Date() })
    .where(and(eq(scoringRules.workspaceId, workspaceId), eq(scoringRules.id, ruleId)))
    .returning();
  return row;
}

/** The rule goes; the points it gave stay until a recalculation (the history keeps its id). */
export async function deleteScoringRule(db: Db, workspaceId: string, ruleId: string): Promise<ScoringRule> {
  const rule = await requireScoringRule(db, workspaceId, ruleId);
  await db.delete(scoringRules).where(and(eq(scoringRules.workspaceId, workspaceId), eq(scoringRules.id, ruleId)));
  return rule;
}

/** Whether any rule changed after the last finished recalculation (the page suggests one). */
export async function rulesChangedSince(db: Db, workspaceId: string, since: Date | null): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    db,
    since
      ? sql`select count(*)::int as n from scoring_rules where workspace_id = ${workspaceId} and updated_at > ${since.toISOString()}::timestamptz`
      : sql`select count(*)::int as n from scoring_rules where workspace_id = ${workspaceId}`,
  );
  return Number(row.n) > 0;
}
