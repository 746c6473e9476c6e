import { decodeCursor, listContacts } from "@/db/queries/contacts";
import { readJson, withSecretKey } from "@/lib/api/handler";
import { contactDetail, contactJson, createContact } from "@/lib/contacts/manage";
import { AppError } from "@/lib/errors";
import { contactBodySchema, contactListQuerySchema } from "@/lib/validation/contacts";

// GET /api/v1/contacts: newest first, keyset-paged (`limit`, `cursor`), filtered by `search` and `tag`
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = contactListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  if (query.cursor && !decodeCursor(query.cursor)) {
    throw new AppError("bad_request", "This cursor was not made by this API; pass next_cursor from the previous page as it is.");
  }
  const page = await listContacts(db, { workspaceId: workspace.id, ...query });
  return { data: page.contacts.map(contactJson), next_cursor: page.nextCursor };
});

// POST /api/v1/contacts: create
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = contactBodySchema.parse(await readJson(request));
  const contact = await createContact(db, workspace.id, body);
  return Response.json(await contactDetail(db, workspace.id, contact), { status: 201 });
});
