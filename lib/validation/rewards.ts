import { z } from "zod";
import { pointSources } from "@/db/schema";
import { contactRef } from "./monitors";

// The points and coupons REST API's bodies and queries (snake_case); lib/rewards/api.ts maps
// them to lib/rewards/points.ts and coupons.ts.

const instant = z.iso.datetime({ offset: true, message: "Use an ISO 8601 time with its offset, e.g. 2026-12-24T09:00:00+08:00." });
const reason = z
  .string()
  .trim()
  .max(200, "Use at most 200 characters.")
  .transform((value) => value || null)
  .nullable()
  .optional();
const idempotencyKey = z.string("Send an idempotency_key: the same key never changes a balance twice.").trim().min(1, "An idempotency key is not empty.").max(200, "Use at most 200 characters.");
const points = z.number("Say how many points.").int("Points are whole numbers.").min(1, "At least 1 point.").max(10_000_000, "At most 10,000,000 points a call.");
const limit = (max: number, fallback: number) =>
  z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(max, `limit is at most ${max}.`).default(fallback);
/** Keyset paging of the ledger: next_before of the previous page. */
const before = z.coerce.number("Pass next_before of the previous page.").int("Pass next_before of the previous page.").positive("Pass next_before of the previous page.").optional();

/** "Send at least one field" is said only of a body without other problems (an unknown field is not "nothing"). */
const onlyIfValid = (payload: { issues: unknown[] }) => payload.issues.length === 0;

/** POST /api/v1/points/award */
export const pointsAwardSchema = z.strictObject({
  contact: contactRef,
  points,
  reason,
  /** null: never expires; left out: the workspace's default expiry, if any. */
  expires_at: instant
    .refine((value) => Date.parse(value) > Date.now(), "The expiry is in the past.")
    .nullable()
    .optional(),
  idempotency_key: idempotencyKey,
});
export type PointsAward = z.output<typeof pointsAwardSchema>;

/** POST /api/v1/points/redeem */
export const pointsRedeemSchema = z.strictObject({ contact: contactRef, points, reason, idempotency_key: idempotencyKey });
export type PointsRedeem = z.output<typeof pointsRedeemSchema>;

/** GET /api/v1/contacts/:id/points */
export const contactPointsQuerySchema = z.strictObject({ limit: limit(200, 50), before });

/** GET /api/v1/points/transactions */
export const ledgerQuerySchema = z.strictObject({
  contact: contactRef.optional(),
  source: z.enum(pointSources, `Use one of ${pointSources.join(", ")}.`).optional(),
  limit: limit(200, 50),
  before,
});

/** PATCH /api/v1/points/settings */
export const rewardSettingsPatchSchema = z
  .strictObject({
    /** What the workspace calls its points ("Stars", "积分"); null: "points". */
    points_name: z
      .string()
      .trim()
      .max(50, "Use at most 50 characters.")
      .transform((value) => value || null)
      .nullable()
      .optional(),
    allow_negative: z.boolean("Use true or false.").optional(),
    default_expiry_days: z.number().int("Use a whole number of days.").min(1, "At least 1 day.").max(3650, "At most 3650 days.").nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Send points_name, allow_negative or default_expiry_days.", path: ["points_name"], when: onlyIfValid });
export type RewardSettingsPatch = z.output<typeof rewardSettingsPatchSchema>;

const campaignName = z.string("Give the campaign a name.").trim().min(1, "Give the campaign a name.").max(200, "Use at most 200 characters.");
const description = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters.")
  .transform((value) => value || null)
  .nullable()
  .optional();
const perContactLimit = z.number().int("Use a whole number.").min(1, "At least 1 code a contact.").max(1000, "At most 1,000 codes a contact.");

const couponValue = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("amount"),
      amount: z.number("Say how much the coupon is worth.").positive("The amount is above 0.").max(1e9, "Use at most 1e9."),
      currency: z.string("Name the currency (ISO 4217, e.g. CNY).").regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as CNY or EUR."),
    }),
    z.strictObject({ kind: z.literal("percent"), percent: z.number("Say the percentage off.").positive("The percentage is above 0.").max(100, "At most 100%.") }),
    z.strictObject({ kind: z.literal("text"), text: z.string("Say what the coupon gives.").trim().min(1, "Say what the coupon gives.").max(200, "Use at most 200 characters.") }),
  ],
  { error: "Use a value of kind amount ({kind, amount, currency}), percent ({kind, percent}) or text ({kind, text})." },
);

