import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { Channel, FrequencyCap, QuietHours } from "@/db/schema";

function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(":").map(Number);
  return hours * 60 + minutes;
}

/** Minutes since local midnight in `timeZone`, and the seconds into the current minute. */
function localClock(now: Date, timeZone: string): { minutes: number; seconds: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { minutes: part("hour") * 60 + part("minute"), seconds: part("second") };
}

/**
 * When quiet hours end, if `now` falls inside them in the contact's timezone; undefined when
 * sending is allowed now. A window may wrap midnight (21:00–08:00).
 */
export function quietHoursEnd(now: Date, quietHours: QuietHours | undefined, timeZone: string): Date | undefined {
  if (!quietHours) return undefined;
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return undefined;
  const { minutes, seconds } = localClock(now, timeZone);
  const inside = start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  if (!inside) return undefined;
  const wait = (end - minutes + 1440) % 1440;
  return new Date(now.getTime() + wait * 60_000 - seconds * 1000 - now.getMilliseconds());
}

/**
 * When the next marketing message may go to this contact on this channel under the cap, or
 * undefined when one may go now. Messages being handed over count too (status sending), so two
 * sends racing for the last slot cannot both take it (callers hold the contact's lock).
 */
export async function frequencyCapEnd(
  db: Db,
  input: { workspaceId: string; contactId: string; channel: Channel; cap: FrequencyCap | undefined; now: Date; excludeMessageId: string },
): Promise<Date | undefined> {
  const { cap } = input;
  if (!cap || cap.count <= 0 || cap.hours <= 0) return undefined;
  const since = new Date(input.now.getTime() - cap.hours * 3_600_000);
  const [row] = await queryRows<{ sent: number; oldest: string | Date | null }>(
    db,
    sql`select count(*)::int as sent, min(coalesce(sent_at, updated_at)) as oldest
        from (
          select sent_at, updated_at from messages
          where workspace_id = ${input.workspaceId} and contact_id = ${input.contactId} and channel = ${input.channel}
            and kind = 'marketing' and id <> ${input.excludeMessageId}
            and (status = 'sending' or sent_at >= ${since.toISOString()}::timestamptz)
          order by coalesce(sent_at, updated_at) desc
          limit ${cap.count}
        ) recent`,
  );
  if (!row || row.sent < cap.count || !row.oldest) return undefined;
  return new Date(new Date(row.oldest).getTime() + cap.hours * 3_600_000);
}
