import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeCursor, encodeCursor } from "@/db/queries/contacts";
import {
  broadcastRecipients,
  broadcasts,
  broadcastVariants,
  messages,
  segments,
  workspaces,
  type Broadcast,
  type BroadcastStatus,
  type BroadcastVariant,
} from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { broadcastFanout } from "@/jobs/broadcast-fanout";
import { AppError } from "@/lib/errors";
import { getTemplate } from "@/lib/messages/templates";
import { getTopic } from "@/lib/messages/topics";
import { broadcastCreateSchema, type BroadcastCreate, type BroadcastPatch } from "@/lib/validation/broadcasts";
import { earliestLocalMoment } from "./schedule";
import { isUuid } from "@/lib/uuid";

export const variantKeys = ["A", "B", "C", "D", "E"] as const;

type Schedule = BroadcastCreate["schedule"];

export async function getBroadcast(db: Db, workspaceId: string, broadcastId: string): Promise<Broadcast | undefined> {
  if (!isUuid(broadcastId)) return undefined;
  const [row] = await db.select().from(broadcasts).where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId)));
  return row;
}

export async function requireBroadcast(db: Db, workspaceId: string, broadcastId: string): Promise<Broadcast> {
  const broadcast = await getBroadcast(db, workspaceId, broadcastId);
  if (!broadcast) throw new AppError("not_found", `No broadcast ${broadcastId} in this workspace.`);
  return broadcast;
}

export async function listVariants(db: Db, workspaceId: string, broadcastId: string): Promise<BroadcastVariant[]> {
  return db
    .select()
    .from(broadcastVariants)
    .where(and(eq(broadcastVariants.workspaceId, workspaceId), eq(broadcastVariants.broadcastId, broadcastId)))
    .orderBy(broadcastVariants.key);
}

/** Newest first, keyset paged. */
export async function listBroadcasts(db: Db, workspaceId: string, options: { limit?: number; cursor?: string | null; status?: BroadcastStatus } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const decoded = decodeCursor(options.cursor);
  // A cursor that is not ours starts the list over rather than failing the query.
  const after = decoded && decoded.length === 2 && !Number.isNaN(new Date(String(decoded[0])).getTime()) && isUuid(String(decoded[1])) ? decoded : undefined;
  const rows = await db
    .select()
    .from(broadcasts)
    .where(
      and(
        eq(broadcasts.workspaceId, workspaceId),
        options.status ? eq(broadcasts.status, options.status) : undefined,
        after
          ? or(
              lt(broadcasts.createdAt, new Date(String(after[0]))),
              and(eq(broadcasts.createdAt, new Date(String(after[0]))), lt(broadcasts.id, String(after[1]))),
            )
          : undefined,
      ),
    )
    .orderBy(desc(broadcasts.createdAt), desc(broadcasts.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { broadcasts: page, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
}

async function checkReferences(db: Db, workspaceId: string, input: Pick<BroadcastCreate, "template_id" | "topic_id" | "audience" | "ab_test">) {
  const template = await getTemplate(db, workspaceId, input.template_id);
  if (!template) throw new AppError("validation_failed", "No such template in this workspace.", [{ path: "template_id", message: "not_found" }]);
  if (template.archivedAt) throw new AppError("validation_failed", `Template "${template.name}" is archived; restore it or pick another.`, [{ path: "template_id", message: "archived" }]);
  if (template.currentVersion < 1) throw new AppError("validation_failed", `Template "${template.name}" has no saved version yet.`, [{ path: "template_id", message: "no_version" }]);
  if (input.topic_id && !(await getTopic(db, workspaceId, input.topic_id))) {
    throw new AppError("validation_failed", "No such topic in this workspace.", [{ path: "topic_id", message: "not_found" }]);
  }
  const named = [...new Set([...input.audience.include, ...input.audience.exclude])];
  const found = await db
    .select({ id: segments.id })
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), inArray(segments.id, named)));
  const known = new Set(found.map((row) => row.id));
  for (const [part, ids] of [["include", input.audience.include], ["exclude", input.audience.exclude]] as const) {
    const index = ids.findIndex((segmentId) => !known.has(segmentId));
    if (index >= 0) throw new AppError("validation_failed", `No segment or list ${ids[index]} in this workspace.`, [{ path: `audience.${part}.${index}`, message: "not_found" }]);
  }
  for (const [index, variant] of (input.ab_test?.variants ?? []).entries()) {
    if (!variant.template_id || variant.template_id === template.id) continue;
    const other = await getTemplate(db, workspaceId, variant.template_id);
    if (!other || other.archivedAt) throw new AppError("validation_failed", "No such template in this workspace.", [{ path: `ab_test.variants.${index}.template_id`, message: "not_found" }]);
    if (other.channel !== template.channel) {
      throw new AppError("validation_failed", `Variant ${variantKeys[index]} uses a ${other.channel} template; the broadcast sends ${template.channel}.`, [
        { path: `ab_test.variants.${index}.template_id`, message: "channel_mismatch" },
      ]);
    }
  }
  return template;
}

