import { withSecretKey } from "@/lib/api/handler";
import { journeyStatsJson } from "@/lib/journeys/api";
import { requireJourney } from "@/lib/journeys/manage";
import { journeyTotals, nodeStats } from "@/lib/journeys/stats";

// GET /api/v1/journeys/:id/stats: totals by how runs ended, and each node's entered, waiting, completed, failed and converted
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const journey = await requireJourney(db, workspace.id, String(params.id));
  const [nodes, totals] = await Promise.all([nodeStats(db, workspace.id, journey.id), journeyTotals(db, workspace.id, journey.id)]);
  return journeyStatsJson(journey, nodes, totals);
});
