import { z } from "zod";

// One zod schema per scoring body, shared by the REST API and the Scoring page's server
// actions. Field names and messages are the API's (snake_case, English); the page says
// them in the reader's language by field. Whether a rule's JSON-Logic is valid is
// lib/scoring/rules.ts's business: it needs the workspace's attribute catalogue.

export const capPeriods = ["day", "week", "month"] as const;
export const decayKinds = ["none", "halve", "expire"] as const;

const name = z.string().trim().min(1, "Give the rule a name.").max(200, "Use at most 200 characters.");
const points = z
  .number("Points are a whole number.")
  .int("Points are a whole number.")
  .min(-10_000, "Points are between -10000 and 10000.")
  .max(10_000, "Points are between -10000 and 10000.")
  .refine((value) => value !== 0, "Points other than 0.");
const cap = z.strictObject({
  count: z.number().int("A cap is a whole number of times.").min(1, "A cap is at least 1.").max(10_000, "A cap is at most 10000."),
  per: z.enum(capPeriods, `Use one of ${capPeriods.join(", ")}.`),
});

/** A rule as sent: fit (a segment rule on the contact) or engagement (an event, a rule on its properties). */
export const scoringRuleInput = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("attribute"),
    name,
    rule: z.unknown().refine((value) => value !== undefined && value !== null, "A fit rule needs a rule."),
    points,
    active: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal("behaviour"),
    name,
    event: z.string().trim().min(1, "Name the event.").max(200, "Use at most 200 characters."),
    where: z.unknown().optional(),
    points,
    cap: cap.nullish(),
    active: z.boolean().default(true),
  }),
]);
export type ScoringRuleInput = z.output<typeof scoringRuleInput>;

/** PATCH: any field; merged with the rule as it is and checked whole. */
export const scoringRulePatch = z.strictObject({
  name: z.string().optional(),
  kind: z.enum(["attribute", "behaviour"]).optional(),
  rule: z.unknown().optional(),
  event: z.string().optional(),
  where: z.unknown().optional(),
  points: z.number().optional(),
  cap: z.unknown().optional(),
  active: z.boolean().optional(),
});
export type ScoringRulePatch = z.output<typeof scoringRulePatch>;

const days = z.number().int("Days are a whole number.").min(1, "At least 1 day.").max(3650, "At most 3650 days.");
export const decaySchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  z.strictObject({ kind: z.literal("halve"), days }),
  z.strictObject({ kind: z.literal("expire"), days }),
]);

const threshold = z.number().int("A threshold is a whole number.").min(-1_000_000, "Too low.").max(1_000_000, "Too high.").nullable();
export const thresholdsSchema = z
  .strictObject({ lead: threshold.optional(), mql: threshold.optional(), sql: threshold.optional(), customer: threshold.optional() })
  .superRefine((value, context) => {
    // Each stage asks for more than the one before it (among those set).
    let previous: { stage: string; value: number } | undefined;
    for (const stage of ["lead", "mql", "sql", "customer"] as const) {
      const current = value[stage];
      if (current === null || current === undefined) continue;
      if (previous && current <= previous.value) context.addIssue({ code: "custom", path: [stage], message: "Each stage needs a higher score than the one before it." });
      previous = { stage, value: current };
    }
  });

const webhookUrl = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters.")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "Give an http(s) URL.");

/** PATCH /api/v1/scoring/settings: the owner by user id or sign-in email; null clears. */
export const scoringSettingsPatch = z.strictObject({
  decay: decaySchema.optional(),
  thresholds: thresholdsSchema.optional(),
  owner: z.string().trim().min(1).max(320).nullable().optional(),
  handoff_webhook_url: webhookUrl.nullable().optional(),
});
export type ScoringSettingsPatch = z.output<typeof scoringSettingsPatch>;

/** GET /api/v1/contacts/:id/score */
export const scoreHistoryQuery = z.strictObject({
  limit: z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(200, "limit is at most 200.").default(50),
});
