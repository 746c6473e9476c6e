import { z } from "zod";
import { channels, messageKinds } from "@/db/schema";

// The template forms send strings (FormData); content travels as JSON text.
const jsonText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    context.addIssue({ code: "custom", message: "not_json" });
    return z.NEVER;
  }
});
const line = z.string().optional();

export const createTemplateFormSchema = z.object({
  name: z.string().trim().min(1, "required").max(200),
  channel: z.enum(channels),
  format: z.enum(["code", "visual", "text"]),
  component: z.enum(["welcome", "newsletter", "transactional"]).optional(),
  kind: z.enum(messageKinds).default("marketing"),
});

export const saveTemplateFormSchema = z.object({
  id: z.uuid(),
  name: z.string().trim().min(1, "required").max(200),
  kind: z.enum(messageKinds),
  topic_id: z.string().transform((value) => (value && value !== "none" ? value : null)),
  subject: line,
  preheader: line,
  from_name: line,
  from_email: line,
  reply_to: line,
  content: jsonText,
});

export const templateVersionFormSchema = z.object({
  id: z.uuid(),
  version: z.coerce.number().int().positive().optional(),
  contactId: z.string().optional().transform((value) => value || null),
});

export const contactSearchFormSchema = z.object({ q: z.string().max(200).default("") });
export const templateIdFormSchema = z.object({ id: z.uuid() });
