import { z } from "zod";
import { abMetrics, scheduleKinds } from "@/db/schema";

// One schema per body, shared by the REST routes and the broadcast form's server actions.
// Field names are the API's (snake_case); lib/broadcasts/manage.ts maps them to columns.

const name = z.string().trim().min(1, "Give the broadcast a name.").max(200, "Use at most 200 characters.");
const id = z.uuid("Not an id.");

/** A zone the runtime knows (the same list Postgres's time zone names come from). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().trim().refine(isTimeZone, "Not a time zone (use a name such as Asia/Shanghai or Europe/Berlin).");

export const audienceSchema = z.object({
  include: z.array(id).min(1, "Include at least one segment or list.").max(20, "Include at most 20 segments or lists."),
  exclude: z.array(id).max(20, "Exclude at most 20 segments or lists.").default([]),
});

export const scheduleSchema = z
  .object({
    kind: z.enum(scheduleKinds, "Use now, at or local."),
    /** kind at: an ISO 8601 instant. */
    at: z.iso.datetime({ offset: true, message: "Use an ISO 8601 time with its offset, e.g. 2026-12-24T09:00:00+08:00." }).optional(),
    /** kind local: wall-clock time in each contact's timezone. */
    local_time: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Use YYYY-MM-DDTHH:MM, e.g. 2026-12-24T09:00.")
      .optional(),
    fallback_timezone: timeZone.optional(),
  })
  .superRefine((value, context) => {
    if (value.kind === "at" && !value.at) context.addIssue({ code: "custom", path: ["at"], message: "Say when to send." });
    if (value.kind === "local" && !value.local_time) context.addIssue({ code: "custom", path: ["local_time"], message: "Say at what local time to send." });
  });

const variantSchema = z.object({
  weight: z.number().int().min(1, "A weight is at least 1.").max(100, "A weight is at most 100.").optional(),
  template_id: id.optional(),
  template_version: z.number().int().positive().optional(),
  subject: z.string().trim().max(998, "Use at most 998 characters.").optional(),
  from_name: z.string().trim().max(200, "Use at most 200 characters.").optional(),
  from_email: z.email("Not an email address.").optional(),
});

export const abTestSchema = z
  .object({
    mode: z.enum(["split", "winner"], "Use split or winner."),
    test_percent: z.number().int().min(1, "Test on at least 1%.").max(50, "Test on at most 50%; the rest get the winner.").optional(),
    metric: z.enum(abMetrics, "Use opens, clicks or conversion.").optional(),
    wait_hours: z.number().min(0.25, "Wait at least 15 minutes.").max(168, "Wait at most a week (168 hours).").optional(),
    variants: z.array(variantSchema).min(2, "An A/B test has 2 to 5 variants.").max(5, "An A/B test has 2 to 5 variants."),
  })
  .superRefine((value, context) => {
    if (value.mode === "winner") {
      if (!value.test_percent) context.addIssue({ code: "custom", path: ["test_percent"], message: "Say what share of the audience is in the test." });
      if (!value.metric) context.addIssue({ code: "custom", path: ["metric"], message: "Say how the winner is chosen." });
      if (!value.wait_hours) context.addIssue({ code: "custom", path: ["wait_hours"], message: "Say how long the test runs." });
    }
  });

export const conversionSchema = z.object({
  event: z.string().trim().min(1, "Name the conversion event.").max(200, "Use at most 200 characters."),
  revenue_property: z.string().trim().min(1).max(200).default("revenue"),
  window_hours: z.number().int().min(1, "The window is at least an hour.").max(24 * 90, "The window is at most 90 days.").default(72),
});

const fields = {
  name,
  template_id: id,
  template_version: z.number().int().positive().nullable().optional(),
  topic_id: id.nullable().optional(),
  audience: audienceSchema,
  schedule: scheduleSchema.default({ kind: "now" }),
  throttle_per_minute: z.number().int().min(1, "At least one message a minute.").max(1_000_000).nullable().optional(),
  ab_test: abTestSchema.nullable().optional(),
  conversion: conversionSchema.nullable().optional(),
};

function crossChecks(value: { schedule?: { kind: string }; ab_test?: { mode: string; metric?: string } | null; conversion?: unknown }, context: z.RefinementCtx) {
  if (value.ab_test?.mode === "winner" && value.schedule?.kind === "local") {
    context.addIssue({ code: "custom", path: ["ab_test", "mode"], message: "A test on part of the audience needs one send time; use split, or send at one time." });
  }
  if (value.ab_test?.metric === "conversion" && !value.conversion) {
    context.addIssue({ code: "custom", path: ["conversion"], message: "Choosing the winner by conversion needs a conversion event." });
  }
}

export const broadcastCreateSchema = z.object(fields).superRefine(crossChecks);
export type BroadcastCreate = z.output<typeof broadcastCreateSchema>;

export const broadcastPatchSchema = z
  .object({
    name: fields.name.optional(),
    template_id: fields.template_id.optional(),
    template_version: fields.template_version,
    topic_id: fields.topic_id,
    audience: audienceSchema.optional(),
    schedule: scheduleSchema.optional(),
    throttle_per_minute: fields.throttle_per_minute,
    ab_test: fields.ab_test,
    conversion: fields.conversion,
  })
  .refine((value) => Object.keys(value).length > 0, "Send at least one field to change.");
export type BroadcastPatch = z.output<typeof broadcastPatchSchema>;

/** POST …/send: optionally the schedule to send with (else the broadcast's own). */
export const broadcastSendSchema = z.object({ schedule: scheduleSchema.optional() });
