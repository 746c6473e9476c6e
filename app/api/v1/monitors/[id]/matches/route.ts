import { withSecretKey } from "@/lib/api/handler";
import { requireContactIdByRef } from "@/lib/contacts/refs";
import { matchJson } from "@/lib/monitors/api";
import { listMatches, requireMonitor } from "@/lib/monitors/manage";
import { matchListQuerySchema } from "@/lib/validation/monitors";

// GET /api/v1/monitors/:id/matches: the newest times it fired, with the contact and what each action did; `contact`, `limit`
export const GET = withSecretKey(async (request, { db, workspace, params }) => {
  const query = matchListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const monitor = await requireMonitor(db, workspace.id, String(params.id));
  const contactId = query.contact ? await requireContactIdByRef(db, workspace.id, query.contact) : undefined;
  const rows = await listMatches(db, workspace.id, { monitorId: monitor.id, contactId, limit: query.limit });
  return { data: rows.map(matchJson) };
});
