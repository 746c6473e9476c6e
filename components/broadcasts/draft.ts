import type { AbMetric, Broadcast, BroadcastVariant, Channel, ScheduleKind } from "@/db/schema";

// The broadcast form's state: every field as the inputs hold it (text for numbers, "" for
// "not set"), built from a saved broadcast by the edit page and turned into the API's body by
// the form (bodyOf). No server code here: the form imports it.

export interface VariantDraft {
  weight: string;
  /** "" : the broadcast's template. */
  templateId: string;
  subject: string;
  fromName: string;
  fromEmail: string;
}

export interface BroadcastDraft {
  name: string;
  channel: Channel;
  templateId: string;
  /** "" : the newest version when sending starts. */
  templateVersion: string;
  /** "" : the template's topic. */
  topicId: string;
  include: string[];
  exclude: string[];
  scheduleKind: ScheduleKind;
  /** kind at: wall-clock time in the workspace's zone, as a datetime-local input holds it. */
  at: string;
  localTime: string;
  fallbackTimezone: string;
  throttle: boolean;
  throttlePerMinute: string;
  ab: boolean;
  abMode: "split" | "winner";
  testPercent: string;
  metric: AbMetric;
  waitHours: string;
  variants: VariantDraft[];
  conversion: boolean;
  conversionEvent: string;
  revenueProperty: string;
  windowHours: string;
}

export interface FormOptions {
  templates: Array<{ id: string; name: string; channel: Channel; currentVersion: number }>;
  topics: Array<{ id: string; name: string }>;
  segments: Array<{ id: string; name: string; kind: "dynamic" | "static"; memberCount: number }>;
  eventNames: string[];
  /** The workspace's zone: "at" times are read in it, and it is the local-time fallback. */
  timezone: string;
}

export const emptyVariant = (): VariantDraft => ({ weight: "50", templateId: "", subject: "", fromName: "", fromEmail: "" });

export function newDraft(options: FormOptions, preset: { include?: string } = {}): BroadcastDraft {
  const template = options.templates[0];
  return {
    name: "",
    channel: template?.channel ?? "email",
    templateId: template?.id ?? "",
    templateVersion: "",
    topicId: "",
    include: preset.include && options.segments.some((segment) => segment.id === preset.include) ? [preset.include] : [],
    exclude: [],
    scheduleKind: "now",
    at: "",
    localTime: "",
    fallbackTimezone: options.timezone,
    throttle: false,
    throttlePerMinute: "",
    ab: false,
    abMode: "split",
    testPercent: "20",
    metric: "clicks",
    waitHours: "4",
    variants: [emptyVariant(), emptyVariant()],
    conversion: false,
    conversionEvent: options.eventNames[0] ?? "",
    revenueProperty: "revenue",
    windowHours: "72",
  };
}

export function draftOf(broadcast: Broadcast, variants: BroadcastVariant[], options: FormOptions): BroadcastDraft {
  const base = newDraft(options);
  const text = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));
  return {
    ...base,
    name: broadcast.name,
    channel: broadcast.channel,
    templateId: broadcast.templateId,
    templateVersion: text(broadcast.templateVersion),
    topicId: broadcast.topicId ?? "",
    include: broadcast.audience.include,
    exclude: broadcast.audience.exclude,
    scheduleKind: broadcast.scheduleKind,
    at: broadcast.scheduleKind === "at" && broadcast.scheduledAt ? wallClockIn(broadcast.scheduledAt, options.timezone) : "",
    localTime: broadcast.localTime ?? "",
    fallbackTimezone: broadcast.fallbackTimezone ?? options.timezone,
    throttle: broadcast.throttlePerMinute !== null,
    throttlePerMinute: text(broadcast.throttlePerMinute),
    ab: broadcast.abTest !== null,
    abMode: broadcast.abTest?.mode ?? "split",
    testPercent: broadcast.abTest?.testPercent ? String(broadcast.abTest.testPercent) : base.testPercent,
    metric: broadcast.abTest?.metric ?? base.metric,
    waitHours: broadcast.abTest?.waitHours ? String(broadcast.abTest.waitHours) : base.waitHours,
    variants:
      variants.length >= 2
        ? variants.map((variant) => ({
            weight: String(variant.weight),
            templateId: variant.templateId === broadcast.templateId ? "" : variant.templateId,
            subject: variant.subject ?? "",
            fromName: variant.fromName ?? "",
            fromEmail: variant.fromEmail ?? "",
          }))
        : base.variants,
    conversion: broadcast.conversion !== null,
    conversionEvent: broadcast.conversion?.event ?? base.conversionEvent,
    revenueProperty: broadcast.conversion?.revenueProperty ?? base.revenueProperty,
    windowHours: broadcast.conversion ? String(broadcast.conversion.windowHours) : base.windowHours,
  };
}

/** The draft as the REST API's create body (an "at" time stays wall-clock text; the action reads it in the workspace's zone). */
export function bodyOf(draft: BroadcastDraft) {
  const number = (value: string) => (value.trim() === "" ? undefined : Number(value));
  const text = (value: string) => value.trim() || undefined;
  const schedule =
    draft.scheduleKind === "at"
      ? { kind: "at", at: draft.at }
      : draft.scheduleKind === "local"
        ? { kind: "local", local_time: draft.localTime, fallback_timezone: draft.fallbackTimezone || undefined }
        : { kind: "now" };
  return {
    name: draft.name,
    template_id: draft.templateId,
    template_version: draft.templateVersion ? Number(draft.templateVersion) : null,
    topic_id: draft.topicId || null,
    audience: { include: draft.include, exclude: draft.exclude },
    schedule,
    throttle_per_minute: draft.throttle ? (number(draft.throttlePerMinute) ?? 0) : null,
    ab_test: draft.ab
      ? {
          mode: draft.abMode,
          metric: draft.metric,
          ...(draft.abMode === "winner" ? { test_percent: number(draft.testPercent), wait_hours: number(draft.waitHours) } : {}),
          variants: draft.variants.map((variant) => ({
            weight: draft.abMode === "split" ? number(variant.weight) : undefined,
            template_id: variant.templateId || undefined,
            subject: draft.channel === "email" ? text(variant.subject) : undefined,
            from_name: draft.channel === "email" ? text(variant.fromName) : undefined,
            from_email: draft.channel === "email" ? text(variant.fromEmail) : undefined,
          })),
        }
      : null,
    conversion: draft.conversion ? { event: draft.conversionEvent, revenue_property: text(draft.revenueProperty), window_hours: number(draft.windowHours) } : null,
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
