import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { attributeDefinitions, importChunks, importErrors, imports, type Import } from "@/db/schema";
import { applyBatch, ImportRace, type BatchOutcome } from "./apply";
import { batchRows, storedErrorCap } from "./limits";
import { importSettingsSchema, type CatalogueEntry } from "./mapping";
import { readRecords, type Position } from "./reader";
import { buildPlan, convertRecord, isBlank, type BadRow, type ImportPlan, type ImportRow } from "./rows";

export type RunResult = "done" | "paused" | "superseded" | "failed" | "not_runnable";

export interface RunOptions {
  /** Stop after the batch that passes this many milliseconds; the caller queues the rest. */
  budgetMs?: number;
  batchSize?: number;
  /** Called after each committed batch (tests use it to simulate a crash). */
  afterBatch?: (processedRows: number) => Promise<void> | void;
}

/** Another runner moved the import on (a duplicate or retried job): this one stops. */
class Superseded extends Error {}

async function loadCatalogue(db: Db, workspaceId: string): Promise<Map<string, CatalogueEntry>> {
  const rows = await db
    .select({ key: attributeDefinitions.key, type: attributeDefinitions.type, declared: attributeDefinitions.declared })
    .from(attributeDefinitions)
    .where(eq(attributeDefinitions.workspaceId, workspaceId));
  return new Map(rows.map((row) => [row.key, { type: row.type, declared: row.declared }]));
}

// New attributes enter the catalogue with the type chosen in the mapping, as declared (a person
// chose it); attributes already there keep theirs.
async function declareNewAttributes(db: Db, workspaceId: string, plan: ImportPlan, catalogue: Map<string, CatalogueEntry>) {
  const fresh = plan.attributes.filter((column) => !catalogue.has(column.key));
  if (fresh.length === 0) return;
  await db
    .insert(attributeDefinitions)
    .values(fresh.map((column) => ({ workspaceId, key: column.key, type: column.type, declared: true, label: column.header })))
    .onConflictDoNothing();
}

export async function markFailed(db: Db, workspaceId: string, importId: string, error: string): Promise<void> {
  await db
    .update(imports)
    .set({ status: "failed", error, finishedAt: new Date() })
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId), sql`${imports.status} in ('queued', 'running')`));
}

interface Pending {
  rows: ImportRow[];
  bad: BadRow[];
  cells: Map<number, string[]>;
  from: Position;
  to: Position;
  progress: number;
  count: number;
}

// Imports the file from the last committed record. Each batch commits its contacts, its bad
// rows, its counters and the resume point in one transaction, so a crash or retry at any
// moment repeats no row and skips none.
export async function runImport(db: Db, workspaceId: string, importId: string, options: RunOptions = {}): Promise<RunResult> {
  const deadline = options.budgetMs === undefined ? Infinity : Date.now() + options.budgetMs;
  const size = options.batchSize ?? batchRows;
  const where = and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId));
  const [current] = await db.select().from(imports).where(where);
  if (!current || (current.status !== "queued" && current.status !== "running")) return "not_runnable";
  const settings = importSettingsSchema.safeParse(current.mapping);
  if (!settings.success || !current.columns) {
    await markFailed(db, workspaceId, importId, "invalid_mapping");
    return "failed";
  }
  let catalogue = await loadCatalogue(db, workspaceId);
  await declareNewAttributes(db, workspaceId, buildPlan(settings.data, current.columns, catalogue), catalogue);
  catalogue = await loadCatalogue(db, workspaceId);
  const plan = buildPlan(settings.data, current.columns, catalogue);
  if (current.status === "queued") {
    await db.update(imports).set({ status: "running", startedAt: sql`coalesce(${imports.startedAt}, now())` }).where(where);
  }

  let position: Position = { seq: current.cursorSeq, offset: current.cursorOffset, row: current.cursorRow };
  const fresh = (): Pending => ({ rows: [], bad: [], cells: new Map(), from: position, to: position, progress: 0, count: 0 });
  let pending = fresh();
  try {
    for await (const record of readRecords(db, current, position)) {
      pending.to = record.next;
      pending.progress = record.progress;
      if (record.row > 1 && !isBlank(record.cells)) {
        pending.count++;
        if (record.problem) {
          pending.bad.push({ row: record.row, reason: "malformed", details: { message: record.problem }, raw: record.cells });
        } else {
          const converted = convertRecord(plan, record.cells, record.row);
          if ("reason" in converted) pending.bad.push(converted);
          else {
            pending.rows.push(converted);
            pending.cells.set(record.row, record.cells);
          }
        }
      }
      if (pending.count >= size) {
        await commit(db, current, plan, pending, false);
        position = pending.to;
        await options.afterBatch?.(await processedRows(db, workspaceId, importId));
        pending = fresh();
        if (Date.now() > deadline) return "paused";
        // The embedded database answers in microtasks, so without this a long import would keep
        // the event loop to itself and the web server in the same process would stop answering.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await commit(db, current, plan, pending, true);
    return "done";
  } catch (error) {
    if (error instanceof Superseded) return "superseded";
    throw error;
  }
}

async function processedRows(db: Db, workspaceId: string, importId: string): Promise<number> {
  const [row] = await db
    .select({ processed: imports.processedRows })
    .from(imports)
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)));
  return row?.processed ?? 0;
}

