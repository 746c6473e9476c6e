import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
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
import { createdAt, workspaces } from "./accounts";
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
    /** Lead score: fit (attribute rules) plus engagement (behaviour rules, which decay). */
    score: integer("score").notNull().default(0),
    scoreFit: integer("score_fit").notNull().default(0),
    scoreEngagement: integer("score_engagement").notNull().default(0),
    /** The points ledger's running balance (point_balances), here for segment rules. */
    pointsBalance: integer("points_balance").notNull().default(0),
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