function scheduleColumns(schedule: Schedule) {
  return {
    scheduleKind: schedule.kind,
    scheduledAt: schedule.kind === "at" && schedule.at ? new Date(schedule.at) : null,
    localTime: schedule.kind === "local" ? (schedule.local_time ?? null) : null,
    fallbackTimezone: schedule.kind === "local" ? (schedule.fallback_timezone ?? null) : null,
  };
}

function abColumns(input: Pick<BroadcastCreate, "ab_test">) {
  const test = input.ab_test;
  if (!test) return null;
  return test.mode === "split"
    ? { mode: "split" as const, metric: test.metric }
    : { mode: "winner" as const, testPercent: test.test_percent, metric: test.metric, waitHours: test.wait_hours };
}

/** Weights in percent that add up to 100: the given ones scaled, or an even split. */
export function normaliseWeights(weights: Array<number | undefined>): number[] {
  const given = weights.map((weight) => weight ?? 0);
  const total = given.reduce((sum, weight) => sum + weight, 0);
  const raw = total > 0 && given.every((weight) => weight > 0) ? given.map((weight) => (weight * 100) / total) : given.map(() => 100 / given.length);
  const floored = raw.map(Math.floor);
  let missing = 100 - floored.reduce((sum, weight) => sum + weight, 0);
  for (let index = 0; missing > 0; index = (index + 1) % floored.length, missing--) floored[index]++;
  return floored;
}

async function writeVariants(db: Db, workspaceId: string, broadcastId: string, templateId: string, input: Pick<BroadcastCreate, "ab_test">) {
  await db.delete(broadcastVariants).where(and(eq(broadcastVariants.workspaceId, workspaceId), eq(broadcastVariants.broadcastId, broadcastId)));
  const variants = input.ab_test?.variants ?? [];
  if (variants.length === 0) return;
  const weights = normaliseWeights(variants.map((variant) => variant.weight));
  await db.insert(broadcastVariants).values(
    variants.map((variant, index) => ({
      workspaceId,
      broadcastId,
      key: variantKeys[index],
      weight: weights[index],
      templateId: variant.template_id ?? templateId,
      templateVersion: variant.template_version ?? null,
      subject: variant.subject || null,
      fromName: variant.from_name || null,
      fromEmail: variant.from_email || null,
    })),
  );
}

