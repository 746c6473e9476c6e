import { withSecretKey } from "@/lib/api/handler";
import { findContactByRef } from "@/lib/contacts/manage";
import { contactJourneyJson } from "@/lib/journeys/api";
import { contactJourneys } from "@/lib/journeys/stats";

// GET /api/v1/contacts/:id/journeys: the contact's journey runs, newest first, each with the path it took
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  return { data: (await contactJourneys(db, workspace.id, contact.id)).map(contactJourneyJson) };
});
