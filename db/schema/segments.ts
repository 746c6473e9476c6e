import { sql } from "drizzle-orm";
import {
  bigint,
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
import { createdAt, users, workspaces } from "./accounts";
import type { Json } from "./customer-data";
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
      /** Absent on rules saved before it was recorded. */
      clock?: { events: Array<{ event: string; days: number }>; segments: Array<{ segment: string; days: number }>; daysAgo: boolean };
    }>(),
    memberCount: integer("member_count").notNull().default(0),
    computedAt: timestamp("computed_at", { withTimezone: true }),
    /** Up to when the clock's effect on event and membership windows has been followed. */
    clockCheckedAt: timestamp("clock_checked_at", { withTimezone: true }),
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
