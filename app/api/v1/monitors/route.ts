import { readJson, withSecretKey } from "@/lib/api/handler";
import { snakeError } from "@/lib/api/snake-paths";
import { monitorInputForCreate, monitorJson } from "@/lib/monitors/api";
import { createMonitor, listMonitors } from "@/lib/monitors/manage";
import { monitorListQuerySchema } from "@/lib/validation/monitors";

// GET /api/v1/monitors: every monitor, newest first, with its matches today and in all; `status` filters
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = monitorListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const rows = await listMonitors(db, workspace.id);
  return { data: rows.filter((row) => !query.status || row.status === query.status).map((row) => monitorJson(row, row)) };
});

// POST /api/v1/monitors: create a draft monitor, from its fields or from an `example` with the fields that differ; nothing counts until activate
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const input = monitorInputForCreate(await readJson(request));
  const monitor = await createMonitor(db, workspace.id, input).catch((error: unknown) => Promise.reject(snakeError(error)));
  return Response.json(monitorJson(monitor), { status: 201 });
});
