import { z } from "zod";

// The broadcast form sends its body as JSON text (FormData carries strings only), in the
// REST API's shape, except that an "at" time is the wall-clock text of a datetime-local
// input, read in the workspace's time zone by the action.
const jsonText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "not_json" });
    return z.NEVER;
  }
});

const idList = jsonText.pipe(z.array(z.uuid()).max(20));

export const saveBroadcastFormSchema = z.object({ id: z.uuid().optional(), body: jsonText });
export const audienceCountFormSchema = z.object({ include: idList, exclude: idList });
export const broadcastIdFormSchema = z.object({ id: z.uuid() });
/** Send: as planned (the broadcast's own schedule) or now, whatever it says. */
export const sendBroadcastFormSchema = z.object({ id: z.uuid(), when: z.enum(["planned", "now"]).default("planned") });
