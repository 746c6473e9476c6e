import { withSecretKey } from "@/lib/api/handler";
import { broadcastStatsJson } from "@/lib/broadcasts/api";
import { requireBroadcast } from "@/lib/broadcasts/manage";
import { broadcastStats } from "@/lib/broadcasts/stats";

// GET /api/v1/broadcasts/:id/stats: progress, totals, rates, variants with their tests, top links, hourly timeline
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const broadcast = await requireBroadcast(db, workspace.id, String(params.id));
  return broadcastStatsJson(broadcast, await broadcastStats(db, broadcast));
});
