import { z } from "zod";
import { attributeTypes, type AttributeType } from "@/db/schema";
import { attributeKey } from "@/lib/validation/contacts";

/** Contact fields a column can fill. */
export const importFields = [
  "email",
  "external_id",
  "phone",
  "first_name",
  "last_name",
  "timezone",
  "locale",
  "lifecycle_stage",
] as const;
export type ImportField = (typeof importFields)[number];

export const matchKeys = ["email", "external_id"] as const;
export type MatchKey = (typeof matchKeys)[number];

const columnMapping = z.discriminatedUnion("target", [
  z.object({ index: z.number().int().min(0), target: z.literal("field"), field: z.enum(importFields) }),
  z.object({ index: z.number().int().min(0), target: z.literal("tags") }),
  z.object({
    index: z.number().int().min(0),
    target: z.literal("attribute"),
    key: attributeKey,
    type: z.enum(attributeTypes),
  }),
]);
export type ColumnMapping = z.infer<typeof columnMapping>;

/** What a person chose in step 2; columns not listed are ignored. */
export const importSettingsSchema = z
  .object({
    columns: z.array(columnMapping).max(500),
    matchKey: z.enum(matchKeys),
    onExisting: z.enum(["update", "skip"]),
  })
  .superRefine((settings, context) => {
    const indexes = new Set<number>();
    const fields = new Set<string>();
    const keys = new Set<string>();
    settings.columns.forEach((column, position) => {
      if (indexes.has(column.index)) context.addIssue({ code: "custom", path: ["columns", position], message: "duplicate_column" });
      indexes.add(column.index);
      if (column.target === "field") {
        if (fields.has(column.field)) context.addIssue({ code: "custom", path: ["columns", position], message: "duplicate_field" });
        fields.add(column.field);
      }
      if (column.target === "attribute") {
        if (keys.has(column.key)) context.addIssue({ code: "custom", path: ["columns", position], message: "duplicate_attribute" });
        keys.add(column.key);
      }
    });
    if (!fields.has(settings.matchKey)) context.addIssue({ code: "custom", path: ["matchKey"], message: "match_key_unmapped" });
  });
export type ImportSettings = z.infer<typeof importSettingsSchema>;

export interface CatalogueEntry {
  type: AttributeType;
  declared: boolean;
}