/** POST /api/v1/coupon-campaigns */
export const campaignCreateSchema = z
  .strictObject({
    name: campaignName,
    description,
    /** pool: codes uploaded later (POST …/codes); generated: `quantity` codes made now from `pattern`. */
    source: z.enum(["pool", "generated"], "Use pool (codes you upload) or generated (codes made from a pattern)."),
    pattern: z.string().trim().min(1, "Give a pattern such as SPRING-XXXXXX.").max(100, "Use at most 100 characters.").optional(),
    quantity: z.number().int("Use a whole number.").min(1, "Generate at least 1 code.").max(1_000_000, "Generate at most 1,000,000 codes.").optional(),
    value: couponValue,
    valid_from: instant.nullable().optional(),
    valid_until: instant.nullable().optional(),
    per_contact_limit: perContactLimit.optional(),
  })
  .superRefine((value, context) => {
    if (value.source === "generated") {
      if (!value.pattern) context.addIssue({ code: "custom", path: ["pattern"], message: "Give a pattern with an X for each random character, e.g. SPRING-XXXXXX." });
      if (value.quantity === undefined) context.addIssue({ code: "custom", path: ["quantity"], message: "Say how many codes to generate." });
    } else {
      if (value.pattern !== undefined) context.addIssue({ code: "custom", path: ["pattern"], message: "A pool campaign takes uploaded codes; a pattern is for generated codes." });
      if (value.quantity !== undefined) context.addIssue({ code: "custom", path: ["quantity"], message: "A pool campaign has the codes you upload; quantity is for generated codes." });
    }
    if (value.valid_from && value.valid_until && Date.parse(value.valid_until) <= Date.parse(value.valid_from)) {
      context.addIssue({ code: "custom", path: ["valid_until"], message: "The end of validity must come after valid_from." });
    }
  });
export type CampaignCreate = z.output<typeof campaignCreateSchema>;

/** PATCH /api/v1/coupon-campaigns/:id */
export const campaignPatchSchema = z
  .strictObject({
    name: campaignName.optional(),
    description,
    valid_until: instant.nullable().optional(),
    per_contact_limit: perContactLimit.optional(),
    /** A campaign is archived for good: no more issues; issued codes can still be redeemed. */
    status: z.literal("archived", "Only archived: a campaign is archived for good.").optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Send name, description, valid_until, per_contact_limit or status.", path: ["name"], when: onlyIfValid });
export type CampaignPatch = z.output<typeof campaignPatchSchema>;

export const maxUploadCodes = 100_000;

/** POST /api/v1/coupon-campaigns/:id/codes as JSON (a CSV body is read by lib/rewards/api.ts). */
export const codesUploadSchema = z.strictObject({
  codes: z
    .array(z.string("A code is a string.").max(100, "A code is at most 100 characters."), "Send codes: a list of strings.")
    .min(1, "Send at least one code.")
    .max(maxUploadCodes, "At most 100,000 codes a call."),
});

/** POST /api/v1/coupons/issue */
export const couponIssueSchema = z.strictObject({
  campaign_id: z.uuid("Not an id."),
  contact: contactRef,
  /** A retried issue with the same key returns the code it took the first time. */
  idempotency_key: idempotencyKey.optional(),
});
export type CouponIssue = z.output<typeof couponIssueSchema>;

/** POST /api/v1/coupons/redeem */
export const couponRedeemSchema = z.strictObject({
  code: z.string("Send the code.").trim().min(1, "Send the code.").max(100, "A code is at most 100 characters."),
  /** Only this contact's coupon is redeemed (409 when it was issued to someone else). */
  contact: contactRef.optional(),
  /** Where it was used: an order id, a store. */
  ref: z.string().trim().max(200, "Use at most 200 characters.").optional(),
});
export type CouponRedeem = z.output<typeof couponRedeemSchema>;
