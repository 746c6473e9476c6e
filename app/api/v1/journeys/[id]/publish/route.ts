import { withSecretKey } from "@/lib/api/handler";
import { journeyJson, publishError } from "@/lib/journeys/api";
import { publishJourney } from "@/lib/journeys/manage";

// POST /api/v1/journeys/:id/publish: freeze the draft as the next version and run it (422 listing each node's problems when it cannot run)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  try {
    return journeyJson(await publishJourney(db, workspace.id, String(params.id)), { graph: true });
  } catch (error) {
    throw publishError(error);
  }
});
