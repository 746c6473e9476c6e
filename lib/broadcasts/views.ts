import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { Broadcast } from "@/db/schema";
import { countAudience } from "./fanout";
import type { Progress } from "./stats";

// Read-only figures for the broadcast pages: what the list shows per row, in one query for a
// page of broadcasts instead of broadcastStats once a row.

export interface ListFigures {
  /** Messages queued so far (the snapshot's size once fanned out). */
  messages: number;
  queued: number;
  sent: number;
  /** Sent minus bounced. */
  delivered: number;
  suppressed: number;
  failed: number;
  cancelled: number;
  /** Unique human opens and clicks. */
  opened: number;
  clicked: number;
}

const noFigures: ListFigures = { messages: 0, queued: 0, sent: 0, delivered: 0, suppressed: 0, failed: 0, cancelled: 0, opened: 0, clicked: 0 };

/** Message counts for each of these broadcasts (missing ones: all zero). */
export async function listFigures(db: Db, workspaceId: string, broadcastIds: string[]): Promise<Map<string, ListFigures>> {
  const figures = new Map<string, ListFigures>();
  if (broadcastIds.length === 0) return figures;
  const rows = await queryRows<ListFigures & { id: string }>(
    db,
    sql`select m.source_id as id, count(*)::int as messages,
               count(*) filter (where m.status in ('queued', 'sending'))::int as queued,
               count(*) filter (where m.status in ('sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained'))::int as sent,
               count(*) filter (where m.status in ('sent', 'delivered', 'opened', 'clicked', 'complained'))::int as delivered,
               count(*) filter (where m.status = 'suppressed')::int as suppressed,
               count(*) filter (where m.status = 'failed')::int as failed,
               count(*) filter (where m.status = 'cancelled')::int as cancelled,
               count(m.opened_at)::int as opened, count(m.clicked_at)::int as clicked
        from messages m
        where m.workspace_id = ${workspaceId} and m.source = 'broadcast'
          and m.source_id in (${sql.join(broadcastIds.map((id) => sql`${id}`), sql`, `)})
        group by m.source_id`,
  );
  for (const row of rows) {
    const { id, ...counts } = row;
    figures.set(id, counts);
  }
  for (const id of broadcastIds) if (!figures.has(id)) figures.set(id, { ...noFigures });
  return figures;
}

/** Who it goes to: the snapshot once sending started, else the audience as it is now. */
export async function audienceSize(db: Db, broadcast: Broadcast): Promise<{ count: number; live: boolean }> {
  if (broadcast.recipientCount !== null) return { count: broadcast.recipientCount, live: false };
  if (broadcast.status === "cancelled") return { count: 0, live: false };
  return { count: await countAudience(db, broadcast.workspaceId, broadcast.audience), live: true };
}

/** broadcastProgress from a row's figures (the same sums, without another query). */
export function progressOf(broadcast: Pick<Broadcast, "recipientCount" | "status">, figures: ListFigures): Progress {
  const notYetQueued = Math.max(0, (broadcast.recipientCount ?? 0) - figures.messages);
  const cancelled = broadcast.status === "cancelled";
  return {
    total: broadcast.recipientCount,
    fannedOut: figures.messages,
    queued: figures.queued + (cancelled ? 0 : notYetQueued),
    sent: figures.sent,
    suppressed: figures.suppressed,
    failed: figures.failed,
    cancelled: figures.cancelled + (cancelled ? notYetQueued : 0),
  };
}
