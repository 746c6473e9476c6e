import { sql } from "drizzle-orm";
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, users, workspaces } from "./accounts";
import type { Json, JsonObject } from "./customer-data";
// ── Behaviour monitors, points, coupons, lead scoring ──────────────────────────
// A monitor watches the event stream for "did X (N times, for a sum of V, on D distinct
// days…) within T" and rewards: points, a coupon, a message, a tag. It keeps a counter per
// (monitor, contact, window bucket), updated in event.process, and fires under a unique key
// per qualifying moment. Points are an append-only ledger whose running balance lives on the
// contact; coupons are codes taken one at a time with SKIP LOCKED. Lead scoring writes the
// contact's score from rules of fit (attributes) and engagement (events).

export const monitorStatuses = ["draft", "active", "paused", "archived"] as const;
export type MonitorStatus = (typeof monitorStatuses)[number];

/** count of events; sum of a numeric property; distinct values of a property ("$day": distinct local days). */
export type MonitorStatistic = "count" | "sum" | "distinct";

export type MonitorWindow =
  | { kind: "rolling"; amount: number; unit: "minutes" | "hours" | "days" }
  | { kind: "calendar"; unit: "day" | "week" | "month" }
  | { kind: "lifetime" };

export type MonitorLimit = { kind: "once" } | { kind: "once_per_window" } | { kind: "at_most"; count: number };

export type MonitorAction =
  | { type: "points"; amount: number; expiresInDays?: number | null; reason?: string | null }
  | { type: "coupon"; campaignId: string }
  | { type: "message"; templateId: string }
  | { type: "tag"; tag: string }
  | { type: "event" };

export const monitors = pgTable(
  "monitors",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status").$type<MonitorStatus>().notNull().default("draft"),
    /** The event watched, and a rule on its properties (the segment rule language, as in `performed`). */
    event: text("event").notNull(),
    where: jsonb("where").$type<Json | null>(),
    statistic: text("statistic").$type<MonitorStatistic>().notNull().default("count"),
    property: text("property"),
    /** The statistic must reach this (>=). */
    threshold: doublePrecision("threshold").notNull(),
    window: jsonb("window").$type<MonitorWindow>().notNull(),
    /** Only contacts in this segment when the event arrives count. */
    segmentId: uuid("segment_id"),
    limit: jsonb("limit").$type<MonitorLimit>().notNull(),
    activeFrom: timestamp("active_from", { withTimezone: true }),
    activeUntil: timestamp("active_until", { withTimezone: true }),
    actions: jsonb("actions").$type<MonitorAction[]>().notNull().default([]),
    /** The example it was made from, if any. */
    template: text("template"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("monitors_event_idx").on(t.workspaceId, t.status, t.event)],
);

/** The statistic of one monitor for one contact in one bucket (a minute, hour, day, week or month, or `lifetime`). */
export const monitorCounters = pgTable(
  "monitor_counters",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    monitorId: uuid("monitor_id").notNull(),
    contactId: uuid("contact_id").notNull(),
    /** The bucket's start (rolling and calendar windows); the epoch for lifetime. */
    bucket: timestamp("bucket", { withTimezone: true }).notNull(),
    value: doublePrecision("value").notNull().default(0),
    /** distinct: the values seen in the bucket. */
    distinctValues: text("distinct_values").array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.monitorId, t.contactId, t.bucket] })],
);

/** One row per time a monitor fired for a contact: the unique key is the qualifying moment. */
export const monitorMatches = pgTable(
  "monitor_matches",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    monitorId: uuid("monitor_id").notNull(),
    contactId: uuid("contact_id").notNull(),
    /** once: "once"; once per calendar window: the bucket; otherwise the n-th time or the event. */
    matchKey: text("match_key").notNull(),
    eventId: bigint("event_id", { mode: "number" }),
    value: doublePrecision("value").notNull(),
    /** What each action did: points ledger id, coupon code, message id… */
    results: jsonb("results").$type<JsonObject>().notNull().default({}),
    matchedAt: timestamp("matched_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("monitor_matches_key").on(t.workspaceId, t.monitorId, t.contactId, t.matchKey),
    index("monitor_matches_recent_idx").on(t.workspaceId, t.monitorId, t.matchedAt.desc()),
    index("monitor_matches_contact_idx").on(t.workspaceId, t.contactId, t.matchedAt.desc()),
  ],
);

/** Per workspace: what points are called, whether a balance may go below zero, a default expiry. */
export const rewardSettings = pgTable("reward_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  pointsName: text("points_name"),
  allowNegative: boolean("allow_negative").notNull().default(false),
  defaultExpiryDays: integer("default_expiry_days"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const pointSources = ["monitor", "journey", "api", "manual", "redeem", "expiry"] as const;
export type PointSource = (typeof pointSources)[number];

// Append-only: a balance change is a row, never an update of one (except `remaining`, the part
// of an award not yet spent or expired, which redemptions and expiry use up oldest first).
export const pointTransactions = pgTable(
  "point_transactions",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    contactId: uuid("contact_id").notNull(),
    amount: integer("amount").notNull(),
    balanceAfter: integer("balance_after").notNull(),
    reason: text("reason"),
    source: text("source").$type<PointSource>().notNull(),
    sourceId: text("source_id"),
    idempotencyKey: text("idempotency_key").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    remaining: integer("remaining").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("point_transactions_key").on(t.workspaceId, t.idempotencyKey),
    index("point_transactions_contact_idx").on(t.workspaceId, t.contactId, t.id.desc()),
    index("point_transactions_expiry_idx").on(t.expiresAt).where(sql`remaining > 0 and expires_at is not null`),
  ],
);

/** The running balance (contacts.points_balance is the same number, for segment rules). */
export const pointBalances = pgTable(
  "point_balances",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull(),
    balance: integer("balance").notNull().default(0),
    earned: integer("earned").notNull().default(0),
    spent: integer("spent").notNull().default(0),
    expired: integer("expired").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.contactId] })],
);

