import { z } from "zod";
import { channels, suppressionReasons } from "@/db/schema";

// The suppression list's inputs, shared by the REST routes and the Settings page's actions.

const channel = z.enum(channels, "Channel must be email, sms, wechat, inbox or webhook.");
// Bounces and complaints arrive through the webhooks; by hand an address is suppressed as
// "manual" (or recorded as an unsubscribe that came in elsewhere).
const reason = z.enum(suppressionReasons, "Reason must be hard_bounce, complaint, unsubscribed or manual.");
const address = z.string().trim().min(1, "Give the address to suppress.").max(320, "Use at most 320 characters.");

function checkAddress(body: { channel: string; address: string }, context: z.RefinementCtx) {
  if (body.channel === "email" && !z.email().safeParse(body.address).success) {
    context.addIssue({ code: "custom", path: ["address"], message: "Not an email address." });
  }
  if (body.channel === "sms" && !/^\+?[\d\s().-]{5,20}$/.test(body.address)) {
    context.addIssue({ code: "custom", path: ["address"], message: "Not a phone number." });
  }
}

/** POST /api/v1/suppressions */
export const suppressionCreateSchema = z
  .strictObject({ channel, address, reason: reason.default("manual"), details: z.string().trim().max(1000).optional() })
  .superRefine(checkAddress);

/** GET /api/v1/suppressions */
export const suppressionListQuerySchema = z.strictObject({
  q: z.string().max(320).optional(),
  channel: channel.optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const suppressionFormSchema = z
  .object({ channel, address, reason: reason.default("manual"), details: z.string().trim().max(1000).optional() })
  .superRefine(checkAddress);

export const suppressionRemoveFormSchema = z.object({ channel, address });
