import { withSecretKey } from "@/lib/api/handler";
import { checkListCursor } from "@/lib/broadcasts/api";
import { runJson } from "@/lib/journeys/api";
import { requireJourney } from "@/lib/journeys/manage";
import { listRuns } from "@/lib/journeys/stats";
import { runListQuerySchema } from "@/lib/validation/journeys";

// GET /api/v1/journeys/:id/runs: the contacts in the journey, newest entry first, keyset-paged; `node` (who is at it now), `status`
export const GET = withSecretKey(async (request, { db, workspace, params }) => {
  const query = runListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  checkListCursor(query.cursor);
  const journey = await requireJourney(db, workspace.id, String(params.id));
  const page = await listRuns(db, workspace.id, journey.id, { nodeId: query.node, status: query.status, limit: query.limit, cursor: query.cursor });
  return { data: page.runs.map(runJson), next_cursor: page.nextCursor };
});
