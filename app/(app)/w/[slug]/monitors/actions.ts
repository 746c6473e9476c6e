"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { listContacts } from "@/db/queries/contacts";
import { eventPropertyKeys } from "@/db/queries/reward-views";
import { workspaceAction, type ActionState } from "@/lib/auth/action";
import type { WorkspaceContext } from "@/lib/auth/session";
import { localMomentIn } from "@/lib/broadcasts/schedule";
import { AppError } from "@/lib/errors";
import { createMonitor, deleteMonitor, setMonitorStatus, testMonitor, updateMonitor } from "@/lib/monitors/manage";
import { monitorInput } from "@/lib/monitors/schema";
import { loadRuleContext } from "@/lib/segments/membership";
import type { RuleProblem } from "@/lib/segments/rule";
import { validateRule } from "@/lib/segments/validate";
import type { Db } from "@/db/client";
import {
  checkWhereFormSchema,
  eventPropertiesFormSchema,
  findContactsFormSchema,
  monitorIdFormSchema,
  monitorStatusFormSchema,
  saveMonitorFormSchema,
  testMonitorFormSchema,
} from "./schemas";

// The validation's own codes (lib/monitors/schema) pass through; zod's stock messages become a
// code by the field they are about. The form says each in the reader's language (monitors.errors.<code>).
const ownCodes = new Set(["name_required", "event_required", "property_required", "active_until_before_from", "once_per_lifetime_window", "actions_required"]);
const codeByField: Record<string, string> = {
  name: "name_required",
  description: "description",
  event: "event_required",
  property: "property_required",
  threshold: "threshold",
  statistic: "statistic",
  window: "window",
  "window.amount": "window_amount",
  "window.unit": "window",
  segmentId: "segment_missing",
  limit: "limit",
  "limit.count": "limit_count",
  activeFrom: "active_from",
  activeUntil: "active_from",
  actions: "actions_required",
  "actions.*.amount": "points_amount",
  "actions.*.expiresInDays": "expiry_days",
  "actions.*.reason": "reason",
  "actions.*.campaignId": "campaign_missing",
  "actions.*.templateId": "template_missing",
  "actions.*.tag": "tag",
  "actions.*.type": "actions_required",
};

function issueDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => {
    const path = issue.path.join(".");
    const field = path.replace(/^actions\.\d+\./, "actions.*.");
    return { path, message: ownCodes.has(issue.message) ? issue.message : (codeByField[field] ?? issue.message) };
  });
}

/** The body as monitorInput takes it: the active period's wall-clock times become instants in the workspace's zone. */
function withInstants(body: unknown, timeZone: string): unknown {
  if (!body || typeof body !== "object") return body;
  const copy = { ...(body as Record<string, unknown>) };
  for (const key of ["activeFrom", "activeUntil"]) {
    const value = copy[key];
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) copy[key] = localMomentIn(value, timeZone).toISOString();
    else if (value === "") copy[key] = null;
  }
  return copy;
}

/** The `where` rule's first problem, with its path from `where` (undefined when it is fine or absent). */
async function whereProblem(db: Db, workspaceId: string, event: string, where: unknown): Promise<RuleProblem | undefined> {
  if (where === undefined || where === null) return undefined;
  const checked = validateRule({ performed: { event: event || "event", where } }, await loadRuleContext(db, workspaceId));
  if (checked.ok) return undefined;
  const [first] = checked.problems;
  return { ...first, path: first.path.replace(/^\$\.performed\.where/, "where") };
}

async function parseBody(db: Db, workspaceId: string, body: unknown, timeZone: string) {
  const parsed = monitorInput.safeParse(withInstants(body, timeZone));
  if (!parsed.success) throw new AppError("validation_failed", parsed.error.issues[0].message, issueDetails(parsed.error));
  const problem = await whereProblem(db, workspaceId, parsed.data.event, parsed.data.where);
  if (problem) throw new AppError("validation_failed", problem.message, [{ path: "where", message: problem.message }]);
  return parsed.data;
}

