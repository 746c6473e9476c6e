import { z } from "zod";
import { channels } from "@/db/schema";
import { email } from "./accounts";

// Settings → Sending, one schema a form. Fields arrive as FormData strings; messages are keys
// that the messaging namespace (validation.*) turns into words.

const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalText = (max: number) => z.preprocess(blank, z.string().trim().max(max, "too_long").optional());
const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());

export const smtpUrlSchema = z
  .string()
  .trim()
  .min(1, "smtp_url_required")
  .max(2000, "too_long")
  .refine((value) => {
    try {
      const url = new URL(value);
      return ["smtp:", "smtps:"].includes(url.protocol) && Boolean(url.hostname);
    } catch {
      return false;
    }
  }, "smtp_url_invalid");

export const smtpTestSchema = z.object({});

export const smtpSettingsSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), smtpUrl: smtpUrlSchema }),
  z.object({ intent: z.literal("clear") }),
]);

const hostname = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const pem = /^-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+-----END (?:RSA |EC )?PRIVATE KEY-----$/;

export const dkimSettingsSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    domain: z.string().trim().toLowerCase().regex(hostname, "dkim_domain_invalid"),
    selector: z
      .string()
      .trim()
      .regex(/^[a-z0-9](?:[a-z0-9._-]{0,62})$/i, "dkim_selector_invalid"),
    /** Empty keeps the stored key. */
    privateKey: z.preprocess(blank, z.string().trim().regex(pem, "dkim_key_invalid").max(20_000, "too_long").optional()),
  }),
  z.object({ intent: z.literal("clear") }),
]);

export const postalAddressSchema = z.object({ postalAddress: optionalText(500) });

/** The channels a frequency cap can apply to (webhooks go to systems, not people). */
export const cappedChannels = channels.filter((channel) => channel !== "webhook");

const hhmm = z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time_invalid");
const positiveInt = (max: number) =>
  z.preprocess(blank, z.coerce.number({ message: "number_invalid" }).int("number_invalid").min(1, "number_min").max(max, "number_max").optional());

export const deliverySettingsSchema = z
  .object({
    ...Object.fromEntries(cappedChannels.flatMap((channel) => [[`capCount_${channel}`, positiveInt(1000)], [`capHours_${channel}`, positiveInt(24 * 90)]])),
    quietEnabled: checkbox,
    quietStart: z.preprocess(blank, hhmm.optional()),
    quietEnd: z.preprocess(blank, hhmm.optional()),
  })
  .superRefine((input, context) => {
    const values = input as Record<string, unknown>;
    for (const channel of cappedChannels) {
      const count = values[`capCount_${channel}`];
      const hours = values[`capHours_${channel}`];
      if ((count === undefined) !== (hours === undefined)) {
        context.addIssue({ code: "custom", path: [count === undefined ? `capCount_${channel}` : `capHours_${channel}`], message: "cap_incomplete" });
      }
    }
    if (input.quietEnabled) {
      if (!input.quietStart) context.addIssue({ code: "custom", path: ["quietStart"], message: "time_required" });
      if (!input.quietEnd) context.addIssue({ code: "custom", path: ["quietEnd"], message: "time_required" });
      if (input.quietStart && input.quietStart === input.quietEnd) context.addIssue({ code: "custom", path: ["quietEnd"], message: "quiet_same" });
    }
  });

const utmValue = z.preprocess(blank, z.string().trim().max(100, "too_long").regex(/^[^\s&=#?]+$/, "utm_invalid").optional());

export const trackingSettingsSchema = z.object({
  trackOpens: checkbox,
  trackClicks: checkbox,
  utmSource: utmValue,
  utmMedium: utmValue,
  utmCampaign: utmValue,
});

export const senderSchema = z.object({
  id: z.preprocess(blank, z.uuid().optional()),
  name: z.string().trim().min(1, "sender_name_required").max(100, "too_long"),
  email,
  replyTo: z.preprocess(blank, email.optional()),
  isDefault: checkbox,
});

export const senderIdSchema = z.object({ id: z.uuid() });
