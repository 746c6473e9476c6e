import { z } from "zod";

// Inputs of the inbox API (apps) and of bounce / complaint intake (email providers).

const day = 24 * 60 * 60;
export const inboxTokenDefaultSeconds = day;
export const inboxTokenMaxSeconds = 30 * day;

/** POST /api/v1/contacts/:id/inbox-token. */
export const inboxTokenBodySchema = z.object({
  expires_in: z
    .number("Give expires_in in seconds.")
    .int("Give expires_in in whole seconds.")
    .min(60, "A user token lives at least 60 seconds.")
    .max(inboxTokenMaxSeconds, `A user token lives at most ${inboxTokenMaxSeconds} seconds (30 days).`)
    .default(inboxTokenDefaultSeconds),
});

const flag = z
  .enum(["true", "false", "1", "0", ""], "Use true or false.")
  .transform((value) => value === "true" || value === "1");

/** GET /api/v1/inbox query string. */
export const inboxListQuerySchema = z.object({
  limit: z.coerce.number("limit must be a number.").int("limit must be a whole number.").min(1, "limit is at least 1.").max(100, "limit is at most 100.").default(20),
  cursor: z.string().max(500, "Not a cursor from this API.").optional(),
  unread_only: flag.default(false),
});

// The generic bounce / complaint format, for relays and providers without their own parser.
export const genericFeedbackSchema = z.object({
  type: z.enum(["bounce", "complaint", "delivered"], "type is bounce, complaint or delivered."),
  email: z.string().trim().toLowerCase().pipe(z.email("Not a valid email address.")),
  message_id: z.string().trim().min(1).max(500).optional(),
  provider_message_id: z.string().trim().min(1).max(500).optional(),
  bounce_type: z.enum(["hard", "soft"], "bounce_type is hard or soft.").optional(),
  reason: z.string().max(2000, "Use at most 2000 characters.").optional(),
  /** The sender's own id for this notification, so a resent one is recorded once. */
  id: z.string().trim().min(1).max(200).optional(),
});
export type GenericFeedback = z.infer<typeof genericFeedbackSchema>;

/** One notification or an array of them (paths then start with the item's index). */
export const genericFeedbackBodySchema = z.preprocess(
  (body) => (Array.isArray(body) ? body : [body]),
  z.array(genericFeedbackSchema).min(1, "Send at least one notification.").max(1000, "Send at most 1000 notifications at once."),
);