export async function createBroadcast(db: Db, workspaceId: string, input: BroadcastCreate, userId?: string | null): Promise<Broadcast> {
  const template = await checkReferences(db, workspaceId, input);
  return db.transaction(async (tx) => {
    const [broadcast] = await tx
      .insert(broadcasts)
      .values({
        workspaceId,
        name: input.name,
        channel: template.channel,
        templateId: template.id,
        templateVersion: input.template_version ?? null,
        topicId: input.topic_id ?? null,
        audience: { include: input.audience.include, exclude: input.audience.exclude ?? [] },
        ...scheduleColumns(input.schedule),
        throttlePerMinute: input.throttle_per_minute ?? null,
        abTest: abColumns(input),
        conversion: input.conversion
          ? { event: input.conversion.event, revenueProperty: input.conversion.revenue_property, windowHours: input.conversion.window_hours }
          : null,
        createdBy: userId ?? null,
      })
      .returning();
    await writeVariants(tx, workspaceId, broadcast.id, template.id, input);
    return broadcast;
  });
}

/** The broadcast as a create body, so a patch can be merged into it and checked whole. */
export function asInput(broadcast: Broadcast, variants: BroadcastVariant[]): BroadcastCreate {
  return {
    name: broadcast.name,
    template_id: broadcast.templateId,
    template_version: broadcast.templateVersion,
    topic_id: broadcast.topicId,
    audience: broadcast.audience,
    schedule: {
      kind: broadcast.scheduleKind,
      ...(broadcast.scheduledAt ? { at: broadcast.scheduledAt.toISOString() } : {}),
      ...(broadcast.localTime ? { local_time: broadcast.localTime } : {}),
      ...(broadcast.fallbackTimezone ? { fallback_timezone: broadcast.fallbackTimezone } : {}),
    },
    throttle_per_minute: broadcast.throttlePerMinute,
    ab_test: broadcast.abTest
      ? {
          mode: broadcast.abTest.mode,
          test_percent: broadcast.abTest.testPercent,
          metric: broadcast.abTest.metric,
          wait_hours: broadcast.abTest.waitHours,
          variants: variants.map((variant) => ({
            weight: variant.weight,
            // A variant on the broadcast's own template follows it when the template changes.
            template_id: variant.templateId === broadcast.templateId ? undefined : variant.templateId,
            template_version: variant.templateId === broadcast.templateId ? undefined : (variant.templateVersion ?? undefined),
            subject: variant.subject ?? undefined,
            from_name: variant.fromName ?? undefined,
            from_email: variant.fromEmail ?? undefined,
          })),
        }
      : null,
    conversion: broadcast.conversion
      ? { event: broadcast.conversion.event, revenue_property: broadcast.conversion.revenueProperty, window_hours: broadcast.conversion.windowHours }
      : null,
  };
}

function requireDraft(broadcast: Broadcast) {
  if (broadcast.status !== "draft") {
    throw new AppError("conflict", broadcast.status === "scheduled" ? "This broadcast is scheduled; unschedule it to change it." : `A ${broadcast.status} broadcast cannot be changed.`);
  }
}

export async function updateBroadcast(db: Db, workspaceId: string, broadcastId: string, patch: BroadcastPatch): Promise<Broadcast> {
  const broadcast = await requireBroadcast(db, workspaceId, broadcastId);
  requireDraft(broadcast);
  const current = asInput(broadcast, await listVariants(db, workspaceId, broadcastId));
  const merged = broadcastCreateSchema.safeParse({ ...current, ...patch });
  if (!merged.success) {
    const [first] = merged.error.issues;
    throw new AppError("validation_failed", first.message, merged.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })));
  }
  const input = merged.data;
  const template = await checkReferences(db, workspaceId, input);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(broadcasts)
      .set({
        name: input.name,
        channel: template.channel,
        templateId: template.id,
        templateVersion: input.template_version ?? null,
        topicId: input.topic_id ?? null,
        audience: { include: input.audience.include, exclude: input.audience.exclude ?? [] },
        ...scheduleColumns(input.schedule),
        throttlePerMinute: input.throttle_per_minute ?? null,
        abTest: abColumns(input),
        conversion: input.conversion
          ? { event: input.conversion.event, revenueProperty: input.conversion.revenue_property, windowHours: input.conversion.window_hours }
          : null,
        updatedAt: new Date(),
      })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), eq(broadcasts.status, "draft")))
      .returning();
    if (!updated) throw new AppError("conflict", "This broadcast changed state while you edited it; reload it.");
    if (patch.ab_test !== undefined || patch.template_id !== undefined) await writeVariants(tx, workspaceId, broadcastId, template.id, input);
    return updated;
  });
}

