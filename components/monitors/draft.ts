import type { Monitor, MonitorAction, MonitorLimit, MonitorWindow } from "@/db/schema";

// The monitor form's state: every field as its input holds it (text for numbers, "" for "not
// set"), built from a saved monitor or an example by the pages and turned into monitorInput's
// body by the form (bodyOf). No server code here: the form imports it.

/** "days" is a distinct count of "$day": a streak of distinct local days. */
export type StatisticChoice = "count" | "sum" | "distinct" | "days";
export type RollingUnit = "minutes" | "hours" | "days";
export type CalendarUnit = "day" | "week" | "month";
export type ActionType = MonitorAction["type"];

export type ActionDraft =
  | { type: "points"; amount: string; expiresInDays: string; reason: string }
  | { type: "coupon"; campaignId: string }
  | { type: "message"; templateId: string }
  | { type: "tag"; tag: string }
  | { type: "event" };

export interface MonitorDraft {
  name: string;
  description: string;
  event: string;
  /** The `where` rule as JSON text; "" for none. */
  whereText: string;
  statistic: StatisticChoice;
  property: string;
  threshold: string;
  windowKind: MonitorWindow["kind"];
  windowAmount: string;
  windowUnit: RollingUnit;
  calendarUnit: CalendarUnit;
  segmentId: string;
  limitKind: MonitorLimit["kind"];
  limitCount: string;
  /** Wall-clock text in the workspace's zone, as a datetime-local input holds it. */
  activeFrom: string;
  activeUntil: string;
  actions: ActionDraft[];
  template: string;
}

export interface MonitorOptions {
  eventNames: string[];
  segments: Array<{ id: string; name: string }>;
  campaigns: Array<{ id: string; name: string; available: number }>;
  templates: Array<{ id: string; name: string; channel: string }>;
  timezone: string;
}

export const actionTypes: ActionType[] = ["points", "coupon", "message", "tag", "event"];

export function emptyAction(type: ActionType, options: MonitorOptions): ActionDraft {
  switch (type) {
    case "points":
      return { type, amount: "100", expiresInDays: "", reason: "" };
    case "coupon":
      return { type, campaignId: options.campaigns[0]?.id ?? "" };
    case "message":
      return { type, templateId: options.templates[0]?.id ?? "" };
    case "tag":
      return { type, tag: "" };
    case "event":
      return { type };
  }
}

export function newDraft(options: MonitorOptions): MonitorDraft {
  return {
    name: "",
    description: "",
    event: options.eventNames[0] ?? "",
    whereText: "",
    statistic: "count",
    property: "",
    threshold: "1",
    windowKind: "rolling",
    windowAmount: "30",
    windowUnit: "days",
    calendarUnit: "day",
    segmentId: "",
    limitKind: "once_per_window",
    limitCount: "3",
    activeFrom: "",
    activeUntil: "",
    actions: [emptyAction("points", options)],
    template: "",
  };
}

function actionDraft(action: MonitorAction): ActionDraft {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));
  switch (action.type) {
    case "points":
      return { type: "points", amount: String(action.amount), expiresInDays: text(action.expiresInDays), reason: action.reason ?? "" };
    case "coupon":
      return { type: "coupon", campaignId: action.campaignId };
    case "message":
      return { type: "message", templateId: action.templateId };
    case "tag":
      return { type: "tag", tag: action.tag };
    case "event":
      return { type: "event" };
  }
}

type MonitorShape = Pick<Monitor, "name" | "event" | "statistic" | "threshold" | "window" | "limit"> &
  Partial<Pick<Monitor, "description" | "where" | "property" | "segmentId" | "activeFrom" | "activeUntil" | "template">> & { actions: readonly MonitorAction[] };

/** A saved monitor (or an example, which has the same shape) as the form's state. */
export function draftOf(monitor: MonitorShape, options: MonitorOptions): MonitorDraft {
  const base = newDraft(options);
  const window = monitor.window;
  const days = monitor.statistic === "distinct" && monitor.property === "$day";
  return {
    ...base,
    name: monitor.name,
    description: monitor.description ?? "",
    event: monitor.event,
    whereText: monitor.where === undefined || monitor.where === null ? "" : JSON.stringify(monitor.where, null, 2),
    statistic: days ? "days" : monitor.statistic,
    property: days ? "" : (monitor.property ?? ""),
    threshold: String(monitor.threshold),
    windowKind: window.kind,
    windowAmount: window.kind === "rolling" ? String(window.amount) : base.windowAmount,
    windowUnit: window.kind === "rolling" ? window.unit : base.windowUnit,
    calendarUnit: window.kind === "calendar" ? window.unit : base.calendarUnit,
    segmentId: monitor.segmentId ?? "",
    limitKind: monitor.limit.kind,
    limitCount: monitor.limit.kind === "at_most" ? String(monitor.limit.count) : base.limitCount,
    activeFrom: monitor.activeFrom ? wallClockIn(monitor.activeFrom, options.timezone) : "",
    activeUntil: monitor.activeUntil ? wallClockIn(monitor.activeUntil, options.timezone) : "",
    actions: monitor.actions.map(actionDraft),
    template: monitor.template ?? "",
  };
}

/** Whether the `where` text parses: undefined when it is blank, the value when it parses, an error otherwise. */
export function parseWhere(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** The draft as monitorInput's body (numbers that do not parse stay text, so the server names the field). */
export function bodyOf(draft: MonitorDraft) {
  const number = (value: string) => (value.trim() === "" ? undefined : Number.isFinite(Number(value)) ? Number(value) : value);
  const where = parseWhere(draft.whereText);
  const window =
    draft.windowKind === "rolling"
      ? { kind: "rolling", amount: number(draft.windowAmount), unit: draft.windowUnit }
      : draft.windowKind === "calendar"
        ? { kind: "calendar", unit: draft.calendarUnit }
        : { kind: "lifetime" };
  const limit = draft.limitKind === "at_most" ? { kind: "at_most", count: number(draft.limitCount) } : { kind: draft.limitKind };
  return {
    name: draft.name,
    description: draft.description.trim() || null,
    event: draft.event,
    where: where.ok ? (where.value ?? null) : null,
    statistic: draft.statistic === "days" ? "distinct" : draft.statistic,
    property: draft.statistic === "days" ? "$day" : draft.statistic === "count" ? null : draft.property.trim() || null,
    threshold: number(draft.threshold),
    window,
    segmentId: draft.segmentId || null,
    limit,
    activeFrom: draft.activeFrom || null,
    activeUntil: draft.activeUntil || null,
    actions: draft.actions.map((action) => {
      switch (action.type) {
        case "points":
          return { type: "points", amount: number(action.amount), expiresInDays: number(action.expiresInDays) ?? null, reason: action.reason.trim() || null };
        case "coupon":
          return { type: "coupon", campaignId: action.campaignId };
        case "message":
          return { type: "message", templateId: action.templateId };
        case "tag":
          return { type: "tag", tag: action.tag };
        case "event":
          return { type: "event" };
      }
    }),
    template: draft.template || null,
  };
}

/** A moment as the wall-clock text a datetime-local input holds ("YYYY-MM-DDTHH:MM") in a zone. */
export function wallClockIn(moment: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(moment)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
