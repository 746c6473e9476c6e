import { readJson, withSecretKey } from "@/lib/api/handler";
import { journeyJson } from "@/lib/journeys/api";
import { deleteJourney, requireJourney, updateJourney } from "@/lib/journeys/manage";
import { journeyPatchSchema } from "@/lib/validation/journeys";

// GET /api/v1/journeys/:id: the journey with its draft graph
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return journeyJson(await requireJourney(db, workspace.id, String(params.id)), { graph: true });
});

// PATCH /api/v1/journeys/:id: save the draft (name, description, graph); an active journey runs its published version until the next publish
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = journeyPatchSchema.parse(await readJson(request));
  return journeyJson(await updateJourney(db, workspace.id, String(params.id), patch), { graph: true });
});

// DELETE /api/v1/journeys/:id: a journey never published only (409 after a publish: archive it instead)
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  const journey = await requireJourney(db, workspace.id, String(params.id));
  await deleteJourney(db, workspace.id, journey.id);
  return { deleted: true, id: journey.id };
});
