import Papa from "papaparse";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { importChunks } from "@/db/schema";

export interface Position {
  /** The chunk and character where the next record starts. */
  seq: number;
  offset: number;
  /** Records read before it (the header is record 1). */
  row: number;
}

export interface CsvRecord {
  cells: string[];
  /** 1-based record number, as a spreadsheet numbers rows (the header is row 1). */
  row: number;
  /** Where the record after this one starts: the resume point once this record is committed. */
  next: Position;
  /** papaparse's complaint about this record (an unclosed quote, …). */
  problem?: string;
  /** Share of the file read once this record is done, 0..1. */
  progress: number;
}

interface Segment {
  seq: number;
  start: number;
  length: number;
}

export interface ReadableImport {
  workspaceId: string;
  id: string;
  chunkCount: number;
  delimiter: string | null;
  linebreak: string | null;
}

// Streams the records of a stored file from a position, one ~1 MB chunk in memory at a time.
// papaparse's low-level parser reads each chunk with the unfinished last record held back
// (exactly what its own chunked streamer does), so a quoted field may span chunks; keeping
// the parsing here, not behind callbacks, lets the importer await each batch and know the
// exact chunk and character every record ends at, which is what a retry resumes from.
export async function* readRecords(db: Db, file: ReadableImport, from: Position): AsyncGenerator<CsvRecord> {
  let carry = "";
  let segments: Segment[] = [];
  let row = from.row;
  const delimiter = file.delimiter ?? ",";
  const newline = (file.linebreak ?? "\n") as "\n" | "\r" | "\r\n";

  for (let seq = from.seq; seq < file.chunkCount; seq++) {
    const [chunk] = await db
      .select({ content: importChunks.content })
      .from(importChunks)
      .where(and(eq(importChunks.workspaceId, file.workspaceId), eq(importChunks.importId, file.id), eq(importChunks.seq, seq)));
    if (!chunk) throw new Error(`Chunk ${seq} of import ${file.id} is missing.`);
    const start = seq === from.seq ? from.offset : 0;
    const text = start > 0 ? chunk.content.slice(start) : chunk.content;
    segments.push({ seq, start, length: text.length });
    const input = carry + text;
    const last = seq === file.chunkCount - 1;

    const parsed: Array<{ cells: string[]; end: number; problem?: string }> = [];
    const parser = new Papa.Parser({
      delimiter,
      newline,
      quoteChar: '"',
      // The low-level parser hands each step a one-row list.
      step(results: Papa.ParseResult<string[]>) {
        const problem = results.errors[0]?.message;
        parsed.push({ cells: results.data[0], end: results.meta.cursor, ...(problem ? { problem } : {}) });
      },
    });
    parser.parse(input, 0, !last);

    const chunkProgress = (position: Position) => (position.seq + position.offset / Math.max(1, chunk.content.length)) / file.chunkCount;
    for (const record of parsed) {
      row++;
      const next = locate(segments, record.end, row);
      yield { cells: record.cells, row, next, problem: record.problem, progress: last && record === parsed.at(-1) ? 1 : chunkProgress(next) };
    }
    const consumed = parsed.at(-1)?.end ?? 0;
    carry = input.slice(consumed);
    segments = trim(segments, consumed);
  }
}

/** The chunk and character of a cursor into the text made of `segments`. */
function locate(segments: Segment[], cursor: number, row: number): Position {
  let remaining = cursor;
  for (const segment of segments) {
    if (remaining < segment.length) return { seq: segment.seq, offset: segment.start + remaining, row };
    remaining -= segment.length;
  }
  const tail = segments.at(-1)!;
  // The very end of a chunk is the start of the next one.
  return { seq: tail.seq + 1, offset: 0, row };
}

function trim(segments: Segment[], consumed: number): Segment[] {
  const kept: Segment[] = [];
  let remaining = consumed;
  for (const segment of segments) {
    if (remaining >= segment.length) {
      remaining -= segment.length;
      continue;
    }
    kept.push({ seq: segment.seq, start: segment.start + remaining, length: segment.length - remaining });
    remaining = 0;
  }
  return kept;
}
