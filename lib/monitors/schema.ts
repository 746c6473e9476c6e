import { z } from "zod";
import type { MonitorAction, MonitorLimit, MonitorWindow } from "@/db/schema";

// One zod schema for a monitor, shared by the server actions, the REST API and the examples.

const windowSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("rolling"), amount: z.number().int().min(1).max(100_000), unit: z.enum(["minutes", "hours", "days"]) }),
  z.object({ kind: z.literal("calendar"), unit: z.enum(["day", "week", "month"]) }),
  z.object({ kind: z.literal("lifetime") }),
]) satisfies z.ZodType<MonitorWindow>;

const limitSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("once") }),
  z.object({ kind: z.literal("once_per_window") }),
  z.object({ kind: z.literal("at_most"), count: z.number().int().min(1).max(10_000) }),
]) satisfies z.ZodType<MonitorLimit>;

const actionSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("points"),
    amount: z.number().int().min(1).max(10_000_000),
    expiresInDays: z.number().int().min(1).max(3650).nullish(),
    reason: z.string().max(200).nullish(),
  }),
  z.object({ type: z.literal("coupon"), campaignId: z.uuid() }),
  z.object({ type: z.literal("message"), templateId: z.uuid() }),
  z.object({ type: z.literal("tag"), tag: z.string().trim().min(1).max(100) }),
  z.object({ type: z.literal("event") }),
]) satisfies z.ZodType<MonitorAction>;

export const monitorInput = z
  .object({
    name: z.string().trim().min(1, "name_required").max(200),
    description: z.string().max(2000).nullish(),
    event: z.string().trim().min(1, "event_required").max(200),
    where: z.unknown().optional(),
    statistic: z.enum(["count", "sum", "distinct"]).default("count"),
    /** sum: a numeric property; distinct: a property, or "$day" for distinct local days. */
    property: z.string().trim().max(200).nullish(),
    threshold: z.number().positive().max(1e12),
    window: windowSchema,
    segmentId: z.uuid().nullish(),
    limit: limitSchema,
    activeFrom: z.coerce.date().nullish(),
    activeUntil: z.coerce.date().nullish(),
    actions: z.array(actionSchema).min(1, "actions_required").max(10),
    template: z.string().max(50).nullish(),
  })
  .superRefine((value, context) => {
    if (value.statistic !== "count" && !value.property) context.addIssue({ code: "custom", path: ["property"], message: "property_required" });
    if (value.activeFrom && value.activeUntil && value.activeUntil <= value.activeFrom) context.addIssue({ code: "custom", path: ["activeUntil"], message: "active_until_before_from" });
    if (value.limit.kind === "once_per_window" && value.window.kind === "lifetime") context.addIssue({ code: "custom", path: ["limit"], message: "once_per_lifetime_window" });
  });
export type MonitorInput = z.output<typeof monitorInput>;

/** The examples a marketer starts from ("3 purchases in 30 days → 500 points"…). */
export const monitorExamples = {
  repeat_buyer: {
    name: "3 purchases in 30 days",
    event: "Order Completed",
    statistic: "count",
    threshold: 3,
    window: { kind: "rolling", amount: 30, unit: "days" },
    limit: { kind: "once_per_window" },
    actions: [{ type: "points", amount: 500, reason: "3 purchases in 30 days" }],
  },
  first_big_order: {
    name: "First purchase over 100",
    event: "Order Completed",
    where: { ">": [{ var: "properties.revenue" }, 100] },
    statistic: "count",
    threshold: 1,
    window: { kind: "lifetime" },
    limit: { kind: "once" },
    // The coupon campaign is the marketer's to pick; the tag marks who got there meanwhile.
    actions: [{ type: "tag", tag: "first-big-order" }],
  },
  login_streak: {
    name: "7-day login streak",
    event: "Signed In",
    statistic: "distinct",
    property: "$day",
    threshold: 7,
    window: { kind: "rolling", amount: 7, unit: "days" },
    limit: { kind: "once_per_window" },
    actions: [{ type: "tag", tag: "streak-7" }],
  },
} as const satisfies Record<string, Omit<z.input<typeof monitorInput>, "actions"> & { actions: z.input<typeof actionSchema>[] }>;
export type MonitorExample = keyof typeof monitorExamples;
