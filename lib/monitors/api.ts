import type { Json, Monitor, MonitorAction, MonitorLimit, MonitorWindow } from "@/db/schema";
import { snakePath } from "@/lib/api/snake-paths";
import { AppError } from "@/lib/errors";
import { monitorBodySchema, monitorCreateSchema, type MonitorBody } from "@/lib/validation/monitors";
import type { listMatches, listMonitors, SimulatedMatch } from "./manage";
import { monitorExamples, monitorInput, type MonitorInput } from "./schema";

// The monitors REST API: snake_case bodies and replies mapped to and from monitorInput's
// camelCase, so the API, the app and the examples share one definition of a monitor.

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

function actionJson(action: MonitorAction) {
  switch (action.type) {
    case "points":
      return { type: action.type, amount: action.amount, expires_in_days: action.expiresInDays ?? null, reason: action.reason ?? null };
    case "coupon":
      return { type: action.type, campaign_id: action.campaignId };
    case "message":
      return { type: action.type, template_id: action.templateId };
    case "tag":
      return { type: action.type, tag: action.tag };
    case "event":
      return { type: action.type };
  }
}

type MonitorFields = Pick<Monitor, "name" | "event" | "threshold" | "window" | "limit" | "actions"> &
  Partial<Pick<Monitor, "description" | "where" | "statistic" | "property" | "segmentId" | "activeFrom" | "activeUntil">>;

/** A monitor's settings as an API body (an example's too). */
function bodyOf(monitor: MonitorFields) {
  return {
    name: monitor.name,
    description: monitor.description ?? null,
    event: monitor.event,
    where: monitor.where ?? null,
    statistic: monitor.statistic ?? "count",
    property: monitor.property ?? null,
    threshold: monitor.threshold,
    window: monitor.window,
    segment_id: monitor.segmentId ?? null,
    limit: monitor.limit,
    active_from: iso(monitor.activeFrom),
    active_until: iso(monitor.activeUntil),
    actions: monitor.actions.map(actionJson),
  };
}

/** A monitor as the REST API shows it; the list adds its matches today and in all. */
export function monitorJson(monitor: Monitor, counts?: Pick<Awaited<ReturnType<typeof listMonitors>>[number], "matchesToday" | "matches">) {
  return {
    id: monitor.id,
    status: monitor.status,
    ...bodyOf(monitor),
    /** The example it was made from (POST with `example`), else null. */
    example: monitor.template,
    created_at: monitor.createdAt.toISOString(),
    updated_at: monitor.updatedAt.toISOString(),
    ...(counts ? { matches_today: counts.matchesToday, matches: counts.matches } : {}),
  };
}

function actionInput(action: MonitorBody["actions"][number]): MonitorAction {
  switch (action.type) {
    case "points":
      return { type: action.type, amount: action.amount, expiresInDays: action.expires_in_days ?? null, reason: action.reason ?? null };
    case "coupon":
      return { type: action.type, campaignId: action.campaign_id };
    case "message":
      return { type: action.type, templateId: action.template_id };
    case "tag":
      return { type: action.type, tag: action.tag };
    case "event":
      return { type: action.type };
  }
}

// The body over a base (an example, or the monitor as it is), checked whole: a field the body
// leaves out keeps the base's value, null clears it.
function inputOf(body: object, base: object, template: string | null): MonitorInput {
  const parsed = monitorBodySchema.parse({ ...base, ...body });
  const input = monitorInput.safeParse({
    name: parsed.name,
    description: parsed.description ?? null,
    event: parsed.event,
    where: parsed.where ?? null,
    statistic: parsed.statistic,
    property: parsed.property ?? null,
    threshold: parsed.threshold,
    window: parsed.window satisfies MonitorWindow,
    segmentId: parsed.segment_id ?? null,
    limit: parsed.limit satisfies MonitorLimit,
    activeFrom: parsed.active_from ?? null,
    activeUntil: parsed.active_until ?? null,
    actions: parsed.actions.map(actionInput),
    template,
  });
  if (!input.success) {
    const details = input.error.issues.map((issue) => ({ path: snakePath(issue.path.join(".")), message: issue.message }));
    throw new AppError("validation_failed", `Invalid ${details[0].path || "body"}: ${details[0].message}`, details);
  }
  return input.data;
}

/** POST /api/v1/monitors: the body, over the example it names if any. */
export function monitorInputForCreate(raw: unknown): MonitorInput {
  const { example, ...body } = monitorCreateSchema.parse(raw);
  const base = example ? bodyOf(monitorExamples[example] as unknown as MonitorFields) : {};
  return inputOf(body, base, example ?? null);
}

/** PATCH /api/v1/monitors/:id: the fields given replace the monitor's; it keeps the example it came from. */
export function monitorInputForPatch(monitor: Monitor, raw: unknown): MonitorInput {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new AppError("validation_failed", "Send a JSON object with the fields to change.", [{ path: "", message: "Send a JSON object." }]);
  return inputOf(raw, bodyOf(monitor), monitor.template);
}

/** The monitor's saved settings, for testMonitor. */
export function inputOfMonitor(monitor: Monitor): MonitorInput {
  return {
    name: monitor.name,
    description: monitor.description,
    event: monitor.event,
    where: monitor.where,
    statistic: monitor.statistic,
    property: monitor.property,
    threshold: monitor.threshold,
    window: monitor.window,
    segmentId: monitor.segmentId,
    limit: monitor.limit,
    activeFrom: monitor.activeFrom,
    activeUntil: monitor.activeUntil,
    actions: monitor.actions,
    template: monitor.template,
  };
}

export function matchJson(match: Awaited<ReturnType<typeof listMatches>>[number]) {
  return {
    id: match.id,
    monitor_id: match.monitor_id,
    contact_id: match.contact_id,
    email: match.email,
    /** The statistic when it fired. */
    value: Number(match.value),
    /** What each action did: points (transaction_id, balance), coupon (code), message (message_id), tag, event; `<type>_error` when one could not. */
    results: match.results as Json,
    matched_at: iso(match.matched_at),
  };
}

export function simulatedMatchJson(match: SimulatedMatch) {
  return { event_id: match.eventId, at: match.at.toISOString(), value: match.value };
}
