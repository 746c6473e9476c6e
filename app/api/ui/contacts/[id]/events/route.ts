import { z } from "zod";
import { decodeCursor, listContactEvents } from "@/db/queries/contacts";
import { withSession } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { serializeEvents } from "@/components/contacts/timeline-events";

const query = z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(100).default(25) });

// GET /api/ui/contacts/:id/events?workspace=ID&cursor=…: the next page of a contact's timeline
export const GET = withSession("viewer", async (request, { db, workspace, params }) => {
  const contactId = z.uuid().safeParse(params.id);
  if (!contactId.success) throw new AppError("not_found", "No such contact.");
  const { cursor, limit } = query.parse(Object.fromEntries(request.nextUrl.searchParams));
  const after = decodeCursor(cursor);
  if (cursor && (!after || typeof after[0] !== "string" || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== "number")) {
    throw new AppError("bad_request", "The cursor is not one this timeline gave out.");
  }
  const page = await listContactEvents(db, { workspaceId: workspace.id, contactId: contactId.data, cursor, limit });
  return { events: serializeEvents(page.events), nextCursor: page.nextCursor };
});
