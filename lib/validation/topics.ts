import { z } from "zod";

// One schema per body, shared by the REST routes and the Settings → Topics server actions.

const name = z.string().trim().min(1, "Give the topic a name.").max(120, "Use at most 120 characters.");
const description = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .transform((value) => value || null)
  .nullable();

/** POST /api/v1/topics */
export const topicCreateSchema = z.strictObject({
  name,
  description: description.optional(),
  default_subscribed: z.boolean().default(true),
});
export type TopicCreate = z.output<typeof topicCreateSchema>;

/** PATCH /api/v1/topics/:id */
export const topicPatchSchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  default_subscribed: z.boolean().optional(),
});
export type TopicPatch = z.output<typeof topicPatchSchema>;

// The settings form sends strings; a checkbox is present ("on") or absent.
const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on" || value === "true");

export const topicFormSchema = z.object({
  id: z.uuid().optional(),
  name,
  description: z
    .string()
    .trim()
    .max(500, "Use at most 500 characters.")
    .optional()
    .transform((value) => value || null),
  defaultSubscribed: checkbox,
});

export const topicIdFormSchema = z.object({ id: z.uuid() });
