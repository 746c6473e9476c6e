import { decodeCursor, listContactEvents } from "@/db/queries/contacts";
import { withSecretKey } from "@/lib/api/handler";
import { eventJson, findContactByRef } from "@/lib/contacts/manage";
import { AppError } from "@/lib/errors";
import { eventListQuerySchema } from "@/lib/validation/contacts";

// GET /api/v1/contacts/:id/events: the contact's events, newest first, keyset-paged
export const GET = withSecretKey(async (request, { db, workspace, params }) => {
  const query = eventListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  if (query.cursor && !decodeCursor(query.cursor)) {
    throw new AppError("bad_request", "This cursor was not made by this API; pass next_cursor from the previous page as it is.");
  }
  const contact = await findContactByRef(db, workspace.id, String(params.id));
  const page = await listContactEvents(db, { workspaceId: workspace.id, contactId: contact.id, ...query });
  return { data: page.events.map(eventJson), next_cursor: page.nextCursor };
});
