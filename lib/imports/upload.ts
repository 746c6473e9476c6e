import Papa from "papaparse";
import { and, eq, gte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { importChunks, imports, type Import } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { completePrefixLength, detectEncoding, type FileEncoding } from "./encoding";
import { chunkBytes, maxFileBytes } from "./limits";
import { readRecords } from "./reader";
import { isUuid } from "@/lib/uuid";

/** Bytes needed before the encoding is guessed (a byte order mark, or enough text to tell UTF-8 from GBK). */
const detectionBytes = 64 * 1024;

export async function createImport(
  db: Db,
  params: { workspaceId: string; userId: string; fileName: string; sizeBytes: number },
): Promise<Import> {
  if (params.sizeBytes > maxFileBytes) throw fileTooLarge();
  const [created] = await db
    .insert(imports)
    .values({
      workspaceId: params.workspaceId,
      createdBy: params.userId,
      fileName: params.fileName,
      sizeBytes: params.sizeBytes,
    })
    .returning();
  return created;
}

function fileTooLarge() {
  return new AppError("payload_too_large", `The file is larger than ${maxFileBytes / 1024 / 1024} MB; split it into smaller files.`);
}

export async function findImport(db: Db, workspaceId: string, importId: string): Promise<Import | undefined> {
  if (!isUuid(importId)) return undefined;
  const [found] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, importId)));
  return found;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

// Writes the decoded text as ~1 MB chunks while the body streams in, so a part never sits
// whole in memory. Chunks past the committed count are strays of an interrupted attempt.
export async function appendPart(
  db: Db,
  params: { workspaceId: string; importId: string; offset: number; last: boolean; body: ReadableStream<Uint8Array> | null },
): Promise<Import> {
  const found = await findImport(db, params.workspaceId, params.importId);
  if (!found) throw new AppError("not_found", "No such import.");
  if (found.status !== "uploading") throw new AppError("conflict", "This file is already uploaded.");
  if (params.offset !== found.uploadedBytes) {
    throw new AppError("conflict", `Expected the part at byte ${found.uploadedBytes}.`, { expectedOffset: found.uploadedBytes });
  }
  await db
    .delete(importChunks)
    .where(
      and(
        eq(importChunks.workspaceId, params.workspaceId),
        eq(importChunks.importId, params.importId),
        gte(importChunks.seq, found.chunkCount),
      ),
    );

  let encoding = found.encoding as FileEncoding | null;
  let decoder = encoding ? new TextDecoder(encoding, { ignoreBOM: true }) : undefined;
  let carry: Uint8Array = Uint8Array.from(Buffer.from(found.uploadTail, "base64"));
  let received = 0;
  let seq = found.chunkCount;
  let text = "";
  let textBytes = 0;

  const flush = async () => {
    if (text.length === 0 && textBytes === 0) return;
    // Postgres text cannot hold NUL; a CSV has no business containing one.
    const content = text.includes("\u0000") ? text.replaceAll("\u0000", "") : text;
    await db.insert(importChunks).values({
      workspaceId: params.workspaceId,
      importId: params.importId,
      seq,
      content,
      byteCount: textBytes,
    });
    seq++;
    text = "";
    textBytes = 0;
  };

  const decode = async (final: boolean) => {
    if (!encoding) {
      if (!final && carry.length < detectionBytes) return;
      const detected = detectEncoding(carry);
      encoding = detected.encoding;
      decoder = new TextDecoder(encoding, { ignoreBOM: true });
      // Until the encoding is known nothing is decoded, so the carry still starts at byte 0.
      if (detected.bomLength > 0) {
        carry = carry.subarray(detected.bomLength);
        textBytes += detected.bomLength;
      }
    }
    const complete = final ? carry.length : completePrefixLength(carry, encoding);
    if (complete > 0) {
      text += decoder!.decode(carry.subarray(0, complete));
      textBytes += complete;
      carry = carry.subarray(complete);
    }
    if (textBytes >= chunkBytes) await flush();
  };

  if (params.body) {
    const reader = params.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (found.uploadedBytes + received > maxFileBytes) {
        await reader.cancel();
        throw fileTooLarge();
      }
      if (found.uploadedBytes + received > found.sizeBytes) {
        await reader.cancel();
        throw new AppError("bad_request", `The file has more bytes than the ${found.sizeBytes} announced.`);
      }
      carry = concat(carry, value);
      await decode(false);
    }
  }
  const uploadedBytes = found.uploadedBytes + received;
  if (params.last && uploadedBytes !== found.sizeBytes) {
    throw new AppError("bad_request", `The upload ended at byte ${uploadedBytes} of ${found.sizeBytes}.`);
  }
  await decode(params.last);
  await flush();

  const [updated] = await db
    .update(imports)
    .set({
      uploadedBytes,
      chunkCount: seq,
      encoding,
      uploadTail: Buffer.from(carry).toString("base64"),
    })
    .where(
      and(
        eq(imports.workspaceId, params.workspaceId),
        eq(imports.id, params.importId),
        eq(imports.uploadedBytes, found.uploadedBytes),
        eq(imports.status, "uploading"),
      ),
    )
    .returning();
  if (!updated) throw new AppError("conflict", "Another upload of this file is in progress.");
  return params.last ? finishUpload(db, updated) : updated;
}

// Reads the file's shape from its first chunk: the delimiter and line break papaparse guesses,
// and the header row. A file without one fails here, before anyone maps columns.
async function finishUpload(db: Db, upload: Import): Promise<Import> {
  const where = and(eq(imports.workspaceId, upload.workspaceId), eq(imports.id, upload.id));
  const [first] = await db
    .select({ content: importChunks.content })
    .from(importChunks)
    .where(and(eq(importChunks.workspaceId, upload.workspaceId), eq(importChunks.importId, upload.id), eq(importChunks.seq, 0)));
  const sample = (first?.content ?? "").slice(0, 64 * 1024);
  if (!sample.trim()) {
    await db.update(imports).set({ status: "failed", error: "empty_file", finishedAt: new Date() }).where(where);
    throw new AppError("bad_request", "The file is empty.");
  }
  const guessed = Papa.parse<string[]>(sample, { preview: 10 });
  const delimiter = guessed.meta.delimiter || ",";
  const linebreak = guessed.meta.linebreak || "\n";
  let columns: string[] = [];
  for await (const record of readRecords(db, { ...upload, delimiter, linebreak }, { seq: 0, offset: 0, row: 0 })) {
    columns = record.cells.map((cell) => cell.trim());
    break;
  }
  const [ready] = await db
    .update(imports)
    .set({ status: "draft", delimiter, linebreak, columns })
    .where(where)
    .returning();
  return ready;
}
