import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/sql";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";
import { journeyAdvance } from "./journey-advance";
import { enrolDateTriggers } from "@/lib/journeys/dates";

// Every minute: date-triggered journeys enrol the contacts whose day has come, and every
// workspace with due runs (delays that ended, waits that timed out) gets a journey.advance.
export const journeyTick = defineJob({
  name: "journey.tick",
  schema: z.object({}).passthrough(),
  options: { cron: "* * * * *", retryLimit: 1 },
  async handle(_data, { db }) {
    const now = new Date();
    const entered = await enrolDateTriggers(db, now);
    const due = await queryRows<{ workspace_id: string }>(
      db,
      sql`select distinct r.workspace_id from journey_runs r
          join journeys j on j.workspace_id = r.workspace_id and j.id = r.journey_id and j.status = 'active'
          where r.status in ('active', 'waiting') and r.due_at <= ${now.toISOString()}::timestamptz`,
    );
    for (const row of due) await enqueue(journeyAdvance, { workspaceId: row.workspace_id });
    return { entered, workspaces: due.length };
  },
});
