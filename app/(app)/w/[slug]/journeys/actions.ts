"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import type { WorkspaceContext } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import {
  archiveJourney,
  checkJourney,
  createJourney,
  deleteJourney,
  pauseJourney,
  publishJourney,
  requireJourney,
  resumeJourney,
  updateJourney,
} from "@/lib/journeys/manage";
import { journeyTotals, listRuns, nodeStats } from "@/lib/journeys/stats";
import type { JourneyProblem } from "@/lib/journeys/validate";
import type { LiveStats, PublishResult, RunView } from "@/components/journeys/types";
import { checkJourneyFormSchema, createJourneyFormSchema, journeyIdFormSchema, journeyRunsFormSchema, saveJourneyFormSchema } from "./schemas";

// workspaceAction, with the journey's own words for a state that changed meanwhile or a
// journey that is gone (the shared messages speak of workspaces and duplicates).
function journeyAction<S extends z.ZodType, T>(
  atLeast: Parameters<typeof workspaceAction>[0],
  schema: S,
  handler: (input: z.output<S>, context: WorkspaceContext) => Promise<{ data?: T; message?: string } | void>,
) {
  return async (previous: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    let failure: AppError | undefined;
    const action = workspaceAction(atLeast, schema, (input, context) =>
      handler(input, context).catch((error: unknown) => {
        if (error instanceof AppError) failure = error;
        throw error;
      }),
    );
    const state = await action(previous, formData);
    if (state && !state.ok && (failure?.code === "conflict" || failure?.code === "not_found")) {
      const t = await getTranslations("journeys.errors");
      return { ...state, error: t(failure.code === "conflict" ? "stateChanged" : "gone") };
    }
    return state;
  };
}

function revalidate(slug: string, id?: string) {
  revalidatePath(`/w/${slug}/journeys`);
  if (id) revalidatePath(`/w/${slug}/journeys/${id}`);
}

export const createJourneyAction = journeyAction("marketer", createJourneyFormSchema, async (input, { db, workspace, user }) => {
  const journey = await createJourney(db, workspace.id, { name: input.name, createdBy: user.id });
  revalidate(workspace.slug);
  return { data: { id: journey.id } };
});

export const saveJourneyAction = journeyAction("marketer", saveJourneyFormSchema, async (input, { db, workspace }) => {
  const journey = await updateJourney(db, workspace.id, input.id, { name: input.name, description: input.description, graph: input.graph });
  revalidate(workspace.slug, journey.id);
  return { data: { updatedAt: journey.updatedAt.toISOString() } };
});

// Saves the draft, then publishes it; a graph that cannot run comes back as its problems (not an error).
export const publishJourneyAction = journeyAction("marketer", saveJourneyFormSchema, async (input, { db, workspace, user }): Promise<{ data: PublishResult }> => {
  await updateJourney(db, workspace.id, input.id, { name: input.name, description: input.description, graph: input.graph });
  try {
    const journey = await publishJourney(db, workspace.id, input.id, user.id);
    revalidate(workspace.slug, journey.id);
    const data: PublishResult = { published: true, version: journey.version ?? 1, status: journey.status };
    return { data };
  } catch (error) {
    if (error instanceof AppError && error.code === "validation_failed" && Array.isArray(error.details)) {
      revalidate(workspace.slug, input.id);
      const data: PublishResult = { published: false, problems: error.details as JourneyProblem[] };
      return { data };
    }
    throw error;
  }
});

/** The problems publishing would find in this graph, without saving or publishing it. */
export const checkJourneyAction = workspaceAction("marketer", checkJourneyFormSchema, async (input, { db, workspace }) => {
  const checked = await checkJourney(db, workspace.id, input.graph);
  return { data: { problems: checked.ok ? [] : checked.problems } };
});

export const pauseJourneyAction = journeyAction("marketer", journeyIdFormSchema, async (input, { db, workspace }) => {
  await pauseJourney(db, workspace.id, input.id);
  revalidate(workspace.slug, input.id);
});

export const resumeJourneyAction = journeyAction("marketer", journeyIdFormSchema, async (input, { db, workspace }) => {
  await resumeJourney(db, workspace.id, input.id);
  revalidate(workspace.slug, input.id);
});

export const archiveJourneyAction = journeyAction("marketer", journeyIdFormSchema, async (input, { db, workspace }) => {
  await archiveJourney(db, workspace.id, input.id);
  revalidate(workspace.slug, input.id);
});

export const deleteJourneyAction = journeyAction("marketer", journeyIdFormSchema, async (input, { db, workspace }) => {
  await deleteJourney(db, workspace.id, input.id);
  revalidate(workspace.slug);
});

/** The canvas's counts, asked again every few seconds while the journey runs. */
export const journeyStatsAction = workspaceAction("viewer", journeyIdFormSchema, async (input, { db, workspace }) => {
  const journey = await requireJourney(db, workspace.id, input.id);
  const [nodes, totals] = await Promise.all([nodeStats(db, workspace.id, journey.id), journeyTotals(db, workspace.id, journey.id)]);
  const data: LiveStats = { status: journey.status, nodes, totals };
  return { data };
});

/** Who is at a node now: a page of runs, newest entry first. */
export const journeyRunsAction = workspaceAction("viewer", journeyRunsFormSchema, async (input, { db, workspace }) => {
  const journey = await requireJourney(db, workspace.id, input.id);
  const page = await listRuns(db, workspace.id, journey.id, { nodeId: input.nodeId, cursor: input.cursor ?? null, limit: 20 });
  const runs: RunView[] = page.runs.map((run) => ({
    id: run.id,
    contactId: run.contactId,
    email: run.email,
    name: run.name,
    status: run.status,
    version: run.version,
    nodeEnteredAt: run.nodeEnteredAt.toISOString(),
    waitUntil: run.waitUntil?.toISOString() ?? null,
    enteredAt: run.enteredAt.toISOString(),
  }));
  return { data: { runs, nextCursor: page.nextCursor } };
});
