import type { MonitorWindow } from "@/db/schema";

// Window buckets: a monitor keeps one counter per contact and bucket. A rolling window of N
// minutes, hours or days counts the buckets of that unit that start within the last N units
// (so its edge is the bucket's start: "the last 30 days" is today and the 29 days before it,
// by UTC day). A calendar window is the one bucket of the current day, week (from Monday) or
// month in the workspace's time zone. A lifetime window is one bucket forever.

const unitMs = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export const lifetimeBucket = new Date(0);

// Building a formatter costs far more than using one: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function zonedParts(at: Date, timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short" });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(
    formatter
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return parts as Record<"year" | "month" | "day" | "hour" | "minute" | "second" | "weekday", string>;
}

/** The instant a local midnight happens in a zone (DST-safe for midnights that exist). */
function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day);
  let guess = wanted;
  for (let step = 0; step < 2; step++) {
    const parts = zonedParts(new Date(guess), timeZone);
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    guess = wanted - (wall - guess);
  }
  return new Date(guess);
}

/** The start of the bucket an instant falls in. */
export function bucketOf(window: MonitorWindow, at: Date, timeZone: string): Date {
  if (window.kind === "lifetime") return lifetimeBucket;
  if (window.kind === "rolling") {
    const size = unitMs[window.unit];
    return new Date(Math.floor(at.getTime() / size) * size);
  }
  const parts = zonedParts(at, timeZone);
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  if (window.unit === "day") return localMidnight(year, month, day, timeZone);
  if (window.unit === "month") return localMidnight(year, month, 1, timeZone);
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
  const monday = new Date(Date.UTC(year, month - 1, day) - weekday * 86_400_000);
  return localMidnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
}

/** The oldest bucket start that still counts at `at`. */
export function windowStart(window: MonitorWindow, at: Date, timeZone: string): Date {
  if (window.kind === "rolling") {
    const size = unitMs[window.unit];
    return new Date(bucketOf(window, at, timeZone).getTime() - (window.amount - 1) * size);
  }
  return bucketOf(window, at, timeZone);
}

/** How long a window lasts (for "once per window" on rolling windows). */
export function windowLengthMs(window: MonitorWindow): number {
  if (window.kind === "rolling") return window.amount * unitMs[window.unit];
  if (window.kind === "calendar") return { day: 86_400_000, week: 7 * 86_400_000, month: 31 * 86_400_000 }[window.unit];
  return Number.POSITIVE_INFINITY;
}

/** "$day": the event's local calendar day, for streaks (distinct days). */
export function localDay(at: Date, timeZone: string): string {
  const parts = zonedParts(at, timeZone);
  return `${parts.year}-${parts.month}-${parts.day}`;
}
