import { z } from "zod";
import { attributeTypes } from "@/db/schema";
import { isTimeZone } from "@/lib/contacts/traits";

// One schema per body, shared by the REST routes and the contact forms' server actions.
// Messages are written for API callers (the action wrapper shows them as they are when
// errors.validation has no key of that name).

/** A text field where "" (an empty form field) means "no value". */
function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .transform((value) => value || null)
    .nullable();
}

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .refine((value) => value === "" || z.email().safeParse(value).success, "Not a valid email address.")
  .transform((value) => value || null)
  .nullable();

const timezone = optionalText(64).refine((zone) => zone === null || isTimeZone(zone), "Not an IANA time zone (e.g. Europe/Paris).");

const locale = optionalText(35).refine((value) => {
  if (value === null) return true;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}, "Not a BCP 47 locale (e.g. en-US, zh-CN).");

export const tag = z.string().trim().min(1, "A tag cannot be empty.").max(64, "A tag is at most 64 characters.");
const tagList = z.array(tag).max(200, "At most 200 tags.");

export const attributeKey = z.string().trim().min(1, "An attribute key cannot be empty.").max(200, "An attribute key is at most 200 characters.");
/** Custom attributes; in a PATCH a key set to null removes it. */
const attributes = z.record(attributeKey, z.json());

// Every profile field may be left out; null (or "") clears it.
const fields = {
  external_id: optionalText(255).optional(),
  email: email.optional(),
  phone: optionalText(64).optional(),
  first_name: optionalText(200).optional(),
  last_name: optionalText(200).optional(),
  timezone: timezone.optional(),
  locale: locale.optional(),
  lifecycle_stage: optionalText(64).optional(),
};

/** POST /api/v1/contacts and PUT /api/v1/contacts/:id: the whole contact. */
export const contactBodySchema = z
  .strictObject({ ...fields, attributes: attributes.optional(), tags: tagList.optional() })
  .refine((body) => Boolean(body.external_id || body.email), {
    message: "Give the contact an external_id or an email, so tracking calls and imports can find it.",
    path: ["external_id"],
  });
export type ContactBody = z.output<typeof contactBodySchema>;

/** PATCH /api/v1/contacts/:id: only what changes; attributes merge, `tags` replaces, add/remove adjust. */
export const contactPatchSchema = z.strictObject({
  ...fields,
  attributes: attributes.optional(),
  tags: tagList.optional(),
  add_tags: tagList.optional(),
  remove_tags: tagList.optional(),
});
export type ContactPatch = z.output<typeof contactPatchSchema>;

/** Query of GET /api/v1/contacts. */
export const contactListQuerySchema = z.strictObject({
  limit: z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(200, "limit is at most 200.").default(50),
  cursor: z.string().optional(),
  search: z.string().trim().max(254).optional(),
  tag: tag.optional(),
});

/** Query of GET /api/v1/contacts/:id/events. */
export const eventListQuerySchema = z.strictObject({
  limit: z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(200, "limit is at most 200.").default(50),
  cursor: z.string().optional(),
});

export const attributeTypeSchema = z.enum(attributeTypes, `Use one of: ${attributeTypes.join(", ")}.`);

/** PATCH /api/v1/attributes/:key: declare the type and/or set the label. */
export const attributeDeclarationSchema = z
  .strictObject({
    type: attributeTypeSchema.optional(),
    label: optionalText(100).optional(),
  })
  .refine((body) => body.type !== undefined || body.label !== undefined, {
    message: "Send a type to declare, a label, or both.",
    path: ["type"],
  });
export type AttributeDeclaration = z.output<typeof attributeDeclarationSchema>;

/** The settings page's type picker (a form: strings only). */
export const declareAttributeFormSchema = z.object({ key: attributeKey, type: attributeTypeSchema });
