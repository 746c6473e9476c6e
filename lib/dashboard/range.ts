import { localMomentIn } from "@/lib/broadcasts/schedule";

// The dashboard's ranges are whole days in the workspace's time zone: "7 days" is today so
// far and the six days before it, so every bar of a daily chart is one local day.

export const rangeDays = [7, 30, 90] as const;
export type RangeDays = (typeof rangeDays)[number];
export const defaultRangeDays: RangeDays = 30;

/** The `?range=` search parameter as one of the offered lengths (anything else: the default). */
export function parseRangeDays(value: string | string[] | undefined): RangeDays {
  const days = Number(Array.isArray(value) ? value[0] : value);
  return (rangeDays as readonly number[]).includes(days) ? (days as RangeDays) : defaultRangeDays;
}

/** The calendar date ("YYYY-MM-DD") of an instant in a zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** From local midnight `days - 1` days before today, up to now. */
export function dashboardRange(days: number, timeZone: string, now = new Date()): { from: Date; to: Date } {
  const [year, month, day] = localDate(now, timeZone).split("-").map(Number);
  const first = new Date(Date.UTC(year, month - 1, day - (days - 1))).toISOString().slice(0, 10);
  return { from: localMomentIn(`${first}T00:00`, timeZone), to: now };
}