// workspaceAction, with the monitor's own words for a state that changed meanwhile or a
// monitor that is gone (the shared messages speak of workspaces and duplicates).
function monitorAction<S extends z.ZodType, T>(
  atLeast: Parameters<typeof workspaceAction>[0],
  schema: S,
  handler: (input: z.output<S>, context: WorkspaceContext) => Promise<{ data?: T; message?: string } | void>,
  conflict: "stateChanged" | "hasMatches" = "stateChanged",
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
      const t = await getTranslations("monitors.errors");
      return { ...state, error: t(failure.code === "not_found" ? "gone" : conflict) };
    }
    return state;
  };
}

function revalidate(slug: string, id?: string) {
  revalidatePath(`/w/${slug}/monitors`);
  if (id) revalidatePath(`/w/${slug}/monitors/${id}`);
}

export const saveMonitorAction = monitorAction("marketer", saveMonitorFormSchema, async (input, { db, workspace, user }) => {
  const body = await parseBody(db, workspace.id, input.body, workspace.timezone);
  const monitor = input.id ? await updateMonitor(db, workspace.id, input.id, body) : await createMonitor(db, workspace.id, body, user.id);
  revalidate(workspace.slug, monitor.id);
  return { data: { id: monitor.id } };
});

export type TestResult = { events: number; matches: Array<{ eventId: number; at: string; value: number }> };

// Replays the contact's history through the form's monitor as it stands (saved or not); nothing is written.
export const testMonitorAction = workspaceAction("marketer", testMonitorFormSchema, async (input, { db, workspace }) => {
  const body = await parseBody(db, workspace.id, input.body, workspace.timezone);
  const result = await testMonitor(db, workspace.id, body, input.contactId);
  const data: TestResult = { events: result.events, matches: result.matches.map((match) => ({ eventId: match.eventId, at: match.at.toISOString(), value: match.value })) };
  return { data };
});

export const monitorStatusAction = monitorAction("marketer", monitorStatusFormSchema, async (input, { db, workspace }) => {
  const monitor = await setMonitorStatus(db, workspace.id, input.id, input.to);
  revalidate(workspace.slug, monitor.id);
  return { data: { status: monitor.status } };
});

export const deleteMonitorAction = monitorAction(
  "marketer",
  monitorIdFormSchema,
  async (input, { db, workspace }) => {
    await deleteMonitor(db, workspace.id, input.id);
    revalidate(workspace.slug);
  },
  "hasMatches",
);

export type WhereCheck = { problem: RuleProblem | null };

/** The `where` rule checked as it is typed. */
export const checkWhereAction = workspaceAction("marketer", checkWhereFormSchema, async (input, { db, workspace }) => {
  const data: WhereCheck = { problem: (await whereProblem(db, workspace.id, input.event, input.where)) ?? null };
  return { data };
});

export const eventPropertiesAction = workspaceAction("marketer", eventPropertiesFormSchema, async (input, { db, workspace }) => {
  return { data: { keys: await eventPropertyKeys(db, workspace.id, input.event) } };
});

export type FoundContact = { id: string; email: string | null; name: string | null; externalId: string | null };

/** Contacts whose email or name starts with the text (or with that external id), for the test's picker. */
export const findContactsAction = workspaceAction("marketer", findContactsFormSchema, async (input, { db, workspace }) => {
  if (!input.q) return { data: { contacts: [] as FoundContact[] } };
  const page = await listContacts(db, { workspaceId: workspace.id, search: input.q, limit: 8 });
  const contacts: FoundContact[] = page.contacts.map((contact) => ({
    id: contact.id,
    email: contact.email,
    name: [contact.firstName, contact.lastName].filter(Boolean).join(" ") || null,
    externalId: contact.externalId,
  }));
  return { data: { contacts } };
});
