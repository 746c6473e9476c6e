import { z } from "zod";
import { readJson, withSession } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { importSettingsSchema } from "@/lib/imports/mapping";
import { startImport } from "@/lib/imports/start";

// POST /api/ui/imports/:id/start?workspace=ID: the mapping, match key and update-or-skip; queues import.csv
export const POST = withSession("marketer", async (request, { db, workspace, params }) => {
  const importId = z.uuid().safeParse(params.id);
  if (!importId.success) throw new AppError("not_found", "No such import.");
  const settings = importSettingsSchema.parse(await readJson(request, 256 * 1024));
  const queued = await startImport(db, workspace.id, importId.data, settings);
  return { id: queued.id, status: queued.status };
});
