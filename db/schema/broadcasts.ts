import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, users, workspaces } from "./accounts";
import { channelEnum } from "./messages";
// ── Broadcasts ─────────────────────────────────────────────────────────────────
// A one-off send to an audience: the recipients are a snapshot taken when sending starts,
// queued as messages page by page (broadcast.fanout), each under an idempotency key per
// (broadcast, contact), so a restarted fan-out never messages anyone twice.

export const broadcastStatuses = ["draft", "scheduled", "sending", "paused", "sent", "cancelled"] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];
export const broadcastStatusEnum = pgEnum("broadcast_status", broadcastStatuses);

/** now: when Send is pressed; at: one instant; local: a wall-clock time in each contact's timezone. */
export const scheduleKinds = ["now", "at", "local"] as const;
export type ScheduleKind = (typeof scheduleKinds)[number];

export interface BroadcastAudience {
  /** Segments and static lists whose current members are in. */
  include: string[];
  /** Segments and static lists whose current members are out, even when included. */
  exclude: string[];
}

export const abMetrics = ["opens", "clicks", "conversion"] as const;
export type AbMetric = (typeof abMetrics)[number];

export interface AbTestSettings {
  /** split: every recipient gets a variant by weight; winner: a test on part of the audience, then the winner to the rest. */
  mode: "split" | "winner";
  /** winner mode: the share of the audience in the test, in percent. */
  testPercent?: number;
  metric?: AbMetric;
  /** winner mode: hours after the test's sends start that the winner is chosen. */
  waitHours?: number;
}

export interface ConversionSettings {
  /** The event that counts as converted (e.g. "Order Completed"). */
  event: string;
  /** The event property read as revenue. */
  revenueProperty: string;
  /** Hours after the message was sent that an event still counts. */
  windowHours: number;
}

export interface WinnerDecision {
  metric: AbMetric;
  /** Per variant: the metric's count and the recipients it is a share of. */
  variants: Record<string, { successes: number; trials: number; rate: number }>;
  /** The two-proportion test of the winner against the runner-up. */
  pValue: number | null;
  significant: boolean;
}

export const broadcasts = pgTable(
  "broadcasts",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    status: broadcastStatusEnum("status").notNull().default("draft"),
    channel: channelEnum("channel").notNull(),
    templateId: uuid("template_id").notNull(),
    /** Null while a draft: the template's newest version, pinned when sending starts. */
    templateVersion: integer("template_version"),
    /** Overrides the template's topic for consent; null: the template's. */
    topicId: uuid("topic_id"),
    audience: jsonb("audience").$type<BroadcastAudience>().notNull(),
    scheduleKind: text("schedule_kind").$type<ScheduleKind>().notNull().default("now"),
    /** at: when to send. local: the earliest moment any timezone reaches the local time. */
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    /** local: "YYYY-MM-DDTHH:MM", read in each contact's timezone. */
    localTime: text("local_time"),
    /** local: the zone for contacts without one (the workspace's when null). */
    fallbackTimezone: text("fallback_timezone"),
    /** At most this many messages a minute (per timezone for local sends); null: as fast as the workers go. */
    throttlePerMinute: integer("throttle_per_minute"),
    abTest: jsonb("ab_test").$type<AbTestSettings | null>(),
    conversion: jsonb("conversion").$type<ConversionSettings | null>(),

    recipientCount: integer("recipient_count"),
    snapshotAt: timestamp("snapshot_at", { withTimezone: true }),
    /** The last recipient seq queued as a message: the fan-out's keyset cursor. */
    fanoutCursor: bigint("fanout_cursor", { mode: "number" }).notNull().default(0),
    /** The fan-out that holds the broadcast, and until when (a dead one's lease runs out). */
    fanoutOwner: text("fanout_owner"),
    fanoutLeaseUntil: timestamp("fanout_lease_until", { withTimezone: true }),
    fannedOutAt: timestamp("fanned_out_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    /** winner mode: when the test's winner is chosen. */
    testEndsAt: timestamp("test_ends_at", { withTimezone: true }),
    winnerVariant: text("winner_variant"),
    winnerChosenAt: timestamp("winner_chosen_at", { withTimezone: true }),
    winnerDecision: jsonb("winner_decision").$type<WinnerDecision | null>(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("broadcasts_recent_idx").on(t.workspaceId, t.createdAt.desc(), t.id.desc())],
);

/** An A/B variant: its own content (template and version), subject or sender. Keys A…E. */
export const broadcastVariants = pgTable(
  "broadcast_variants",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    broadcastId: uuid("broadcast_id").notNull(),
    key: text("key").notNull(),
    /** Share of the (test) audience, in percent. */
    weight: integer("weight").notNull(),
    templateId: uuid("template_id").notNull(),
    templateVersion: integer("template_version"),
    subject: text("subject"),
    fromName: text("from_name"),
    fromEmail: text("from_email"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.broadcastId, t.key] })],
);

export const recipientPhases = ["all", "test", "rest"] as const;
export type RecipientPhase = (typeof recipientPhases)[number];

// The audience as it was when sending started, numbered: seq is the fan-out's cursor, so a
// restarted fan-out goes on after the last page it committed.
export const broadcastRecipients = pgTable(
  "broadcast_recipients",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    broadcastId: uuid("broadcast_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    contactId: uuid("contact_id").notNull(),
    variant: text("variant"),
    phase: text("phase").$type<RecipientPhase>().notNull().default("all"),
    /** Local-time schedules and throttling: not before this moment. */
    sendAfter: timestamp("send_after", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.broadcastId, t.seq] })],
);

export type Broadcast = typeof broadcasts.$inferSelect;
export type BroadcastVariant = typeof broadcastVariants.$inferSelect;
export type BroadcastRecipient = typeof broadcastRecipients.$inferSelect;
