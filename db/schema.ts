import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  foreignKey,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  index,
  uuid,
} from "drizzle-orm/pg-core";

export const roles = ["owner", "admin", "marketer", "viewer"] as const;
export type Role = (typeof roles)[number];
export const roleEnum = pgEnum("member_role", roles);
export const apiKeyKindEnum = pgEnum("api_key_kind", ["write", "secret"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name"),
    passwordHash: text("password_hash"),
    locale: text("locale"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  timezone: text("timezone").notNull().default("UTC"),
  createdAt: createdAt(),
});

export const members = pgTable(
  "members",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("members_user_idx").on(t.userId)],
);

export const invites = pgTable(
  "invites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("invites_workspace_idx").on(t.workspaceId)],
);

// Write keys are public (they ship in web pages), so the token is kept to show again;
// secret keys are stored only as a hash and shown once.
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: apiKeyKindEnum("kind").notNull(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    publicToken: text("public_token"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_workspace_idx").on(t.workspaceId, t.kind)],
);

export type User = typeof users.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
export type Member = typeof members.$inferSelect;
export type Invite = typeof invites.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type ApiKeyKind = ApiKey["kind"];

// Instance-wide secrets generated on first use (the session-signing key when AUTH_SECRET
// is unset), so every web instance and worker on this database agrees on them.
export const instanceSecrets = pgTable("instance_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

// ── Customer data ──────────────────────────────────────────────────────────────
// Large tables are keyed by (workspace_id, id) so they can be distributed by workspace.

export const attributeTypes = ["string", "number", "boolean", "date", "list"] as const;
export type AttributeType = (typeof attributeTypes)[number];
export const attributeTypeEnum = pgEnum("attribute_type", attributeTypes);

export const identityKinds = ["user_id", "anonymous_id", "email"] as const;
export type IdentityKind = (typeof identityKinds)[number];
export const identityKindEnum = pgEnum("identity_kind", identityKinds);

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const companies = pgTable(
  "companies",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    groupId: text("group_id").notNull(),
    name: text("name"),
    traits: jsonb("traits").$type<JsonObject>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("companies_group_key").on(t.workspaceId, t.groupId)],
);

export const contacts = pgTable(
  "contacts",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    externalId: text("external_id"),
    email: text("email"),
    phone: text("phone"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    attributes: jsonb("attributes").$type<JsonObject>().notNull().default({}),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    score: integer("score").notNull().default(0),
    lifecycleStage: text("lifecycle_stage"),
    timezone: text("timezone"),
    locale: text("locale"),
    companyId: uuid("company_id"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("contacts_external_id_key").on(t.workspaceId, t.externalId).where(sql`external_id is not null`),
    index("contacts_email_idx").on(t.workspaceId, sql`lower(email) text_pattern_ops`),
    index("contacts_name_idx").on(t.workspaceId, sql`lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) text_pattern_ops`),
    index("contacts_recent_idx").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    index("contacts_tags_idx").using("gin", t.tags),
  ],
);

// Every identifier a contact is known by. The primary key is what keeps concurrent calls
// from creating two contacts for one person.
export const contactIdentities = pgTable(
  "contact_identities",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: identityKindEnum("kind").notNull(),
    value: text("value").notNull(),
    contactId: uuid("contact_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.kind, t.value] }),
    index("contact_identities_contact_idx").on(t.workspaceId, t.contactId),
  ],
);

/** Where a merged-away contact went, so late references still find the survivor. */
export const contactMerges = pgTable(
  "contact_merges",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    fromContactId: uuid("from_contact_id").notNull(),
    intoContactId: uuid("into_contact_id").notNull(),
    mergedAt: timestamp("merged_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.fromContactId] })],
);

export const eventTypes = ["track", "identify", "page", "screen", "group", "alias"] as const;
export type EventType = (typeof eventTypes)[number];

// Append-only. A call is stored as received (durable before the reply); `event.process`
// resolves its contact and sets processed_at.
export const events = pgTable(
  "events",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    messageId: text("message_id").notNull(),
    type: text("type").$type<EventType>().notNull(),
    name: text("name"),
    contactId: uuid("contact_id"),
    userId: text("user_id"),
    anonymousId: text("anonymous_id"),
    properties: jsonb("properties").$type<JsonObject>().notNull().default({}),
    traits: jsonb("traits").$type<JsonObject>().notNull().default({}),
    context: jsonb("context").$type<JsonObject>().notNull().default({}),
    timestamp: timestamp("timestamp", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("events_message_key").on(t.workspaceId, t.messageId),
    index("events_contact_name_time_idx").on(t.workspaceId, t.contactId, t.name, t.timestamp),
    index("events_contact_time_idx").on(t.workspaceId, t.contactId, t.timestamp.desc(), t.id.desc()),
    index("events_name_time_idx").on(t.workspaceId, t.name, t.timestamp),
    index("events_unprocessed_idx").on(t.workspaceId, t.id).where(sql`processed_at is null`),
  ],
);

// The attribute catalogue: every trait key seen, with the type the segment compiler casts by.
export const attributeDefinitions = pgTable(
  "attribute_definitions",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    type: attributeTypeEnum("type").notNull(),
    /** True once a person set the type; discovery never changes a declared type. */
    declared: boolean("declared").notNull().default(false),
    label: text("label"),
    sample: jsonb("sample").$type<Json>(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
export type Company = typeof companies.$inferSelect;
export type Event = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;
export type AttributeDefinition = typeof attributeDefinitions.$inferSelect;

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

// ── Segments ───────────────────────────────────────────────────────────────────

export const segmentKinds = ["dynamic", "static"] as const;
export const segmentKindEnum = pgEnum("segment_kind", segmentKinds);

export const segments = pgTable(
  "segments",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    description: text("description"),
    kind: segmentKindEnum("kind").notNull().default("dynamic"),
    /** JSON-Logic rule (dynamic segments). */
    rule: jsonb("rule").$type<Json>(),
    /** What the rule reads (event names, attributes, fields, tags, segments, clock), for real-time checks. */
    dependencies: jsonb("dependencies").$type<{
      events: string[];
      attributes: string[];
      fields: string[];
      tags: boolean;
      segments: string[];
      timeBased: boolean;
    }>(),
    memberCount: integer("member_count").notNull().default(0),
    computedAt: timestamp("computed_at", { withTimezone: true }),
    /** Set while a full recompute runs, with what it has done so far. */
    computing: jsonb("computing").$type<{ startedAt: string } | null>(),
    error: text("error"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("segments_name_idx").on(t.workspaceId, t.name)],
);

// One row per stay in a segment: exited_at is null while the contact is a member. History is
// what `in_segment ... within_days` reads.
export const segmentMemberships = pgTable(
  "segment_memberships",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    segmentId: uuid("segment_id").notNull(),
    contactId: uuid("contact_id").notNull(),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull(),
    exitedAt: timestamp("exited_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("segment_memberships_current_key")
      .on(t.workspaceId, t.segmentId, t.contactId)
      .where(sql`exited_at is null`),
    index("segment_memberships_contact_idx").on(t.workspaceId, t.contactId, t.segmentId),
    index("segment_memberships_history_idx").on(t.workspaceId, t.segmentId, t.enteredAt),
  ],
);

/** Segment size after each change, for the size-over-time chart. */
export const segmentSizes = pgTable(
  "segment_sizes",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    segmentId: uuid("segment_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    members: integer("members").notNull(),
    entered: integer("entered").notNull(),
    exited: integer("exited").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.segmentId, t.at] })],
);

export type Segment = typeof segments.$inferSelect;
export type SegmentMembership = typeof segmentMemberships.$inferSelect;
