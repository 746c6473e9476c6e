import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/sql";
import { enqueue } from "./boss";
import { defineJob } from "./define-job";
import { eventProcess } from "./event-process";

// A safety net: any workspace with unprocessed calls gets an `event.process` job, whatever
// happened to the one queued at ingestion (dead-lettered, or the time budget ran out).
export const eventSweep = defineJob({
  name: "event.sweep",
  schema: z.object({}).passthrough(),
  options: { cron: "* * * * *", retryLimit: 1 },
  async handle(_data, { db }) {
    const pending = await queryRows<{ workspace_id: string }>(
      db,
      sql`select distinct workspace_id from events where processed_at is null`,
    );
    for (const { workspace_id } of pending) {
      await enqueue(eventProcess, { workspaceId: workspace_id }, { singletonKey: workspace_id });
    }
    return { workspaces: pending.length };
  },
});
