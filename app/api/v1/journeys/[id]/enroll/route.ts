import { readJson, withSecretKey } from "@/lib/api/handler";
import { enrollByRefs } from "@/lib/journeys/api";
import { requireJourney } from "@/lib/journeys/manage";
import { journeyEnrollSchema } from "@/lib/validation/journeys";

// POST /api/v1/journeys/:id/enroll: enter up to 1,000 contacts (ids, email:…, external_id:…) into an active journey; references that find nobody are listed, not fatal
export const POST = withSecretKey(async (request, { db, workspace, params }) => {
  const body = journeyEnrollSchema.parse(await readJson(request));
  const journey = await requireJourney(db, workspace.id, String(params.id));
  return enrollByRefs(db, journey, body);
});
