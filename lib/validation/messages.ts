import { z } from "zod";
import { channels } from "@/db/schema";

const contactRef = z.union([
  z.uuid("Not a contact id."),
  z.strictObject({ id: z.uuid("Not a contact id.") }),
  z.strictObject({ external_id: z.string().trim().min(1).max(255) }),
  z.strictObject({ email: z.email("Not an email address.").max(320) }),
]);

/** POST /api/v1/messages */
export const messageSendSchema = z
  .strictObject({
    /** A contact id, or { id } / { external_id } / { email }. */
    contact: contactRef.optional(),
    template: z.uuid("Not a template id."),
    version: z.int().positive().optional(),
    channel: z.enum(channels).optional(),
    /** Liquid `data.*` for this message. */
    data: z.record(z.string(), z.json()).default({}),
    /** A retried call with the same key returns the first message and sends nothing more. */
    idempotency_key: z.string().trim().min(1).max(255).optional(),
    /** Send to this address instead of the contact's (the contact's data still personalises). */
    to: z.string().trim().min(1).max(2048).optional(),
  })
  .refine((body) => body.contact !== undefined || body.to !== undefined, {
    path: ["contact"],
    message: "Name a contact (id, external_id or email) or a `to` address.",
  });
export type MessageSendBody = z.output<typeof messageSendSchema>;

/** The contact reference as the contacts API writes it (`id`, `external_id:…`, `email:…`). */
export function contactRefString(ref: NonNullable<MessageSendBody["contact"]>): string {
  if (typeof ref === "string") return ref;
  if ("id" in ref) return ref.id;
  if ("external_id" in ref) return `external_id:${ref.external_id}`;
  return `email:${ref.email}`;
}
