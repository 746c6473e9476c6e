import { z } from "zod";
import type { Json, JsonObject } from "@/db/schema";
import { email } from "@/lib/validation/accounts";

// Messages are keys: errors.validation translates the shared ones on the server, the
// contacts namespace's `validation` the rest on the client.

export const tag = z.string().trim().min(1, "tag_required").max(64, "tag_too_long");

const contactIds = z
  .string()
  .transform((value) => value.split(",").filter(Boolean))
  .pipe(z.array(z.uuid()).min(1, "select_contacts").max(200));

export const bulkTagSchema = z.object({ ids: contactIds, tag, mode: z.enum(["add", "remove"]) });
export const contactTagSchema = z.object({ id: z.uuid(), tag, mode: z.enum(["add", "remove"]) });
export const eraseSchema = z.object({ id: z.uuid(), confirmation: z.string().trim() });

export const editableTypes = ["string", "number", "boolean", "date", "list", "json"] as const;
export type EditableType = (typeof editableTypes)[number];

/** Reads the text of the edit form back into the JSON value its type says. */
function parseValue(type: EditableType, text: string): { value: Json } | { error: string } {
  const trimmed = text.trim();
  switch (type) {
    case "string":
      return { value: text };
    case "number": {
      const number = Number(trimmed);
      return trimmed && Number.isFinite(number) ? { value: number } : { error: "attribute_number" };
    }
    case "boolean":
      return trimmed === "true" || trimmed === "false" ? { value: trimmed === "true" } : { error: "attribute_boolean" };
    case "date":
      return /^\d{4}-\d{2}-\d{2}/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))
        ? { value: trimmed }
        : { error: "attribute_date" };
    case "list":
      return {
        value: trimmed
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean),
      };
    case "json":
      try {
        return { value: JSON.parse(trimmed) as Json };
      } catch {
        return { error: "attribute_json" };
      }
  }
}

// Contact fields have their own inputs; an attribute by one of these names would shadow them.
const fieldNames = new Set(["email", "phone", "first_name", "firstName", "last_name", "lastName", "name", "timezone", "locale"]);

const attributeRow = z
  .object({
    key: z
      .string()
      .trim()
      .min(1, "attribute_key_required")
      .max(100, "attribute_key_long")
      .refine((key) => !key.includes("."), "attribute_key_dot")
      .refine((key) => !fieldNames.has(key), "attribute_key_reserved"),
    type: z.enum(editableTypes),
    value: z.string().max(10_000),
  })
  .transform((row, context) => {
    const parsed = parseValue(row.type, row.value);
    if ("error" in parsed) {
      context.addIssue({ code: "custom", message: parsed.error, path: ["value"] });
      return z.NEVER;
    }
    return { key: row.key, value: parsed.value };
  });

const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .default("[]")
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "bad_request" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "too_long")
    .transform((value) => value || null);

export const editContactSchema = z
  .object({
    id: z.uuid(),
    firstName: optionalText(200),
    lastName: optionalText(200),
    email: z.union([z.literal("").transform(() => null), email]),
    phone: optionalText(64).refine((value) => !value || /^\+?[0-9 ().-]{3,}$/.test(value), "phone_invalid"),
    attributes: jsonText(z.array(attributeRow).max(500)),
    unset: jsonText(z.array(z.string()).max(500)),
  })
  .superRefine((input, context) => {
    const seen = new Set<string>();
    input.attributes.forEach((row, index) => {
      if (seen.has(row.key)) context.addIssue({ code: "custom", message: "attribute_key_duplicate", path: ["attributes", index, "key"] });
      seen.add(row.key);
    });
  })
  .transform((input) => {
    const set: JsonObject = {};
    for (const row of input.attributes) set[row.key] = row.value;
    return {
      id: input.id,
      fields: { firstName: input.firstName, lastName: input.lastName, email: input.email, phone: input.phone },
      set,
      unset: input.unset.filter((key) => !(key in set)),
      /** Row order, to point an error about a key back at its row. */
      keys: input.attributes.map((row) => row.key),
    };
  });
export type EditContactInput = z.output<typeof editContactSchema>;