export type CouponValue = { kind: "amount"; amount: number; currency: string } | { kind: "percent"; percent: number } | { kind: "text"; text: string };

export const couponCampaigns = pgTable(
  "coupon_campaigns",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    description: text("description"),
    /** pool: codes uploaded (CSV); generated: made by Tideline from the pattern. */
    source: text("source").$type<"pool" | "generated">().notNull(),
    /** generated: e.g. "SPRING-XXXXXX" (each X a character of the alphabet without look-alikes). */
    pattern: text("pattern"),
    value: jsonb("value").$type<CouponValue>().notNull(),
    validFrom: timestamp("valid_from", { withTimezone: true }),
    validUntil: timestamp("valid_until", { withTimezone: true }),
    /** Codes one contact may be issued from this campaign. */
    perContactLimit: integer("per_contact_limit").notNull().default(1),
    status: text("status").$type<"active" | "archived">().notNull().default("active"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const couponStatuses = ["available", "issued", "redeemed"] as const;
export type CouponStatus = (typeof couponStatuses)[number];

export const couponCodes = pgTable(
  "coupon_codes",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    campaignId: uuid("campaign_id").notNull(),
    code: text("code").notNull(),
    status: text("status").$type<CouponStatus>().notNull().default("available"),
    contactId: uuid("contact_id"),
    /** Who asked for the issue (monitor match, journey step, API key), so a retry gets the same code. */
    issueKey: text("issue_key"),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }),
    /** Where it was redeemed (an order id, a store). */
    redeemedRef: text("redeemed_ref"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("coupon_codes_code_key").on(t.workspaceId, t.code),
    uniqueIndex("coupon_codes_issue_key").on(t.workspaceId, t.issueKey).where(sql`issue_key is not null`),
    index("coupon_codes_available_idx").on(t.workspaceId, t.campaignId, t.id).where(sql`status = 'available'`),
    index("coupon_codes_contact_idx").on(t.workspaceId, t.contactId).where(sql`contact_id is not null`),
  ],
);

export type ScoringRuleKind = "attribute" | "behaviour";

export const scoringRules = pgTable(
  "scoring_rules",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    kind: text("kind").$type<ScoringRuleKind>().notNull(),
    /** attribute (fit): a segment rule on the contact. */
    rule: jsonb("rule").$type<Json | null>(),
    /** behaviour (engagement): the event and a rule on its properties. */
    event: text("event"),
    where: jsonb("where").$type<Json | null>(),
    points: integer("points").notNull(),
    /** behaviour: at most this many times per period. */
    cap: jsonb("cap").$type<{ count: number; per: "day" | "week" | "month" } | null>(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export interface ScoringThresholds {
  lead?: number | null;
  mql?: number | null;
  sql?: number | null;
  customer?: number | null;
}

/** Per workspace: decay, lifecycle thresholds and the MQL hand-off. */
export const scoringSettings = pgTable("scoring_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  /** halve: the engagement score halves after N days without activity; expire: behaviour points expire after N days. */
  decay: jsonb("decay").$type<{ kind: "none" } | { kind: "halve"; days: number } | { kind: "expire"; days: number }>().notNull().default({ kind: "none" }),
  thresholds: jsonb("thresholds").$type<ScoringThresholds>().notNull().default({}),
  /** The member an MQL is handed to (task and email), and a webhook for a CRM. */
  ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
  handoffWebhookUrl: text("handoff_webhook_url"),
  /** A recalculation after a rule change: its progress. */
  recalculation: jsonb("recalculation").$type<{ startedAt: string; done: number; total: number; finishedAt?: string } | null>(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every change to a contact's score, with the rule that made it (history on the profile). */
export const scoreEvents = pgTable(
  "score_events",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    contactId: uuid("contact_id").notNull(),
    ruleId: uuid("rule_id"),
    /** fit, engagement, decay, recalculation, manual. */
    kind: text("kind").notNull(),
    delta: integer("delta").notNull(),
    scoreAfter: integer("score_after").notNull(),
    reason: text("reason"),
    idempotencyKey: text("idempotency_key").notNull(),
    eventId: bigint("event_id", { mode: "number" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("score_events_key").on(t.workspaceId, t.idempotencyKey),
    index("score_events_contact_idx").on(t.workspaceId, t.contactId, t.id.desc()),
    index("score_events_rule_idx").on(t.workspaceId, t.ruleId, t.contactId, t.at),
  ],
);

export type Monitor = typeof monitors.$inferSelect;
export type MonitorMatch = typeof monitorMatches.$inferSelect;
export type PointTransaction = typeof pointTransactions.$inferSelect;
export type CouponCampaign = typeof couponCampaigns.$inferSelect;
export type CouponCode = typeof couponCodes.$inferSelect;
export type ScoringRule = typeof scoringRules.$inferSelect;
export type ScoringSettings = typeof scoringSettings.$inferSelect;
export type ScoreEvent = typeof scoreEvents.$inferSelect;
