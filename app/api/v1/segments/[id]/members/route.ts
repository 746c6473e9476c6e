import { decodeCursor } from "@/db/queries/contacts";
import { readJson, withSecretKey } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { listMembers } from "@/lib/segments/manage";
import { changeListMembers } from "@/lib/segments/membership";
import { requireSegment } from "@/lib/segments/requests";
import { listMembersChangeSchema, memberListQuerySchema } from "@/lib/validation/segments";

// GET /api/v1/segments/:id/members: current members, keyset-paged by contact id
export const GET = withSecretKey(async (request, { db, workspace, params }) => {
  const query = memberListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  if (query.cursor && typeof decodeCursor(query.cursor)?.[0] !== "string") {
    throw new AppError("bad_request", "This cursor was not made by this API; pass next_cursor from the previous page as it is.");
  }
  const segment = await requireSegment(db, workspace.id, String(params.id));
  const page = await listMembers(db, workspace.id, segment.id, query);
  return {
    data: page.members.map((member) => ({
      id: member.id,
      external_id: member.externalId,
      email: member.email,
      first_name: member.firstName,
      last_name: member.lastName,
      entered_at: member.enteredAt.toISOString(),
    })),
    next_cursor: page.nextCursor,
  };
});

// POST /api/v1/segments/:id/members: add or remove contacts of a static list
export const POST = withSecretKey(async (request, { db, workspace, params }) => {
  const body = listMembersChangeSchema.parse(await readJson(request));
  const segment = await requireSegment(db, workspace.id, String(params.id));
  if (segment.kind !== "static") {
    throw new AppError("conflict", "This segment is dynamic: its rule decides who is in it. Change the rule, or use a static list.");
  }
  const result = await changeListMembers(db, workspace.id, segment.id, body);
  if (!result) throw new AppError("not_found", "No such segment in this workspace.");
  return { entered: result.entered.length, exited: result.exited.length, members: result.members };
});
