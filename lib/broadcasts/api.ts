import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { decodeCursor } from "@/db/queries/contacts";
import { broadcastStatuses, segments, type Broadcast, type BroadcastAudience, type BroadcastVariant } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { audienceSchema } from "@/lib/validation/broadcasts";
import { listVariants } from "./manage";
import type { BroadcastStats, VariantResult } from "./stats";
import { isUuid } from "@/lib/uuid";

// The broadcasts REST API's shapes: snake_case fields and ISO times, like the other *Json helpers.

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** Query of GET /api/v1/broadcasts. */
export const broadcastListQuerySchema = z.strictObject({
  status: z.enum(broadcastStatuses, `Use one of ${broadcastStatuses.join(", ")}.`).optional(),
  limit: z.coerce.number().int("limit must be a whole number.").min(1, "limit is at least 1.").max(200, "limit is at most 200.").default(50),
  cursor: z.string().max(500, "Not a cursor from this API.").optional(),
});

/** Body of POST /api/v1/broadcasts/audience-count. */
export const audienceCountSchema = z.strictObject({ audience: audienceSchema });

/** A cursor this API handed out: [created_at, id]; anything else is a 400, not a database error. */
export function checkListCursor(cursor: string | undefined) {
  if (!cursor) return;
  const parts = decodeCursor(cursor);
  const [createdAt, id] = parts ?? [];
  if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt)) || typeof id !== "string" || !isUuid(id)) {
    throw new AppError("bad_request", "This cursor was not made by this API; pass next_cursor from the previous page as it is.");
  }
}

/** Every segment or list the audience names is one of this workspace's (a 422 pointing at the first that is not). */
export async function checkAudience(db: Db, workspaceId: string, audience: BroadcastAudience) {
  const named = [...new Set([...audience.include, ...audience.exclude])];
  const found = await db
    .select({ id: segments.id })
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), inArray(segments.id, named)));
  const known = new Set(found.map((row) => row.id));
  for (const part of ["include", "exclude"] as const) {
    const index = audience[part].findIndex((segmentId) => !known.has(segmentId));
    if (index >= 0) {
      throw new AppError("validation_failed", `No segment or list ${audience[part][index]} in this workspace.`, [{ path: `audience.${part}.${index}`, message: "not_found" }]);
    }
  }
}

export function variantJson(variant: BroadcastVariant) {
  return {
    key: variant.key,
    weight: variant.weight,
    template_id: variant.templateId,
    template_version: variant.templateVersion,
    subject: variant.subject,
    from_name: variant.fromName,
    from_email: variant.fromEmail,
  };
}

/** A broadcast as the REST API shows it; with its A/B variants when they are given. */
export function broadcastJson(broadcast: Broadcast, variants?: BroadcastVariant[]) {
  const ab = broadcast.abTest;
  const decision = broadcast.winnerDecision;
  return {
    id: broadcast.id,
    name: broadcast.name,
    status: broadcast.status,
    channel: broadcast.channel,
    template_id: broadcast.templateId,
    template_version: broadcast.templateVersion,
    topic_id: broadcast.topicId,
    audience: { include: broadcast.audience.include, exclude: broadcast.audience.exclude },
    schedule: {
      kind: broadcast.scheduleKind,
      at: broadcast.scheduleKind === "at" ? iso(broadcast.scheduledAt) : null,
      local_time: broadcast.localTime,
      fallback_timezone: broadcast.fallbackTimezone,
    },
    /** When sending starts (or started): set by send, for every kind of schedule. */
    scheduled_at: iso(broadcast.scheduledAt),
    throttle_per_minute: broadcast.throttlePerMinute,
    ab_test: ab ? { mode: ab.mode, test_percent: ab.testPercent ?? null, metric: ab.metric ?? null, wait_hours: ab.waitHours ?? null } : null,
    conversion: broadcast.conversion
      ? { event: broadcast.conversion.event, revenue_property: broadcast.conversion.revenueProperty, window_hours: broadcast.conversion.windowHours }
      : null,
    recipient_count: broadcast.recipientCount,
    snapshot_at: iso(broadcast.snapshotAt),
    started_at: iso(broadcast.startedAt),
    fanned_out_at: iso(broadcast.fannedOutAt),
    paused_at: iso(broadcast.pausedAt),
    cancelled_at: iso(broadcast.cancelledAt),
    finished_at: iso(broadcast.finishedAt),
    test_ends_at: iso(broadcast.testEndsAt),
    winner: broadcast.winnerVariant
      ? {
          variant: broadcast.winnerVariant,
          chosen_at: iso(broadcast.winnerChosenAt),
          decision: decision ? { metric: decision.metric, variants: decision.variants, p_value: decision.pValue, significant: decision.significant } : null,
        }
      : null,
    created_at: broadcast.createdAt.toISOString(),
    updated_at: broadcast.updatedAt.toISOString(),
    ...(variants ? { variants: variants.map(variantJson) } : {}),
  };
}

/** One broadcast with its variants: the reply of every route that returns a single broadcast. */
export async function broadcastReply(db: Db, broadcast: Broadcast) {
  return broadcastJson(broadcast, await listVariants(db, broadcast.workspaceId, broadcast.id));
}

function variantResultJson(variant: VariantResult) {
  const { openRate, clickRate, conversionRate, test, ...counts } = variant;
  return {
    ...counts,
    open_rate: openRate,
    click_rate: clickRate,
    conversion_rate: conversionRate,
    test: test ? { against: test.against, p_value: test.pValue, significant: test.significant } : null,
  };
}

/** GET /api/v1/broadcasts/:id/stats: broadcastStats in the API's snake_case. */
export function broadcastStatsJson(broadcast: Broadcast, stats: BroadcastStats) {
  const { progress, rates } = stats;
  return {
    id: broadcast.id,
    status: broadcast.status,
    progress: {
      total: progress.total,
      fanned_out: progress.fannedOut,
      queued: progress.queued,
      sent: progress.sent,
      suppressed: progress.suppressed,
      failed: progress.failed,
      cancelled: progress.cancelled,
    },
    totals: stats.totals,
    rates: {
      delivered_of_sent: rates.deliveredOfSent,
      open_of_delivered: rates.openOfDelivered,
      click_of_delivered: rates.clickOfDelivered,
      click_of_opened: rates.clickOfOpened,
      conversion_of_delivered: rates.conversionOfDelivered,
      bounce_of_sent: rates.bounceOfSent,
      unsubscribe_of_delivered: rates.unsubscribeOfDelivered,
    },
    variants: stats.variants.map(variantResultJson),
    top_links: stats.topLinks.map((link) => ({ url: link.url, clicks: link.clicks, unique_clicks: link.uniqueClicks })),
    timeline: stats.timeline,
  };
}
