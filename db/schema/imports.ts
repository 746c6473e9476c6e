import {
  bigint,
  foreignKey,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  index,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, users, workspaces } from "./accounts";
import type { Json, JsonObject } from "./customer-data";
// ── Imports ────────────────────────────────────────────────────────────────────
// A CSV import lives entirely in the database (serverless hosts have no disk): the file as
// ~1 MB chunks of UTF-8 text, the job's resume point, its counters and the bad rows.

export const importStatuses = ["uploading", "draft", "queued", "running", "done", "failed"] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const importStatusEnum = pgEnum("import_status", importStatuses);

export const imports = pgTable(
  "imports",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    fileName: text("file_name").notNull(),
    /** The size the uploader announced; the upload is complete when this many bytes arrived. */
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    status: importStatusEnum("status").notNull().default("uploading"),
    /** The file's encoding, detected from the first bytes; chunks are stored as UTF-8 text. */
    encoding: text("encoding"),
    uploadedBytes: bigint("uploaded_bytes", { mode: "number" }).notNull().default(0),
    chunkCount: integer("chunk_count").notNull().default(0),
    /** Bytes of a character cut by the end of an upload part (base64), decoded with the next part. */
    uploadTail: text("upload_tail").notNull().default(""),
    delimiter: text("delimiter"),
    linebreak: text("linebreak"),
    /** The header row, as written in the file. */
    columns: jsonb("columns").$type<string[]>(),
    mapping: jsonb("mapping").$type<Json>(),
    matchKey: text("match_key").$type<"email" | "external_id">(),
    onExisting: text("on_existing").$type<"update" | "skip">(),
    // Resume point: the chunk and character where the next unread record starts, and that
    // record's number (the header is record 1), committed with each batch.
    cursorSeq: integer("cursor_seq").notNull().default(0),
    cursorOffset: integer("cursor_offset").notNull().default(0),
    cursorRow: integer("cursor_row").notNull().default(0),
    processedBytes: bigint("processed_bytes", { mode: "number" }).notNull().default(0),
    totalRows: integer("total_rows"),
    processedRows: integer("processed_rows").notNull().default(0),
    createdCount: integer("created_count").notNull().default(0),
    updatedCount: integer("updated_count").notNull().default(0),
    unchangedCount: integer("unchanged_count").notNull().default(0),
    skippedCount: integer("skipped_count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    error: text("error"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("imports_recent_idx").on(t.workspaceId, t.createdAt.desc())],
);

export const importChunks = pgTable(
  "import_chunks",
  {
    workspaceId: uuid("workspace_id").notNull(),
    importId: uuid("import_id").notNull(),
    seq: integer("seq").notNull(),
    content: text("content").notNull(),
    /** How many bytes of the uploaded file this text came from (for the progress bar). */
    byteCount: integer("byte_count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.importId, t.seq] }),
    foreignKey({ columns: [t.workspaceId, t.importId], foreignColumns: [imports.workspaceId, imports.id] }).onDelete("cascade"),
  ],
);

// The first 10,000 bad rows of an import (error_count has them all), with the cells as read.
export const importErrors = pgTable(
  "import_errors",
  {
    workspaceId: uuid("workspace_id").notNull(),
    importId: uuid("import_id").notNull(),
    rowNumber: integer("row_number").notNull(),
    /** A code (invalid_email, wrong_type, missing_match_key, …); `details` fills in its message. */
    reason: text("reason").notNull(),
    details: jsonb("details").$type<JsonObject>().notNull().default({}),
    raw: jsonb("raw").$type<string[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.importId, t.rowNumber] }),
    foreignKey({ columns: [t.workspaceId, t.importId], foreignColumns: [imports.workspaceId, imports.id] }).onDelete("cascade"),
  ],
);

export type Import = typeof imports.$inferSelect;
export type ImportError = typeof importErrors.$inferSelect;
