import { z } from "zod";

// The monitor form sends its body as JSON text (FormData carries strings only), in the shape
// of lib/monitors/schema's monitorInput, except that the active period's times are the
// wall-clock text of datetime-local inputs, read in the workspace's time zone by the action.
const jsonText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "not_json" });
    return z.NEVER;
  }
});

export const saveMonitorFormSchema = z.object({ id: z.uuid().optional(), body: jsonText });
export const testMonitorFormSchema = z.object({ body: jsonText, contactId: z.uuid("contact_required") });
export const monitorIdFormSchema = z.object({ id: z.uuid() });
export const monitorStatusFormSchema = z.object({ id: z.uuid(), to: z.enum(["activate", "pause", "archive"]) });
export const checkWhereFormSchema = z.object({ event: z.string().trim().max(200), where: jsonText });
export const eventPropertiesFormSchema = z.object({ event: z.string().trim().min(1).max(200) });
export const findContactsFormSchema = z.object({ q: z.string().trim().max(200) });
