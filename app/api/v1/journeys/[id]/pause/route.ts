import { withSecretKey } from "@/lib/api/handler";
import { journeyJson } from "@/lib/journeys/api";
import { pauseJourney } from "@/lib/journeys/manage";

// POST /api/v1/journeys/:id/pause: stop an active journey: nobody enters or moves until resumed (409 in any other state)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  return journeyJson(await pauseJourney(db, workspace.id, String(params.id)), { graph: true });
});
