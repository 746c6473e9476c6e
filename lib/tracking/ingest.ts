import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { events, type JsonObject, type NewEvent } from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { eventProcess } from "@/jobs/event-process";
import type { TrackingCall } from "./calls";

const eventNames: Record<TrackingCall["type"], (call: TrackingCall) => string | null> = {
  track: (call) => (call.type === "track" ? call.event : null),
  page: () => "Page Viewed",
  screen: () => "Screen Viewed",
  identify: () => null,
  group: () => null,
  alias: () => null,
};

// Segment's clock-skew correction: the client's clock may be off, but the time between its
// timestamp and its sentAt is right, so it is laid back from when the call arrived.
export function correctedTimestamp(call: TrackingCall, receivedAt: Date): Date {
  const original = call.originalTimestamp ?? call.timestamp;
  if (!original) return receivedAt;
  if (!call.sentAt) return original;
  return new Date(receivedAt.getTime() - (call.sentAt.getTime() - original.getTime()));
}

function asObject(value: unknown): JsonObject {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function toEventRow(workspaceId: string, call: TrackingCall, receivedAt: Date): NewEvent {
  const properties = { ...asObject("properties" in call ? call.properties : undefined) };
  if ((call.type === "page" || call.type === "screen") && call.name) properties.name ??= call.name;
  if (call.type === "page" && call.category) properties.category ??= call.category;
  const traits = asObject("traits" in call ? call.traits : undefined);
  if (call.type === "group") traits.groupId = call.groupId;
  if (call.type === "alias") traits.previousId = call.previousId;
  return {
    workspaceId,
    messageId: call.messageId ?? randomUUID(),
    type: call.type,
    name: eventNames[call.type](call),
    userId: call.userId ?? null,
    anonymousId: call.anonymousId ?? null,
    properties,
    traits,
    context: asObject(call.context),
    timestamp: correctedTimestamp(call, receivedAt),
    receivedAt,
  };
}

export interface IngestResult {
  /** Calls stored now. */
  stored: number;
  /** Calls whose messageId was already stored: accepted, not stored twice. */
  duplicates: number;
}

// Stores calls durably and queues their processing in the same transaction, so a reply of
// success means the calls are committed and will be processed.
export async function ingestCalls(db: Db, workspaceId: string, calls: TrackingCall[], receivedAt = new Date()): Promise<IngestResult> {
  if (calls.length === 0) return { stored: 0, duplicates: 0 };
  const rows = calls.map((call) => toEventRow(workspaceId, call, receivedAt));
  await getBoss(); // started outside the transaction (see enqueue)
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(events)
      .values(rows)
      .onConflictDoNothing({ target: [events.workspaceId, events.messageId] })
      .returning({ id: events.id });
    if (inserted.length > 0) await enqueue(eventProcess, { workspaceId }, { tx, singletonKey: workspaceId });
    return { stored: inserted.length, duplicates: rows.length - inserted.length };
  });
}

/** Events waiting for `event.process` in a workspace (for progress and tests). */
export async function pendingEvents(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(events)
    .where(sql`${events.workspaceId} = ${workspaceId} and ${events.processedAt} is null`);
  return Number(row.n);
}
