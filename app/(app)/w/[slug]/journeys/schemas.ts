import { z } from "zod";
import { journeyGraph } from "@/lib/journeys/graph";

// The canvas sends its graph as JSON text (FormData carries strings only).
const jsonText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "not_json" });
    return z.NEVER;
  }
});

const name = z.string().trim().min(1, "name_required").max(200, "name_required");
const description = z
  .string()
  .trim()
  .max(2000)
  .optional()
  .transform((value) => value || null);
const graph = jsonText.pipe(journeyGraph);

export const createJourneyFormSchema = z.object({ name });
/** Save draft, and Publish (which saves the draft first): the journey's name, description and canvas. */
export const saveJourneyFormSchema = z.object({ id: z.uuid(), name, description, graph });
export const checkJourneyFormSchema = z.object({ graph });
export const journeyIdFormSchema = z.object({ id: z.uuid() });
/** The inspector: the runs at one node now, a page at a time. */
export const journeyRunsFormSchema = z.object({
  id: z.uuid(),
  nodeId: z.string().min(1).max(100),
  cursor: z.string().max(500).optional(),
});
