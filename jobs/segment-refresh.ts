import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/sql";
import { followClock } from "@/lib/segments/membership";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";
import { segmentRecompute } from "./segment-recompute";

/** How stale a segment whose rule compares dates with days_ago may get before it is recomputed. */
export const timeBasedRefreshMinutes = Number(process.env.SEGMENT_REFRESH_MINUTES || 5);
/** A clock followed less recently than this is caught up by a full recompute instead. */
const followLimitMs = 60 * 60_000;

// Rules with windows ("in the last 30 days") change with the clock alone: a contact whose last
// qualifying event slides out of the window must exit without any new activity. Every minute,
// windows on events and on segment stays are followed exactly (the contacts whose events or
// stays crossed an edge since the last minute are checked); a rule comparing a date with
// days_ago, which has no such edge to look for, is recomputed in full every
// SEGMENT_REFRESH_MINUTES.
export const segmentRefresh = defineJob({
  name: "segment.refresh",
  schema: z.object({}).passthrough(),
  options: { cron: "* * * * *", retryLimit: 1 },
  async handle(_data, { db }) {
    const now = new Date();
    const timeBased = await queryRows<{ workspace_id: string; id: string; exact: boolean; followed_at: string | Date | null; stale: boolean }>(
      db,
      sql`select workspace_id, id,
            coalesce(dependencies -> 'clock' ->> 'daysAgo' = 'false', false) as exact,
            coalesce(clock_checked_at, computed_at) as followed_at,
            (computed_at is null or computed_at < ${now.toISOString()}::timestamptz - make_interval(mins => ${timeBasedRefreshMinutes})) as stale
          from segments
          where kind = 'dynamic' and (dependencies ->> 'timeBased')::boolean is true`,
    );
    let followed = 0;
    let queued = 0;
    for (const segment of timeBased) {
      const since = segment.followed_at === null ? undefined : new Date(segment.followed_at);
      if (segment.exact && since && now.getTime() - since.getTime() < followLimitMs) {
        if (await followClock(db, segment.workspace_id, segment.id, now)) {
          followed++;
          continue;
        }
      }
      // Not followed (days_ago, never computed, an invalid rule, a clock an hour behind): a full
      // recompute once the last one is SEGMENT_REFRESH_MINUTES old, not every minute.
      if (!segment.stale) continue;
      await enqueue(segmentRecompute, { workspaceId: segment.workspace_id, segmentId: segment.id }, { singletonKey: segment.id });
      queued++;
    }
    return { followed, queued };
  },
});
