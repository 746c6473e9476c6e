"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import type { WorkspaceContext } from "@/lib/auth/session";
import { countAudience } from "@/lib/broadcasts/fanout";
import {
  asInput,
  cancelBroadcast,
  createBroadcast,
  deleteBroadcast,
  listVariants,
  pauseBroadcast,
  requireBroadcast,
  resumeBroadcast,
  sendBroadcast,
  unscheduleBroadcast,
  updateBroadcast,
} from "@/lib/broadcasts/manage";
import { localMomentIn } from "@/lib/broadcasts/schedule";
import { broadcastProgress, type Progress } from "@/lib/broadcasts/stats";
import { AppError } from "@/lib/errors";
import { broadcastCreateSchema } from "@/lib/validation/broadcasts";
import type { BroadcastStatus } from "@/db/schema";
import { audienceCountFormSchema, broadcastIdFormSchema, saveBroadcastFormSchema, sendBroadcastFormSchema } from "./schemas";

// The validation's messages are English; the form says them in the reader's language by
// these codes (broadcasts.errors.<code>), chosen by the field an issue is about.
const codeByField: Record<string, string> = {
  name: "name",
  template_id: "template",
  template_version: "templateVersion",
  topic_id: "topic",
  audience: "include",
  "audience.include": "include",
  "audience.exclude": "exclude",
  schedule: "scheduleKind",
  "schedule.kind": "scheduleKind",
  "schedule.at": "at",
  "schedule.local_time": "localTime",
  "schedule.fallback_timezone": "timezone",
  throttle_per_minute: "throttle",
  "ab_test.mode": "winnerNeedsOneTime",
  "ab_test.variants": "variantCount",
  "ab_test.test_percent": "testPercent",
  "ab_test.metric": "metric",
  "ab_test.wait_hours": "waitHours",
  "ab_test.variants.*.weight": "weight",
  "ab_test.variants.*.template_id": "template",
  "ab_test.variants.*.subject": "subject",
  "ab_test.variants.*.from_name": "fromName",
  "ab_test.variants.*.from_email": "fromEmail",
  conversion: "conversionNeeded",
  "conversion.event": "conversionEvent",
  "conversion.revenue_property": "revenueProperty",
  "conversion.window_hours": "window",
};

function issueDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => {
    const path = issue.path.join(".");
    const field = path.replace(/^ab_test\.variants\.\d+\./, "ab_test.variants.*.").replace(/^(audience\.(include|exclude))\.\d+$/, "$1");
    return { path, message: codeByField[field] ?? issue.message };
  });
}

/** The body as the validation takes it: an "at" wall-clock time becomes an instant in the workspace's zone. */
function withInstant(body: unknown, timeZone: string): unknown {
  if (!body || typeof body !== "object") return body;
  const schedule = (body as { schedule?: { kind?: string; at?: unknown } }).schedule;
  if (schedule?.kind !== "at" || typeof schedule.at !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(schedule.at)) return body;
  return { ...body, schedule: { ...schedule, at: localMomentIn(schedule.at, timeZone).toISOString() } };
}

function parseBody(body: unknown, timeZone: string) {
  const parsed = broadcastCreateSchema.safeParse(withInstant(body, timeZone));
  if (!parsed.success) throw new AppError("validation_failed", parsed.error.issues[0].message, issueDetails(parsed.error));
  return parsed.data;
}

// workspaceAction, with the broadcast's own words for a state that changed meanwhile or a
// broadcast that is gone (the shared messages speak of workspaces and duplicates).
function broadcastAction<S extends z.ZodType, T>(
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
      const t = await getTranslations("broadcasts.errors");
      return { ...state, error: t(failure.code === "conflict" ? "stateChanged" : "gone") };
    }
    return state;
  };
}

function revalidate(slug: string, id?: string) {
  revalidatePath(`/w/${slug}/broadcasts`);
  if (id) revalidatePath(`/w/${slug}/broadcasts/${id}`);
}

