import Papa from "papaparse";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { withSession } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { listImportErrors } from "@/lib/imports/queries";
import { reasonKey } from "@/lib/imports/reasons";
import { findImport } from "@/lib/imports/upload";

// GET /api/ui/imports/:id/errors?workspace=ID: the bad rows as CSV (row, reason, then the file's
// own columns as read), streamed page by page; fix them and import this file again
export const GET = withSession("viewer", async (_request, { db, workspace, params }) => {
  const importId = z.uuid().safeParse(params.id);
  const found = importId.success ? await findImport(db, workspace.id, importId.data) : undefined;
  if (!found) throw new AppError("not_found", "No such import.");
  const t = await getTranslations("imports");
  const encoder = new TextEncoder();
  let afterRow = 0;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // A byte order mark, so Excel reads Chinese text as UTF-8.
        const header = Papa.unparse([[t("errorsCsv.row"), t("errorsCsv.reason"), ...(found.columns ?? [])]]);
        controller.enqueue(encoder.encode(`\uFEFF${header}\r\n`));
        return;
      }
      const page = await listImportErrors(db, { workspaceId: workspace.id, importId: found.id, afterRow, limit: 1000 });
      if (page.length === 0) return controller.close();
      afterRow = page.at(-1)!.row;
      const lines = page.map((bad) => [String(bad.row), t(reasonKey(bad.reason), bad.details as Record<string, string>), ...bad.raw]);
      // The cells go back as they were read (a phone like +86… stays as it is), so the file can be fixed and imported again.
      controller.enqueue(encoder.encode(`${Papa.unparse(lines)}\r\n`));
    },
  });
  const name = found.fileName.replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N}._ -]+/gu, "_") || "import";
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(`${name}-errors.csv`)}`,
      "cache-control": "no-store",
    },
  });
});
