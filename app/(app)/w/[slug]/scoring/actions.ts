"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import type { WorkspaceContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { recalculationStatus, startRecalculation } from "@/lib/scoring/recalculate";
import { createScoringRule, deleteScoringRule, requireScoringRule, updateScoringRule } from "@/lib/scoring/rules";
import { scoringRuleInput, scoringSettingsPatch } from "@/lib/scoring/schema";
import { saveScoringSettings } from "@/lib/scoring/settings";
import type { RuleProblem } from "@/lib/segments/rule";
import type { ScoringActionState } from "@/components/scoring/types";

// The Scoring page's actions. Forms send their body as JSON in `body`, parsed by the REST
// API's own schemas; field errors come back under the API's field names (without `body.`),
// and a refused rule brings its problem (code, params, path inside the rule) for the form to
// say in the reader's language.

const json = <S extends z.ZodType>(schema: S) =>
  z.string().transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: "Not JSON." });
      return z.NEVER;
    }
  }).pipe(schema);

function scoringAction<S extends z.ZodType, T>(
  atLeast: Parameters<typeof workspaceAction>[0],
  schema: S,
  handler: (input: z.output<S>, context: WorkspaceContext) => Promise<{ data?: T; message?: string } | void>,
) {
  return async (previous: ScoringActionState<T>, formData: FormData): Promise<ScoringActionState<T>> => {
    let problem: (RuleProblem & { field: string }) | undefined;
    const action = workspaceAction(atLeast, schema, (input, context) =>
      handler(input, context).catch((error: unknown) => {
        if (error instanceof AppError && Array.isArray(error.details)) {
          const [first] = error.details as Array<{ path?: string; message?: string; code?: RuleProblem["code"]; params?: RuleProblem["params"] | null; at?: string }>;
          if (first?.at && first.code && first.path) problem = { field: first.path, path: first.at, message: first.message ?? error.message, code: first.code, params: first.params ?? undefined };
        }
        throw error;
      }),
    );
    const state = await action(previous as ActionState<T>, formData);
    if (!state || state.ok) return state;
    const fieldErrors = state.fieldErrors ? Object.fromEntries(Object.entries(state.fieldErrors).map(([key, value]) => [key.replace(/^body\./, ""), value])) : undefined;
    return { ...state, ...(fieldErrors ? { fieldErrors } : {}), ...(problem ? { problem } : {}) };
  };
}

function revalidate(slug: string) {
  revalidatePath(`/w/${slug}/scoring`);
}

const ruleForm = z.object({ id: z.uuid().optional().or(z.literal("").transform(() => undefined)), body: json(scoringRuleInput) });

export const saveRuleAction = scoringAction("marketer", ruleForm, async (input, { db, workspace }) => {
  const rule = input.id ? await updateScoringRule(db, workspace.id, input.id, input.body) : await createScoringRule(db, workspace.id, input.body);
  revalidate(workspace.slug);
  return { data: { id: rule.id } };
});

const ruleIdForm = z.object({ id: z.uuid() });

export const toggleRuleAction = scoringAction("marketer", ruleIdForm.extend({ active: z.enum(["true", "false"]) }), async (input, { db, workspace }) => {
  await requireScoringRule(db, workspace.id, input.id);
  await updateScoringRule(db, workspace.id, input.id, { active: input.active === "true" });
  revalidate(workspace.slug);
});

export const deleteRuleAction = scoringAction("marketer", ruleIdForm, async (input, { db, workspace }) => {
  await deleteScoringRule(db, workspace.id, input.id);
  revalidate(workspace.slug);
});

export const saveSettingsAction = scoringAction("admin", z.object({ body: json(scoringSettingsPatch) }), async (input, { db, workspace }) => {
  await saveScoringSettings(db, workspace.id, input.body);
  revalidate(workspace.slug);
});

export const recalculateAction = scoringAction("marketer", z.object({}), async (_input, { db, workspace }) => {
  const recalculation = await startRecalculation(db, workspace.id);
  return { data: { ...recalculation, stopped: false } };
});

/** The progress bar polls this while a recalculation runs. */
export const recalculationProgressAction = scoringAction("viewer", z.object({}), async (_input, { db, workspace }) => {
  const recalculation = await recalculationStatus(db, workspace.id);
  if (recalculation?.finishedAt) revalidate(workspace.slug);
  return { data: recalculation };
});
