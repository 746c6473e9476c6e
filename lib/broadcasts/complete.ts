import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { broadcasts } from "@/db/schema";
import { enqueue, getBoss } from "@/jobs/boss";
import { broadcastComplete } from "@/jobs/broadcast-complete";
import { getBroadcast } from "./manage";

const recheckMs = 10_000;

export type CompletionOutcome = { status: "sent" } | { status: "waiting"; waiting: number; next: Date } | { status: "skipped"; reason: string };

/** A fanned-out broadcast with no message left queued or sending is sent; otherwise look again later. */
export async function checkCompletion(db: Db, workspaceId: string, broadcastId: string, options: { now?: Date } = {}): Promise<CompletionOutcome> {
  const now = options.now ?? new Date();
  const broadcast = await getBroadcast(db, workspaceId, broadcastId);
  if (!broadcast) return { status: "skipped", reason: "missing" };
  // Paused or cancelled: resume starts a new check; a winner test's fan-out starts one when done.
  if (broadcast.status !== "sending") return { status: "skipped", reason: broadcast.status };
  if (!broadcast.fannedOutAt) return { status: "skipped", reason: "fanning_out" };
  const [row] = await queryRows<{ waiting: number; due: number; next_at: string | Date | null }>(
    db,
    sql`select count(*)::int as waiting, count(*) filter (where not_before is null or not_before <= ${now.toISOString()}::timestamptz)::int as due,
               min(not_before) as next_at from messages
        where workspace_id = ${workspaceId} and source = 'broadcast' and source_id = ${broadcastId} and status in ('queued', 'sending')`,
  );
  if (row.waiting === 0) {
    const updated = await db
      .update(broadcasts)
      .set({ status: "sent", finishedAt: now, updatedAt: now })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), eq(broadcasts.status, "sending"), isNotNull(broadcasts.fannedOutAt)))
      .returning({ id: broadcasts.id });
    return updated.length ? { status: "sent" } : { status: "skipped", reason: "changed_meanwhile" };
  }
  // Only messages waiting for a local time or a throttle slot: look again when the first is due.
  const soonest = row.due === 0 && row.next_at ? new Date(row.next_at).getTime() : 0;
  const next = new Date(Math.max(now.getTime() + recheckMs, soonest));
  await getBoss();
  await enqueue(broadcastComplete, { workspaceId, broadcastId }, { startAfter: next });
  return { status: "waiting", waiting: row.waiting, next };
}
