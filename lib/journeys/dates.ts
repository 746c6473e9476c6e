import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { journeys, workspaces } from "@/db/schema";
import { enrol, versionGraph } from "./enrol";
import { triggerOf } from "./graph";

// Date-triggered journeys (birthdays, renewals): a contact enters on the day its date
// attribute, shifted by the offset, falls on in its own timezone (the workspace's when it has
// none), once the local time has passed the trigger's time. The entry key holds that local day,
// so the minutely tick enrols each contact once a day at most.

// A date attribute's first ten characters as a date, NULL when they are not a real day.
const attributeDay = (key: string) => sql`(case when (c.attributes ->> ${key}) ~ '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])'
    and substr(c.attributes ->> ${key}, 9, 2)::int <= extract(day from (make_date(substr(c.attributes ->> ${key}, 1, 4)::int, substr(c.attributes ->> ${key}, 6, 2)::int, 1) + interval '1 month - 1 day'))
  then substr(c.attributes ->> ${key}, 1, 10)::date end)`;

export async function enrolDateTriggers(db: Db, now: Date): Promise<number> {
  const dated = await db.select().from(journeys).where(and(eq(journeys.status, "active"), eq(journeys.triggerKind, "date")));
  let entered = 0;
  for (const journey of dated) {
    const graph = await versionGraph(db, journey.workspaceId, journey.id, journey.version!);
    const trigger = graph && triggerOf(graph);
    if (!trigger || trigger.data.kind !== "date" || !trigger.data.attribute) continue;
    const { attribute, offsetDays = 0, time = "09:00", yearly = false } = trigger.data;
    const [workspace] = await db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, journey.workspaceId));
    const day = attributeDay(attribute);
    const localDay = sql`(${now.toISOString()}::timestamptz at time zone t.tz)::date`;
    // Yearly: the local day, moved back by the offset, is the date's anniversary.
    const onDay = yearly ? sql`to_char(${localDay} - ${offsetDays}::int, 'MM-DD') = to_char(${day}, 'MM-DD')` : sql`${day} + ${offsetDays}::int = ${localDay}`;
    const due = await queryRows<{ contact_id: string; local_day: string | Date }>(
      db,
      sql`select c.id as contact_id, ${localDay}::text as local_day
          from contacts c
          left join pg_timezone_names z on z.name = c.timezone
          cross join lateral (select coalesce(z.name, ${workspace?.timezone ?? "UTC"}) as tz) t
          where c.workspace_id = ${journey.workspaceId} and (c.attributes ->> ${attribute}) is not null
            and ${onDay}
            and (${now.toISOString()}::timestamptz at time zone t.tz)::time >= ${time}::time`,
    );
    const entries = due.map((row) => ({
      contactId: row.contact_id,
      key: `date:${row.contact_id}:${String(row.local_day).slice(0, 10)}`,
      entry: { source: "date", attribute, day: String(row.local_day).slice(0, 10) },
    }));
    for (let start = 0; start < entries.length; start += 1000) entered += (await enrol(db, journey, entries.slice(start, start + 1000), now)).runs.length;
  }
  return entered;
}
