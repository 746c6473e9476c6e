// Local-time sends: "2026-12-24T09:00" is 09:00 in each contact's own timezone. The first
// place to reach it is UTC+14 (Kiribati), so a fan-out that starts then is early for everyone;
// each message waits for its recipient's moment (messages.not_before).

const earliestOffsetHours = 14;

/** The instant the first timezone on Earth reaches this wall-clock time. */
export function earliestLocalMoment(localTime: string): Date {
  const asUtc = new Date(`${localTime}:00Z`);
  return new Date(asUtc.getTime() - earliestOffsetHours * 3600_000);
}

/** The instant a wall-clock time happens in a zone (the first one when clocks go back). */
export function localMomentIn(localTime: string, timeZone: string): Date {
  const wanted = new Date(`${localTime}:00Z`).getTime();
  // Guess the zone's offset at the wanted moment, then correct once for a DST change between.
  let guess = wanted;
  for (let step = 0; step < 2; step++) guess = wanted - offsetOf(guess, timeZone);
  return new Date(guess);
}

function offsetOf(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at / 1000) * 1000;
}
