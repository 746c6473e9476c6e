import { readJson, withSecretKey } from "@/lib/api/handler";
import { journeyJson } from "@/lib/journeys/api";
import { createJourney, listJourneys } from "@/lib/journeys/manage";
import { journeyCreateSchema, journeyListQuerySchema } from "@/lib/validation/journeys";

// GET /api/v1/journeys: every journey, last changed first, with how many contacts are in it, entered and converted; `status` filters
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = journeyListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const rows = await listJourneys(db, workspace.id, query);
  return { data: rows.map((row) => journeyJson(row, { counts: row })) };
});

// POST /api/v1/journeys: create a draft (a trigger-only graph unless one is given); nothing runs until publish
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = journeyCreateSchema.parse(await readJson(request));
  const journey = await createJourney(db, workspace.id, body);
  return Response.json(journeyJson(journey, { graph: true }), { status: 201 });
});