export const saveBroadcastAction = broadcastAction("marketer", saveBroadcastFormSchema, async (input, { db, workspace, user }) => {
  const body = parseBody(input.body, workspace.timezone);
  const broadcast = input.id ? await updateBroadcast(db, workspace.id, input.id, body) : await createBroadcast(db, workspace.id, body, user.id);
  revalidate(workspace.slug, broadcast.id);
  return { data: { id: broadcast.id } };
});

export const audienceCountAction = workspaceAction("marketer", audienceCountFormSchema, async (input, { db, workspace }) => {
  return { data: { count: await countAudience(db, workspace.id, { include: input.include, exclude: input.exclude }) } };
});

export const sendBroadcastAction = broadcastAction("marketer", sendBroadcastFormSchema, async (input, { db, workspace }) => {
  const broadcast = await sendBroadcast(db, workspace.id, input.id, input.when === "now" ? { schedule: { kind: "now" } } : {});
  revalidate(workspace.slug, broadcast.id);
  return { data: { status: broadcast.status } };
});

export const unscheduleBroadcastAction = broadcastAction("marketer", broadcastIdFormSchema, async (input, { db, workspace }) => {
  await unscheduleBroadcast(db, workspace.id, input.id);
  revalidate(workspace.slug, input.id);
});

export const pauseBroadcastAction = broadcastAction("marketer", broadcastIdFormSchema, async (input, { db, workspace }) => {
  await pauseBroadcast(db, workspace.id, input.id);
  revalidate(workspace.slug, input.id);
});

export const resumeBroadcastAction = broadcastAction("marketer", broadcastIdFormSchema, async (input, { db, workspace }) => {
  await resumeBroadcast(db, workspace.id, input.id);
  revalidate(workspace.slug, input.id);
});

export const cancelBroadcastAction = broadcastAction("marketer", broadcastIdFormSchema, async (input, { db, workspace }) => {
  await cancelBroadcast(db, workspace.id, input.id);
  revalidate(workspace.slug, input.id);
});

export const deleteBroadcastAction = broadcastAction("marketer", broadcastIdFormSchema, async (input, { db, workspace }) => {
  await deleteBroadcast(db, workspace.id, input.id);
  revalidate(workspace.slug);
});

// A new draft with the same settings; after a send, with the templates' newest versions and no time yet.
export const duplicateBroadcastAction = broadcastAction("marketer", broadcastIdFormSchema, async (input, { db, workspace, user }) => {
  const t = await getTranslations("broadcasts.detail");
  const broadcast = await requireBroadcast(db, workspace.id, input.id);
  const copy = asInput(broadcast, await listVariants(db, workspace.id, broadcast.id));
  const sentOnce = broadcast.snapshotAt !== null;
  const body = broadcastCreateSchema.parse({
    ...copy,
    name: t("copyName", { name: broadcast.name }).slice(0, 200),
    template_version: sentOnce ? null : copy.template_version,
    // A sent broadcast's time has passed: the copy waits for a new one (or Send now).
    schedule: sentOnce ? { kind: "now" } : copy.schedule,
    ab_test: copy.ab_test
      ? { ...copy.ab_test, variants: copy.ab_test.variants.map((variant) => ({ ...variant, template_version: sentOnce ? undefined : variant.template_version })) }
      : null,
  });
  const created = await createBroadcast(db, workspace.id, body, user.id);
  revalidate(workspace.slug);
  return { data: { id: created.id } };
});

export type LiveProgress = { status: BroadcastStatus; progress: Progress; testEndsAt: string | null; winnerVariant: string | null };

export const broadcastProgressAction = workspaceAction("viewer", broadcastIdFormSchema, async (input, { db, workspace }) => {
  const broadcast = await requireBroadcast(db, workspace.id, input.id);
  const data: LiveProgress = {
    status: broadcast.status,
    progress: await broadcastProgress(db, broadcast),
    testEndsAt: broadcast.testEndsAt?.toISOString() ?? null,
    winnerVariant: broadcast.winnerVariant,
  };
  return { data };
});
