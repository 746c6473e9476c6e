import { withSecretKey } from "@/lib/api/handler";
import { journeyJson } from "@/lib/journeys/api";
import { archiveJourney } from "@/lib/journeys/manage";

// POST /api/v1/journeys/:id/archive: stop for good: contacts still in it leave (exited, archived); its history stays
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  return journeyJson(await archiveJourney(db, workspace.id, String(params.id)), { graph: true });
});
