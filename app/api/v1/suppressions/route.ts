import { readJson, withSecretKey } from "@/lib/api/handler";
import { findSuppression, listSuppressions, suppressAddress, suppressionJson } from "@/lib/messages/suppressions";
import { suppressionCreateSchema, suppressionListQuerySchema } from "@/lib/validation/suppressions";

// GET /api/v1/suppressions?q=&channel=&cursor=&limit=: the suppression list, newest first
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = suppressionListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const page = await listSuppressions(db, { workspaceId: workspace.id, ...query });
  return { suppressions: page.suppressions.map(suppressionJson), next_cursor: page.nextCursor };
});

// POST /api/v1/suppressions: add an address ({ channel, address, reason?, details? }); adding it again keeps one entry
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = suppressionCreateSchema.parse(await readJson(request, 64 * 1024));
  await suppressAddress(db, { workspaceId: workspace.id, ...body });
  const stored = await findSuppression(db, { workspaceId: workspace.id, channel: body.channel, address: body.address });
  return Response.json({ suppression: stored ? suppressionJson(stored) : null }, { status: 201 });
});