/** Drafts and cancelled broadcasts can be deleted; a sent one is history and stays. */
export async function deleteBroadcast(db: Db, workspaceId: string, broadcastId: string): Promise<void> {
  const broadcast = await requireBroadcast(db, workspaceId, broadcastId);
  if (broadcast.status !== "draft" && broadcast.status !== "cancelled") {
    throw new AppError("conflict", `A ${broadcast.status} broadcast cannot be deleted${broadcast.status === "sent" ? "; its results stay" : "; cancel it first"}.`);
  }
  await db.transaction(async (tx) => {
    await tx.delete(broadcastRecipients).where(and(eq(broadcastRecipients.workspaceId, workspaceId), eq(broadcastRecipients.broadcastId, broadcastId)));
    await tx.delete(broadcastVariants).where(and(eq(broadcastVariants.workspaceId, workspaceId), eq(broadcastVariants.broadcastId, broadcastId)));
    await tx.delete(broadcasts).where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId)));
  });
}

/** When sending starts for this schedule: now, the instant, or the first zone's local time. */
export function startMoment(broadcast: Pick<Broadcast, "scheduleKind" | "scheduledAt" | "localTime">, now: Date): Date {
  if (broadcast.scheduleKind === "at" && broadcast.scheduledAt) return broadcast.scheduledAt > now ? broadcast.scheduledAt : now;
  if (broadcast.scheduleKind === "local" && broadcast.localTime) {
    const earliest = earliestLocalMoment(broadcast.localTime);
    return earliest > now ? earliest : now;
  }
  return now;
}

/**
 * Send (now or on its schedule). A draft becomes scheduled and its fan-out job is queued for the
 * start moment, in one transaction. A schedule given here replaces the broadcast's own.
 */
export async function sendBroadcast(db: Db, workspaceId: string, broadcastId: string, options: { schedule?: Schedule; now?: Date } = {}): Promise<Broadcast> {
  const now = options.now ?? new Date();
  let broadcast = await requireBroadcast(db, workspaceId, broadcastId);
  requireDraft(broadcast);
  if (options.schedule?.kind === "at" && options.schedule.at && new Date(options.schedule.at).getTime() < now.getTime() - 60_000) {
    throw new AppError("validation_failed", "That time has passed; pick a later one or send now.", [{ path: "schedule.at", message: "in_the_past" }]);
  }
  if (options.schedule) broadcast = await updateBroadcast(db, workspaceId, broadcastId, { schedule: options.schedule });
  await checkReferences(db, workspaceId, asInput(broadcast, await listVariants(db, workspaceId, broadcastId)));
  if (broadcast.scheduleKind === "at" && broadcast.scheduledAt && broadcast.scheduledAt.getTime() < now.getTime() - 60_000) {
    throw new AppError("validation_failed", "That time has passed; pick a later one or send now.", [{ path: "schedule.at", message: "in_the_past" }]);
  }
  const startsAt = startMoment(broadcast, now);
  await getBoss();
  return db.transaction(async (tx) => {
    const [scheduled] = await tx
      .update(broadcasts)
      .set({ status: "scheduled", scheduledAt: broadcast.scheduleKind === "now" ? now : startsAt, updatedAt: now })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), eq(broadcasts.status, "draft")))
      .returning();
    if (!scheduled) throw new AppError("conflict", "This broadcast is no longer a draft.");
    await enqueue(broadcastFanout, { workspaceId, broadcastId }, { tx, startAfter: startsAt > now ? startsAt : undefined });
    return scheduled;
  });
}

