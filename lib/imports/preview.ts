import type { Db } from "@/db/client";
import type { Import } from "@/db/schema";
import { previewRows } from "./limits";
import { readRecords } from "./reader";
import { isBlank } from "./rows";

/** The first rows under the header, for the mapping step. */
export async function previewImport(db: Db, draft: Import): Promise<Array<{ row: number; cells: string[] }>> {
  const rows: Array<{ row: number; cells: string[] }> = [];
  for await (const record of readRecords(db, draft, { seq: 0, offset: 0, row: 0 })) {
    if (record.row === 1 || isBlank(record.cells)) continue;
    rows.push({ row: record.row, cells: record.cells });
    if (rows.length >= previewRows) break;
  }
  return rows;
}
