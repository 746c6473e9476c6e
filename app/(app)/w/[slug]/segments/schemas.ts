import { z } from "zod";

// The segment forms send the rule as JSON text (FormData carries strings only).
const ruleText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "not_json" });
    return z.NEVER;
  }
});

const name = z.string().trim().min(1, "required").max(200);
const description = z.string().trim().max(2000).transform((value) => value || null);

export const createSegmentFormSchema = z.object({
  name,
  description,
  kind: z.enum(["dynamic", "static"]),
  rule: ruleText.optional(),
});
export const updateSegmentFormSchema = z.object({ id: z.uuid(), name, description, rule: ruleText.optional() });
export const previewFormSchema = z.object({ rule: ruleText });
export const segmentIdSchema = z.object({ id: z.uuid() });

/** Adds or removes a static list's members by email, external id or contact id (pasted, or a piece of a CSV column). */
export const listMembersFormSchema = z.object({
  id: z.uuid(),
  mode: z.enum(["add", "remove"]),
  identifiers: z.string().max(2_000_000, "too_long"),
});
