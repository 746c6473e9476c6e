import { and, asc, desc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { importErrors, imports, users, type Import } from "@/db/schema";

/** Past and current imports of a workspace, newest first. */
export async function listImports(db: Db, workspaceId: string, limit = 50) {
  return db
    .select({
      id: imports.id,
      fileName: imports.fileName,
      status: imports.status,
      sizeBytes: imports.sizeBytes,
      processedRows: imports.processedRows,
      createdCount: imports.createdCount,
      updatedCount: imports.updatedCount,
      unchangedCount: imports.unchangedCount,
      skippedCount: imports.skippedCount,
      errorCount: imports.errorCount,
      createdAt: imports.createdAt,
      createdBy: users.email,
    })
    .from(imports)
    .leftJoin(users, eq(users.id, imports.createdBy))
    .where(eq(imports.workspaceId, workspaceId))
    .orderBy(desc(imports.createdAt))
    .limit(limit);
}

export interface ImportStatusView {
  id: string;
  fileName: string;
  status: Import["status"];
  /** 0..1 of the file read. */
  progress: number;
  processedRows: number;
  totalRows: number | null;
  counts: { created: number; updated: number; unchanged: number; skipped: number; errors: number };
  matchKey: Import["matchKey"];
  onExisting: Import["onExisting"];
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What the progress screen polls. */
export function statusView(found: Import): ImportStatusView {
  const progress =
    found.status === "done" ? 1 : found.sizeBytes > 0 ? Math.min(1, found.processedBytes / found.sizeBytes) : 0;
  return {
    id: found.id,
    fileName: found.fileName,
    status: found.status,
    progress,
    processedRows: found.processedRows,
    totalRows: found.totalRows,
    counts: {
      created: found.createdCount,
      updated: found.updatedCount,
      unchanged: found.unchangedCount,
      skipped: found.skippedCount,
      errors: found.errorCount,
    },
    matchKey: found.matchKey,
    onExisting: found.onExisting,
    error: found.error,
    startedAt: found.startedAt?.toISOString() ?? null,
    finishedAt: found.finishedAt?.toISOString() ?? null,
  };
}

/** Bad rows in row order, keyset-paged on the row number. */
export async function listImportErrors(db: Db, params: { workspaceId: string; importId: string; afterRow?: number; limit?: number }) {
  return db
    .select({ row: importErrors.rowNumber, reason: importErrors.reason, details: importErrors.details, raw: importErrors.raw })
    .from(importErrors)
    .where(
      and(
        eq(importErrors.workspaceId, params.workspaceId),
        eq(importErrors.importId, params.importId),
        gt(importErrors.rowNumber, params.afterRow ?? 0),
      ),
    )
    .orderBy(asc(importErrors.rowNumber))
    .limit(Math.min(params.limit ?? 100, 1000));
}