async function commit(db: Db, file: Import, plan: ImportPlan, pending: Pending, last: boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction((tx) => commitOnce(tx, file, plan, pending, last));
      return;
    } catch (error) {
      if (!(error instanceof ImportRace) || attempt >= 3) throw error;
    }
  }
}

async function commitOnce(tx: Db, file: Import, plan: ImportPlan, pending: Pending, last: boolean): Promise<void> {
  const where = and(eq(imports.workspaceId, file.workspaceId), eq(imports.id, file.id));
  // The row lock orders runners of one import; the cursor check makes a stale one stop.
  const [locked] = await queryRows<{ cursor_seq: number; cursor_offset: number; cursor_row: number; status: string; error_count: number }>(
    tx,
    sql`select cursor_seq, cursor_offset, cursor_row, status, error_count from imports
        where workspace_id = ${file.workspaceId} and id = ${file.id} for update`,
  );
  if (
    !locked ||
    locked.status !== "running" ||
    locked.cursor_seq !== pending.from.seq ||
    locked.cursor_offset !== pending.from.offset ||
    locked.cursor_row !== pending.from.row
  ) {
    throw new Superseded();
  }
  const outcome: BatchOutcome = await applyBatch(tx, file.workspaceId, plan, pending.rows);
  for (const bad of outcome.bad) bad.raw = pending.cells.get(bad.row) ?? [];
  const bad = [...pending.bad, ...outcome.bad].sort((a, b) => a.row - b.row);
  const room = Math.max(0, storedErrorCap - locked.error_count);
  if (room > 0 && bad.length > 0) {
    await tx
      .insert(importErrors)
      .values(
        bad.slice(0, room).map((row) => ({
          workspaceId: file.workspaceId,
          importId: file.id,
          rowNumber: row.row,
          reason: row.reason,
          details: row.details,
          raw: row.raw,
        })),
      )
      .onConflictDoNothing();
  }
  const processedBytes = Math.round(pending.progress * file.sizeBytes);
  await tx
    .update(imports)
    .set({
      cursorSeq: pending.to.seq,
      cursorOffset: pending.to.offset,
      cursorRow: pending.to.row,
      processedBytes: last ? file.sizeBytes : sql`greatest(${imports.processedBytes}, ${processedBytes})`,
      processedRows: sql`${imports.processedRows} + ${pending.count}`,
      createdCount: sql`${imports.createdCount} + ${outcome.created}`,
      updatedCount: sql`${imports.updatedCount} + ${outcome.updated}`,
      unchangedCount: sql`${imports.unchangedCount} + ${outcome.unchanged}`,
      skippedCount: sql`${imports.skippedCount} + ${outcome.skipped}`,
      errorCount: sql`${imports.errorCount} + ${bad.length}`,
      ...(last
        ? { status: "done" as const, totalRows: sql`${imports.processedRows} + ${pending.count}`, finishedAt: new Date() }
        : {}),
    })
    .where(where);
  if (last) {
    // The file is no longer needed; the bad rows keep their cells for the errors download.
    await tx.delete(importChunks).where(and(eq(importChunks.workspaceId, file.workspaceId), eq(importChunks.importId, file.id)));
    await tx
      .update(attributeDefinitions)
      .set({ lastSeenAt: new Date() })
      .where(
        and(
          eq(attributeDefinitions.workspaceId, file.workspaceId),
          sql`${attributeDefinitions.key} in (select jsonb_array_elements_text(${JSON.stringify(plan.attributes.map((column) => column.key))}::jsonb))`,
        ),
      );
  }
}
