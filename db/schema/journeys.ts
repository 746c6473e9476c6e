import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, users, workspaces } from "./accounts";
import type { JsonObject } from "./customer-data";
import type { JourneyGraph } from "../../lib/journeys/graph";
// ── Journeys ───────────────────────────────────────────────────────────────────
// A journey is a graph drawn on the canvas. Publishing freezes the draft as a version; each
// contact in a journey is a run on the version it entered, moved node by node by the engine
// (lib/journeys/engine.ts). Every node a run leaves is a step row: the canvas's counts and the
// path a contact took are read from them.

export const journeyStatuses = ["draft", "active", "paused", "archived"] as const;
export type JourneyStatus = (typeof journeyStatuses)[number];
export const journeyStatusEnum = pgEnum("journey_status", journeyStatuses);

export const journeys = pgTable(
  "journeys",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    description: text("description"),
    status: journeyStatusEnum("status").notNull().default("draft"),
    /** The canvas as last saved (may be unfinished). */
    graph: jsonb("graph").$type<JourneyGraph>().notNull(),
    /** The newest published version; null until the first publish. */
    version: integer("version"),
    /** From the published version's trigger, for finding the journeys an event or segment enrols into. */
    triggerKind: text("trigger_kind"),
    triggerEvent: text("trigger_event"),
    triggerSegmentId: uuid("trigger_segment_id"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("journeys_recent_idx").on(t.workspaceId, t.updatedAt.desc(), t.id.desc()),
    index("journeys_trigger_idx").on(t.workspaceId, t.status, t.triggerKind),
  ],
);

export const journeyVersions = pgTable(
  "journey_versions",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    journeyId: uuid("journey_id").notNull(),
    version: integer("version").notNull(),
    graph: jsonb("graph").$type<JourneyGraph>().notNull(),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.journeyId, t.version] })],
);

/** active: due to move; waiting: at a delay or wait until `wait_until` or what it waits for; the rest are ended. */
export const runStatuses = ["active", "waiting", "completed", "converted", "exited", "failed"] as const;
export type RunStatus = (typeof runStatuses)[number];
export const runStatusEnum = pgEnum("journey_run_status", runStatuses);

export const journeyRuns = pgTable(
  "journey_runs",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    journeyId: uuid("journey_id").notNull(),
    version: integer("version").notNull(),
    contactId: uuid("contact_id").notNull(),
    nodeId: text("node_id").notNull(),
    /** When the run reached its current node. */
    nodeEnteredAt: timestamp("node_entered_at", { withTimezone: true }).notNull().defaultNow(),
    status: runStatusEnum("status").notNull().default("active"),
    /** When the engine next looks at the run; null when nothing is due (ended, or waiting only for an event). */
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** At a delay or wait: when it ends (the timeout branch of a wait). */
    waitUntil: timestamp("wait_until", { withTimezone: true }),
    /** At a wait: the event name or segment id it waits for. */
    waitEvent: text("wait_event"),
    waitSegmentId: uuid("wait_segment_id"),
    /** Set when what it waited for happened: the handle it leaves by. */
    resumeHandle: text("resume_handle"),
    /** Node steps taken so far: with the node, the idempotency key of a step's side effects. */
    steps: integer("steps").notNull().default(0),
    /** Runs of a journey that does not allow re-entry while in it hold the (journey, contact) slot. */
    exclusive: boolean("exclusive").notNull().default(true),
    /** What enrolled it: { source: event|segment|date|form|api|manual, event_id?, ... }, and the trigger event for personalisation. */
    entry: jsonb("entry").$type<JsonObject>().notNull().default({}),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endReason: text("end_reason"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("journey_runs_due_idx").on(t.dueAt).where(sql`status in ('active', 'waiting') and due_at is not null`),
    index("journey_runs_node_idx").on(t.workspaceId, t.journeyId, t.nodeId, t.status),
    index("journey_runs_contact_idx").on(t.workspaceId, t.contactId, t.enteredAt.desc()),
    // "Never again" re-entry asks whether a contact ever ran a journey (an anti-join at entry).
    index("journey_runs_journey_contact_idx").on(t.workspaceId, t.journeyId, t.contactId),
    index("journey_runs_wait_event_idx").on(t.workspaceId, t.contactId, t.waitEvent).where(sql`status = 'waiting' and wait_event is not null`),
    uniqueIndex("journey_runs_in_journey_key").on(t.workspaceId, t.journeyId, t.contactId).where(sql`exclusive and ended_at is null`),
    uniqueIndex("journey_runs_entry_key").on(t.workspaceId, t.journeyId, sql`(entry->>'key')`).where(sql`(entry->>'key') is not null`),
  ],
);

/** One row for every node a run left: when it arrived and left, and by which handle (or why it failed). */
export const journeySteps = pgTable(
  "journey_steps",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    journeyId: uuid("journey_id").notNull(),
    runId: uuid("run_id").notNull(),
    nodeId: text("node_id").notNull(),
    /** completed or failed. */
    outcome: text("outcome").notNull(),
    handle: text("handle"),
    detail: jsonb("detail").$type<JsonObject>(),
    arrivedAt: timestamp("arrived_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("journey_steps_node_idx").on(t.workspaceId, t.journeyId, t.nodeId),
    index("journey_steps_run_idx").on(t.workspaceId, t.runId, t.id),
  ],
);

export const taskStatuses = ["open", "done", "cancelled"] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** A human step: a sales task for a workspace member about a contact (journeys, lead scoring hand-off). */
export const tasks = pgTable(
  "tasks",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    idempotencyKey: text("idempotency_key").notNull(),
    title: text("title").notNull(),
    notes: text("notes"),
    contactId: uuid("contact_id"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status").$type<TaskStatus>().notNull().default("open"),
    source: text("source").notNull(),
    sourceId: text("source_id"),
    dueAt: timestamp("due_at", { withTimezone: true }),
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
    doneAt: timestamp("done_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("tasks_idempotency_key").on(t.workspaceId, t.idempotencyKey),
    index("tasks_assignee_idx").on(t.workspaceId, t.status, t.assigneeId, t.createdAt.desc()),
    index("tasks_contact_idx").on(t.workspaceId, t.contactId),
  ],
);

export type Journey = typeof journeys.$inferSelect;
export type JourneyVersion = typeof journeyVersions.$inferSelect;
export type JourneyRun = typeof journeyRuns.$inferSelect;
export type JourneyStep = typeof journeySteps.$inferSelect;
export type Task = typeof tasks.$inferSelect;
