import { z } from "zod";
import { pointSources } from "@/db/schema";

// Validation of the rewards forms; its messages are codes the forms say in the reader's
// language (rewards.errors.<code>).

const optionalText = (max: number, code: string) =>
  z
    .string()
    .trim()
    .max(max, code)
    .transform((value) => value || null);

const wallClock = z
  .string()
  .trim()
  .refine((value) => value === "" || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value), "date_invalid")
  .transform((value) => value || null);

export const rewardSettingsFormSchema = z.object({
  pointsName: optionalText(40, "points_name"),
  allowNegative: z.enum(["on", "off"]).default("off"),
  defaultExpiryDays: z
    .string()
    .trim()
    .refine((value) => value === "" || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 3650), "expiry_days")
    .transform((value) => (value ? Number(value) : null)),
});

export const adjustPointsFormSchema = z.object({
  contactId: z.uuid("contact_required"),
  amount: z.coerce.number("points_amount").int("points_amount").min(-10_000_000, "points_amount").max(10_000_000, "points_amount").refine((value) => value !== 0, "points_amount"),
  reason: z.string().trim().min(1, "reason_required").max(200, "reason_required"),
  /** Made by the dialog when it opens: a double submit changes the balance once. */
  key: z.uuid(),
});

// Generated codes are made in one request: createCampaign makes up to 20 rounds of 10,000.
export const maxGeneratedInForm = 200_000;

export const campaignFormSchema = z
  .object({
    name: z.string().trim().min(1, "name_required").max(200, "name_required"),
    description: optionalText(2000, "description"),
    source: z.enum(["generated", "pool"]),
    pattern: z.string().trim().max(60, "pattern_long"),
    quantity: z.string().trim(),
    valueKind: z.enum(["amount", "percent", "text"]),
    amount: z.string().trim(),
    currency: z.string().trim(),
    percent: z.string().trim(),
    text: z.string().trim(),
    validFrom: wallClock,
    validUntil: wallClock,
    perContactLimit: z.coerce.number("per_contact_limit").int("per_contact_limit").min(1, "per_contact_limit").max(1000, "per_contact_limit"),
  })
  .superRefine((value, context) => {
    const issue = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
    if (value.source === "generated") {
      if (!value.pattern.includes("X")) issue("pattern", "pattern_no_slots");
      const quantity = Number(value.quantity);
      if (!/^\d+$/.test(value.quantity) || quantity < 1 || quantity > maxGeneratedInForm) issue("quantity", "quantity_range");
    }
    if (value.valueKind === "amount") {
      if (!(Number(value.amount) > 0)) issue("amount", "amount_positive");
      if (!/^[A-Za-z]{3}$/.test(value.currency)) issue("currency", "currency");
    }
    if (value.valueKind === "percent" && !(Number(value.percent) > 0 && Number(value.percent) <= 100)) issue("percent", "percent_range");
    if (value.valueKind === "text" && (value.text.length < 1 || value.text.length > 200)) issue("text", "text_required");
  });

const codeList = z
  .string()
  .transform((text, context) => {
    try {
      const codes = JSON.parse(text) as unknown;
      if (Array.isArray(codes) && codes.every((code) => typeof code === "string")) return codes as string[];
    } catch {
      // reported below
    }
    context.addIssue({ code: "custom", message: "codes_invalid" });
    return z.NEVER;
  })
  .pipe(z.array(z.string()).max(5000, "codes_too_many"));

export const uploadCodesFormSchema = z.object({ id: z.uuid(), codes: codeList });

export const ledgerSearchSchema = z.object({
  email: z.string().trim().max(320).optional(),
  source: z.enum(pointSources).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});
