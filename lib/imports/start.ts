import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { imports, type Import } from "@/db/schema";
import { enqueue } from "@/jobs/boss";
import { importCsv } from "@/jobs/import-csv";
import { AppError } from "@/lib/errors";
import type { ImportSettings } from "./mapping";

// Records the mapping and queues the job in one transaction: a queued import always has its job.
export async function startImport(db: Db, workspaceId: string, importId: string, settings: ImportSettings): Promise<Import> {
  return db.transaction(async (tx) => {
    const [draft] = await tx
      .select()
      .from(imports)
      .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)))
      .for("update");
    if (!draft) throw new AppError("not_found", "No such import.");
    if (draft.status !== "draft") throw new AppError("conflict", "This import has already started.");
    const width = draft.columns?.length ?? 0;
    const outside = settings.columns.find((column) => column.index >= width);
    if (outside) throw new AppError("validation_failed", `The file has no column ${outside.index + 1}.`);
    const [queued] = await tx
      .update(imports)
      .set({ status: "queued", mapping: settings, matchKey: settings.matchKey, onExisting: settings.onExisting })
      .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)))
      .returning();
    await enqueue(importCsv, { workspaceId, importId }, { tx });
    return queued;
  });
}
