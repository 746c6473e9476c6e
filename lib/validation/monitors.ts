import { z } from "zod";
import { monitorStatuses } from "@/db/schema";
import { monitorExamples, type MonitorExample } from "@/lib/monitors/schema";

// The monitors REST API's bodies, in the API's snake_case. They check the shape with messages
// a person can act on; lib/monitors/api.ts maps a body to monitorInput (lib/monitors/schema.ts),
// which stays the one definition of a monitor for the app, the API and the examples.

const name = z.string("Give the monitor a name.").trim().min(1, "Give the monitor a name.").max(200, "Use at most 200 characters.");
const description = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters.")
  .transform((value) => value || null)
  .nullable();
const instant = z.iso.datetime({ offset: true, message: "Use an ISO 8601 time with its offset, e.g. 2026-12-24T09:00:00+08:00." });
const id = z.uuid("Not an id.");

const windowSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("rolling"),
      amount: z.number("Say how long the window is.").int("Use a whole number.").min(1, "The window is at least 1.").max(100_000, "Use at most 100,000."),
      unit: z.enum(["minutes", "hours", "days"], "Use minutes, hours or days."),
    }),
    z.strictObject({ kind: z.literal("calendar"), unit: z.enum(["day", "week", "month"], "Use day, week or month.") }),
    z.strictObject({ kind: z.literal("lifetime") }),
  ],
  { error: "Use a window of kind rolling ({kind, amount, unit}), calendar ({kind, unit}) or lifetime." },
);

const limitSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("once") }),
    z.strictObject({ kind: z.literal("once_per_window") }),
    z.strictObject({
      kind: z.literal("at_most"),
      count: z.number("Say how many times at most.").int("Use a whole number.").min(1, "At least once.").max(10_000, "At most 10,000 times."),
    }),
  ],
  { error: "Use a limit of kind once, once_per_window or at_most ({kind, count})." },
);

const actionSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("points"),
      amount: z.number("Say how many points.").int("Points are whole numbers.").min(1, "Award at least 1 point.").max(10_000_000, "Award at most 10,000,000 points."),
      expires_in_days: z.number().int("Use a whole number of days.").min(1, "At least 1 day.").max(3650, "At most 3650 days.").nullable().optional(),
      reason: z.string().trim().max(200, "Use at most 200 characters.").nullable().optional(),
    }),
    z.strictObject({ type: z.literal("coupon"), campaign_id: id }),
    z.strictObject({ type: z.literal("message"), template_id: id }),
    z.strictObject({ type: z.literal("tag"), tag: z.string("Name the tag.").trim().min(1, "Name the tag.").max(100, "Use at most 100 characters.") }),
    z.strictObject({ type: z.literal("event") }),
  ],
  { error: "Use an action of type points, coupon, message, tag or event." },
);

/** A whole monitor. POST merges the body over its example first; PATCH over the monitor as it is. */
export const monitorBodySchema = z
  .strictObject({
    name,
    description: description.optional(),
    event: z.string("Name the event to watch.").trim().min(1, "Name the event to watch.").max(200, "Use at most 200 characters."),
    /** A rule on the event's properties (`properties.<key>`), as in a segment's `performed`. */
    where: z.unknown().optional(),
    statistic: z.enum(["count", "sum", "distinct"], "Use count, sum or distinct.").default("count"),
    /** sum: a numeric property; distinct: a property, or "$day" for distinct days. */
    property: z
      .string()
      .trim()
      .max(200, "Use at most 200 characters.")
      .transform((value) => value || null)
      .nullable()
      .optional(),
    threshold: z.number("Say what the statistic must reach.").positive("The threshold is above 0.").max(1e12, "Use at most 1e12."),
    window: windowSchema,
    segment_id: id.nullable().optional(),
    limit: limitSchema,
    active_from: instant.nullable().optional(),
    active_until: instant.nullable().optional(),
    actions: z.array(actionSchema, "List the actions.").min(1, "Give the monitor at least one action.").max(10, "At most 10 actions."),
  })
  .superRefine((value, context) => {
    if (value.statistic !== "count" && !value.property) {
      context.addIssue({ code: "custom", path: ["property"], message: `Name the property to ${value.statistic === "sum" ? "add up" : 'count distinct values of (or "$day")'}.` });
    }
    if (value.active_from && value.active_until && Date.parse(value.active_until) <= Date.parse(value.active_from)) {
      context.addIssue({ code: "custom", path: ["active_until"], message: "The end must come after active_from." });
    }
    if (value.limit.kind === "once_per_window" && value.window.kind === "lifetime") {
      context.addIssue({ code: "custom", path: ["limit"], message: "A lifetime window has no next window: use once or at_most." });
    }
  });
export type MonitorBody = z.output<typeof monitorBodySchema>;

export const monitorExampleNames = Object.keys(monitorExamples) as [MonitorExample, ...MonitorExample[]];

/** POST /api/v1/monitors: the monitor's fields, or an example to start from and the fields that differ from it. */
export const monitorCreateSchema = z.looseObject({
  example: z.enum(monitorExampleNames, `Use one of ${monitorExampleNames.join(", ")}.`).optional(),
});

/** GET /api/v1/monitors */
export const monitorListQuerySchema = z.strictObject({
  status: z.enum(monitorStatuses, `Use one of ${monitorStatuses.join(", ")}.`).optional(),
});

/** A contact as the API names it: its id, `email:<address>` or `external_id:<value>`. */
export const contactRef = z.string("Name a contact.").trim().min(1, "Name a contact.").max(400, "Use at most 400 characters.");

const limit = (max: number, fallback: number) =>
  z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(max, `limit is at most ${max}.`).default(fallback);

/** GET /api/v1/monitors/:id/matches */
export const matchListQuerySchema = z.strictObject({ contact: contactRef.optional(), limit: limit(200, 50) });

/** POST /api/v1/monitors/:id/test */
export const monitorTestSchema = z.strictObject({ contact: contactRef });
