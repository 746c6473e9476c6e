import { z } from "zod";

// One schema per body, shared by the REST routes and the segment pages' server actions. The
// rule itself is checked by lib/segments/validate.ts (it needs the workspace's catalogue).

const name = z.string().trim().min(1, "Give the segment a name.").max(200, "Use at most 200 characters.");
const description = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters.")
  .transform((value) => value || null)
  .nullable();
/** A JSON-Logic rule; its shape is the rule validator's business. */
const rule = z.json();

/** POST /api/v1/segments */
export const segmentCreateSchema = z
  .strictObject({
    name,
    description: description.optional(),
    kind: z.enum(["dynamic", "static"]).default("dynamic"),
    rule: rule.optional(),
  })
  .superRefine((body, context) => {
    if (body.kind === "dynamic" && body.rule === undefined) {
      context.addIssue({ code: "custom", path: ["rule"], message: "A dynamic segment needs a rule." });
    }
    if (body.kind === "static" && body.rule !== undefined) {
      context.addIssue({ code: "custom", path: ["rule"], message: "A static list has no rule; add members instead." });
    }
  });
export type SegmentCreate = z.output<typeof segmentCreateSchema>;

/** PATCH /api/v1/segments/:id */
export const segmentPatchSchema = z.strictObject({ name: name.optional(), description: description.optional(), rule: rule.optional() });

/** POST /api/v1/segments/preview */
export const segmentPreviewSchema = z.strictObject({ rule });

const contactIds = z.array(z.uuid("Not a contact id.")).max(10_000, "At most 10,000 contacts a call.");

/** POST /api/v1/segments/:id/members (static lists) */
export const listMembersChangeSchema = z
  .strictObject({ add: contactIds.optional(), remove: contactIds.optional() })
  .refine((body) => (body.add?.length ?? 0) + (body.remove?.length ?? 0) > 0, { message: "Send contact ids in add or remove.", path: ["add"] });

/** GET /api/v1/segments/:id/members */
export const memberListQuerySchema = z.strictObject({
  limit: z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(500, "limit is at most 500.").default(50),
  cursor: z.string().optional(),
});
