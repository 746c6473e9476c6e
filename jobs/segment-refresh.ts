import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/sql";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";
import { segmentRecompute } from "./segment-recompute";

/** How stale a clock-dependent segment may get before it is recomputed. */
export const timeBasedRefreshMinutes = Number(process.env.SEGMENT_REFRESH_MINUTES || 5);

// Rules with windows ("in the last 30 days") change with the clock alone: a contact whose
// last qualifying event slides out of the window must exit without any new activity.
export const segmentRefresh = defineJob({
  name: "segment.refresh",
  schema: z.object({}).passthrough(),
  options: { cron: "* * * * *", retryLimit: 1 },
  async handle(_data, { db }) {
    const due = await queryRows<{ workspace_id: string; id: string }>(
      db,
      sql`select workspace_id, id from segments
          where kind = 'dynamic' and (dependencies ->> 'timeBased')::boolean is true
            and (computed_at is null or computed_at < now() - make_interval(mins => ${timeBasedRefreshMinutes}))`,
    );
    for (const segment of due) {
      await enqueue(segmentRecompute, { workspaceId: segment.workspace_id, segmentId: segment.id }, { singletonKey: segment.id });
    }
    return { queued: due.length };
  },
});