/** A scheduled broadcast goes back to draft; its queued fan-out finds it so and does nothing. */
export async function unscheduleBroadcast(db: Db, workspaceId: string, broadcastId: string): Promise<Broadcast> {
  checkId(broadcastId);
  const [row] = await db
    .update(broadcasts)
    .set({ status: "draft", scheduledAt: sql`case when ${broadcasts.scheduleKind} = 'at' then ${broadcasts.scheduledAt} else null end`, updatedAt: new Date() })
    .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), eq(broadcasts.status, "scheduled")))
    .returning();
  if (!row) throw conflictFor(await requireBroadcast(db, workspaceId, broadcastId), "unschedule");
  return row;
}

const pastTense = { pause: "paused", resume: "resumed", cancel: "cancelled", unschedule: "unscheduled" } as const;

function conflictFor(broadcast: Broadcast, action: keyof typeof pastTense) {
  return new AppError("conflict", `A ${broadcast.status} broadcast cannot be ${pastTense[action]}.`);
}

/** Ids that cannot be a broadcast's are not found (rather than an invalid-uuid database error). */
function checkId(broadcastId: string) {
  if (!isUuid(broadcastId)) throw new AppError("not_found", `No broadcast ${broadcastId} in this workspace.`);
}

/** Stops sending: the fan-out stops at its next page, and queued messages wait (they are not sent). */
export async function pauseBroadcast(db: Db, workspaceId: string, broadcastId: string): Promise<Broadcast> {
  checkId(broadcastId);
  const [row] = await db
    .update(broadcasts)
    // The lease goes too: a fan-out still running loses it at its next page, and the one
    // queued by resume can take over at once.
    .set({ status: "paused", pausedAt: new Date(), fanoutOwner: null, fanoutLeaseUntil: null, updatedAt: new Date() })
    .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), eq(broadcasts.status, "sending")))
    .returning();
  if (!row) throw conflictFor(await requireBroadcast(db, workspaceId, broadcastId), "pause");
  return row;
}

/** Goes on where it stopped: the waiting messages are queued again and the fan-out continues. */
export async function resumeBroadcast(db: Db, workspaceId: string, broadcastId: string): Promise<Broadcast> {
  checkId(broadcastId);
  await getBoss();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(broadcasts)
      .set({ status: "sending", pausedAt: null, updatedAt: new Date() })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), eq(broadcasts.status, "paused")))
      .returning();
    if (!row) throw conflictFor(await requireBroadcast(tx, workspaceId, broadcastId), "resume");
    await enqueue(broadcastFanout, { workspaceId, broadcastId, requeue: true }, { tx });
    return row;
  });
}

/** Stops for good: nothing more is queued and every message not yet handed over is cancelled. */
export async function cancelBroadcast(db: Db, workspaceId: string, broadcastId: string): Promise<Broadcast> {
  checkId(broadcastId);
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .update(broadcasts)
      .set({ status: "cancelled", cancelledAt: now, finishedAt: now, fanoutOwner: null, fanoutLeaseUntil: null, updatedAt: now })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), inArray(broadcasts.status, ["scheduled", "sending", "paused"])))
      .returning();
    if (!row) throw conflictFor(await requireBroadcast(tx, workspaceId, broadcastId), "cancel");
    await tx
      .update(messages)
      .set({ status: "cancelled", statusReason: "broadcast_cancelled", updatedAt: now })
      .where(and(eq(messages.workspaceId, workspaceId), eq(messages.source, "broadcast"), eq(messages.sourceId, broadcastId), eq(messages.status, "queued")));
    return row;
  });
}

/** The workspace's timezone: the fallback for local-time sends to contacts without one. */
export async function workspaceTimezone(db: Db, workspaceId: string): Promise<string> {
  const [row] = await db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return row?.timezone ?? "UTC";
}
