import { readJson, withSecretKey } from "@/lib/api/handler";
import { requireContactIdByRef } from "@/lib/contacts/refs";
import { inputOfMonitor, simulatedMatchJson } from "@/lib/monitors/api";
import { requireMonitor, testMonitor } from "@/lib/monitors/manage";
import { monitorTestSchema } from "@/lib/validation/monitors";

// POST /api/v1/monitors/:id/test: replay a contact's history through the monitor and say when it would have fired; nothing is written
export const POST = withSecretKey(async (request, { db, workspace, params }) => {
  const body = monitorTestSchema.parse(await readJson(request));
  const monitor = await requireMonitor(db, workspace.id, String(params.id));
  const contactId = await requireContactIdByRef(db, workspace.id, body.contact);
  const result = await testMonitor(db, workspace.id, inputOfMonitor(monitor), contactId);
  return { contact_id: contactId, events: result.events, matches: result.matches.map(simulatedMatchJson) };
});
