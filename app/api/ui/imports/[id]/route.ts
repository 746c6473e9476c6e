import { z } from "zod";
import { withSession } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { listImportErrors, statusView } from "@/lib/imports/queries";
import { findImport } from "@/lib/imports/upload";

// GET /api/ui/imports/:id?workspace=ID: progress and counts (polled by the progress screen);
// once finished, the first 100 bad rows
export const GET = withSession("viewer", async (_request, { db, workspace, params }) => {
  const importId = z.uuid().safeParse(params.id);
  const found = importId.success ? await findImport(db, workspace.id, importId.data) : undefined;
  if (!found) throw new AppError("not_found", "No such import.");
  const finished = found.status === "done" || found.status === "failed";
  const errors =
    finished && found.errorCount > 0
      ? (await listImportErrors(db, { workspaceId: workspace.id, importId: found.id, limit: 100 })).map(({ row, reason, details }) => ({
          row,
          reason,
          details,
        }))
      : [];
  return Response.json({ ...statusView(found), errors }, { headers: { "cache-control": "no-store" } });
});
