import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { events, type JsonObject, type NewEvent } from "@/db/schema";
import { getBoss, toDrizzleSql } from "@/jobs/boss";
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
// A call carrying both an SDK-set originalTimestamp and a timestamp had its timestamp set on
// purpose (a backfill): that one is kept as given.
export function correctedTimestamp(call: TrackingCall, receivedAt: Date): Date {
  if (call.originalTimestamp && call.timestamp) return call.timestamp;
  const original = call.originalTimestamp ?? call.timestamp;
  if (!original) return receivedAt;
  if (!call.sentAt) return original;
  return new Date(receivedAt.getTime() - (call.sentAt.getTime() - original.getTime()));
}

function asObject(value: unknown): JsonObject {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function toEventRow(workspaceId: string, call: TrackingCall, receivedAt: Date): NewEvent {
  // Only page, screen, group and alias calls add fields, to copies; the others are stored as sent.
  let properties = asObject("properties" in call ? call.properties : undefined);
  if ((call.type === "page" || call.type === "screen") && call.name && properties.name == null) properties = { ...properties, name: call.name };
  if (call.type === "page" && call.category && properties.category == null) properties = { ...properties, category: call.category };
  let traits = asObject("traits" in call ? call.traits : undefined);
  if (call.type === "group") traits = { ...traits, groupId: call.groupId };
  if (call.type === "alias") traits = { ...traits, previousId: call.previousId };
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

// Stores calls durably and queues their processing in one statement (so atomically): a reply
// of success means the calls are committed and will be processed.
//
// Why one statement, measured by `npm run bench:ingest` (see docs/benchmarks.md): a transaction
// of BEGIN, a 100-row VALUES insert (1,100 bound parameters, assembled by drizzle on every
// request), pg-boss's job insert and COMMIT cost six round trips and most of the route's CPU.
// This is one prepared statement (db/prepared.ts) whose rows travel as one parameter.
export async function ingestCalls(db: Db, workspaceId: string, calls: TrackingCall[], receivedAt = new Date()): Promise<IngestResult> {
  if (calls.length === 0) return { stored: 0, duplicates: 0 };
  const payload = calls.map((call) => {
    const row = toEventRow(workspaceId, call, receivedAt);
    return {
      m: row.messageId,
      t: row.type,
      n: row.name,
      u: row.userId,
      a: row.anonymousId,
      p: row.properties,
      r: row.traits,
      c: row.context,
      at: row.timestamp,
    };
  });
  const queueJob = await processingJobInsert(workspaceId);
  // The rows travel as one JSON parameter, unpacked in order (ids, and so processing, follow
  // the order of the calls). The job is queued even when every call was a duplicate: the
  // queue keeps one waiting job per workspace, and an idle run costs one query.
  const [result] = await queryRows<{ stored: number }>(
    db,
    sql`with inserted as (
          insert into events (workspace_id, message_id, type, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at)
          select ${workspaceId}::uuid, e->>'m', e->>'t', e->>'n', e->>'u', e->>'a', e->'p', e->'r', e->'c',
                 (e->>'at')::timestamptz, ${receivedAt.toISOString()}::timestamptz
          from jsonb_array_elements(${JSON.stringify(payload)}::jsonb) with ordinality as x(e, i)
          order by x.i
          on conflict (workspace_id, message_id) do nothing
          returning 1),
        queued as (${queueJob})
        select count(*)::int as stored from inserted`,
  );
  const stored = Number(result.stored);
  return { stored, duplicates: calls.length - stored };
}

// pg-boss's own INSERT for an `event.process` job (one statement, ending in RETURNING), built
// by pg-boss and captured instead of run, so it rides in the ingest statement. Its text and
// values depend only on the workspace (the job's id is made by the INSERT), so each process
// captures it once per workspace.
const jobInserts = new Map<string, SQL>();
const maxCachedWorkspaces = 10_000;

async function processingJobInsert(workspaceId: string): Promise<SQL> {
  let insert = jobInserts.get(workspaceId);
  if (!insert) {
    if (jobInserts.size >= maxCachedWorkspaces) jobInserts.clear();
    insert = await captureJobInsert(workspaceId);
    jobInserts.set(workspaceId, insert);
  }
  return insert;
}

async function captureJobInsert(workspaceId: string): Promise<SQL> {
  const boss = await getBoss();
  let captured: SQL | undefined;
  await boss.send(eventProcess.name, eventProcess.schema.parse({ workspaceId }), {
    singletonKey: workspaceId,
    db: {
      async executeSql(text: string, values: unknown[]) {
        if (captured || !/^\s*insert\b[\s\S]*\breturning\b/i.test(text)) throw new Error("pg-boss send is not one INSERT ... RETURNING");
        captured = toDrizzleSql(text, values);
        return { rows: [] };
      },
    },
  });
  if (!captured) throw new Error("pg-boss send built no statement");
  return captured;
}

/** Events waiting for `event.process` in a workspace (for progress and tests). */
export async function pendingEvents(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(events)
    .where(sql`${events.workspaceId} = ${workspaceId} and ${events.processedAt} is null`);
  return Number(row.n);
}
