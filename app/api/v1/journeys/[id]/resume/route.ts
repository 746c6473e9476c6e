import { withSecretKey } from "@/lib/api/handler";
import { journeyJson } from "@/lib/journeys/api";
import { resumeJourney } from "@/lib/journeys/manage";

// POST /api/v1/journeys/:id/resume: a paused journey runs again from where each contact was (409 in any other state)
export const POST = withSecretKey(async (_request, { db, workspace, params }) => {
  return journeyJson(await resumeJourney(db, workspace.id, String(params.id)), { graph: true });
});
