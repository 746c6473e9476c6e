import { readJson, withSecretKey } from "@/lib/api/handler";
import { broadcastJson, broadcastListQuerySchema, broadcastReply, checkListCursor } from "@/lib/broadcasts/api";
import { createBroadcast, listBroadcasts } from "@/lib/broadcasts/manage";
import { broadcastCreateSchema } from "@/lib/validation/broadcasts";

// GET /api/v1/broadcasts: newest first, keyset-paged (`limit`, `cursor`), filtered by `status`
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = broadcastListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  checkListCursor(query.cursor);
  const page = await listBroadcasts(db, workspace.id, query);
  return { data: page.broadcasts.map((broadcast) => broadcastJson(broadcast)), next_cursor: page.nextCursor };
});

// POST /api/v1/broadcasts: create a draft (nothing is sent until POST …/send)
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = broadcastCreateSchema.parse(await readJson(request));
  const broadcast = await createBroadcast(db, workspace.id, body);
  return Response.json(await broadcastReply(db, broadcast), { status: 201 });
});
