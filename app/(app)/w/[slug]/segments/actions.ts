"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { segmentsReading } from "@/db/queries/segment-views";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import type { WorkspaceContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { deleteSegment, previewRule } from "@/lib/segments/manage";
import { listChangeLimit, parseIdentifiers, resolveContactIdentifiers } from "@/lib/segments/list-members";
import { changeListMembers, recomputeSegment } from "@/lib/segments/membership";
import { createSegmentAndQueue, requireSegment, updateSegmentAndQueue } from "@/lib/segments/requests";
import type { RuleProblem } from "@/lib/segments/rule";
import { createSegmentFormSchema, listMembersFormSchema, previewFormSchema, segmentIdSchema, updateSegmentFormSchema } from "./schemas";

export type PreviewResult = { count: number; sample: Array<{ id: string; email: string | null; external_id: string | null; first_name: string | null; last_name: string | null }> };

/** The first problem of a refused rule, with the code and params the form translates it with. */
function ruleProblemOf(error: unknown): RuleProblem | undefined {
  if (!(error instanceof AppError) || error.code !== "validation_failed" || !Array.isArray(error.details)) return undefined;
  const [first] = error.details as Array<Partial<RuleProblem> | undefined>;
  if (typeof first?.path !== "string" || typeof first.message !== "string" || !first.code) return undefined;
  return { path: first.path, message: first.message, code: first.code, params: first.params };
}

// workspaceAction, plus the refused rule's problem: its field errors carry only the English
// message, and the form says it in the reader's language.
function ruleAction<S extends z.ZodType, T>(
  atLeast: Parameters<typeof workspaceAction>[0],
  schema: S,
  handler: (input: z.output<S>, context: WorkspaceContext) => Promise<{ data?: T; message?: string } | void>,
) {
  return async (previous: ActionState<T>, formData: FormData): Promise<(ActionState<T> & { problem?: RuleProblem }) | null> => {
    let problem: RuleProblem | undefined;
    const action = workspaceAction(atLeast, schema, (input, context) =>
      handler(input, context).catch((error: unknown) => {
        problem = ruleProblemOf(error);
        throw error;
      }),
    );
    const state = await action(previous, formData);
    return state && !state.ok && problem ? { ...state, problem } : state;
  };
}

export const createSegmentAction = ruleAction("marketer", createSegmentFormSchema, async (input, { db, workspace, user }) => {
  const segment = await createSegmentAndQueue(db, workspace.id, {
    name: input.name,
    description: input.description,
    kind: input.kind,
    rule: input.kind === "dynamic" ? input.rule : undefined,
    createdBy: user.id,
  });
  // A small workspace sees its members at once; a large one gets them from the queued job.
  if (segment.kind === "dynamic") await recomputeSegment(db, workspace.id, segment.id);
  revalidatePath(`/w/${workspace.slug}/segments`);
  return { data: { id: segment.id } };
});

export const updateSegmentAction = ruleAction("marketer", updateSegmentFormSchema, async (input, { db, workspace }) => {
  const segment = await updateSegmentAndQueue(db, workspace.id, input.id, { name: input.name, description: input.description, rule: input.rule });
  if (input.rule !== undefined) await recomputeSegment(db, workspace.id, segment.id);
  revalidatePath(`/w/${workspace.slug}/segments`);
  return { data: { id: segment.id } };
});

export const previewRuleAction = ruleAction("marketer", previewFormSchema, async (input, { db, workspace }) => {
  const { count, sample } = await previewRule(db, workspace.id, input.rule, 5);
  return { data: { count, sample } satisfies PreviewResult };
});

export const recomputeSegmentAction = workspaceAction("marketer", segmentIdSchema, async (input, { db, workspace }) => {
  const segment = await requireSegment(db, workspace.id, input.id);
  const result = await recomputeSegment(db, workspace.id, segment.id);
  if (result && "error" in result && result.error) {
    throw new AppError("validation_failed", `${result.error.path}: ${result.error.message}`, [result.error]);
  }
  revalidatePath(`/w/${workspace.slug}/segments/${segment.id}`);
  return { data: { entered: result?.entered ?? 0, exited: result?.exited ?? 0, members: result?.members ?? 0 } };
});

export const deleteSegmentAction = workspaceAction("marketer", segmentIdSchema, async (input, { db, workspace }) => {
  const segment = await requireSegment(db, workspace.id, input.id);
  const readers = await segmentsReading(db, workspace.id, segment.id);
  // The form shows who blocks the delete, in the reader's language.
  if (readers.length > 0) throw new AppError("conflict", "Segment is used by other segments.", [{ path: "usedBy", message: readers.join(", ") }]);
  await deleteSegment(db, workspace.id, segment.id);
  revalidatePath(`/w/${workspace.slug}/segments`);
});

export type ListChangeResult = { matched: number; changed: number; members: number; missing: string[]; missingCount: number };

export const changeListMembersAction = workspaceAction("marketer", listMembersFormSchema, async (input, { db, workspace }) => {
  const segment = await requireSegment(db, workspace.id, input.id);
  if (segment.kind !== "static") throw new AppError("conflict", "A dynamic segment's rule decides its members.");
  const identifiers = parseIdentifiers(input.identifiers);
  if (identifiers.length === 0) throw new AppError("validation_failed", "No identifiers.", [{ path: "identifiers", message: "list_empty" }]);
  if (identifiers.length > listChangeLimit) throw new AppError("validation_failed", "Too many identifiers.", [{ path: "identifiers", message: "list_too_long" }]);
  const { ids, missing } = await resolveContactIdentifiers(db, workspace.id, identifiers);
  const result = ids.length > 0 ? await changeListMembers(db, workspace.id, segment.id, input.mode === "add" ? { add: ids } : { remove: ids }) : undefined;
  revalidatePath(`/w/${workspace.slug}/segments/${segment.id}`);
  const data: ListChangeResult = {
    matched: ids.length,
    changed: input.mode === "add" ? (result?.entered.length ?? 0) : (result?.exited.length ?? 0),
    members: result?.members ?? segment.memberCount,
    missing: missing.slice(0, 20),
    missingCount: missing.length,
  };
  return { data };
});
