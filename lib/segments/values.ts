import type { AttributeType } from "@/db/schema";

// Value semantics shared by the reference evaluator and the SQL compiler. Every value has a
// type; a raw value that does not fit its type is missing (null), and a comparison with a
// missing value is false.

export type ValueType = AttributeType;
export type Value = string | number | boolean | Date | string[] | null;

/** Contact fields a rule may read, with their types and columns. */
export const contactFields: Record<string, { type: ValueType; column: string }> = {
  email: { type: "string", column: "email" },
  phone: { type: "string", column: "phone" },
  first_name: { type: "string", column: "first_name" },
  last_name: { type: "string", column: "last_name" },
  external_id: { type: "string", column: "external_id" },
  lifecycle_stage: { type: "string", column: "lifecycle_stage" },
  timezone: { type: "string", column: "timezone" },
  locale: { type: "string", column: "locale" },
  created_at: { type: "date", column: "created_at" },
  last_seen_at: { type: "date", column: "last_seen_at" },
  score: { type: "number", column: "score" },
  points_balance: { type: "number", column: "points_balance" },
};

// Text that reads as a number or a date. The SQL compiler uses the same patterns (their
// sources below), so both sides agree on every string; anything else is missing.
export const numberSource = "^-?[0-9]{1,15}([.][0-9]{1,15})?$";
// Offsets stop at ±15:59, the largest Postgres accepts: a larger one ("+16:00") would be an
// error that fails the whole query instead of a missing value (real offsets end at +14:00).
// The pattern knows how many days each month has, and that 29 February needs a leap year
// (divisible by 4; of the centuries, only those divisible by 400).
const monthDays = "(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8])";
const leapYear = "[1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00";
export const dateSource =
  `^([1-9][0-9]{3}-(${monthDays})|(${leapYear})-02-29)` +
  "([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-5]):[0-5][0-9])?)?$";
export const offsetSource = "(Z|[+-][0-9]{2}:[0-9]{2})$";
const numberPattern = new RegExp(numberSource);
const datePattern = new RegExp(dateSource);
const offsetPattern = new RegExp(offsetSource);
/** Numbers beyond this are missing: float8 in Postgres and doubles in JS then agree. */
export const numberLimit = 1e300;

const dayMs = 86_400_000;

/**
 * The moment `days` days before `now`: where a window starts, and what days_ago reads. Both
 * sides take it from here, rounded down to the millisecond a Date holds, so a fractional
 * number of days puts the edge at the same millisecond in SQL and in the evaluator.
 */
export function daysBefore(now: Date, days: number): Date {
  return new Date(Math.floor(now.getTime() - days * dayMs));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseDate(text: string): Date | null {
  if (!datePattern.test(text)) return null;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  if (Number(text.slice(8, 10)) > daysInMonth(year, month)) return null;
  const iso = text.length > 10 ? text.replace(" ", "T") : `${text}T00:00:00`;
  const time = Date.parse(offsetPattern.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(time) ? null : new Date(time);
}

/** Reads a raw JSON value as the given type, or null when it does not fit. */
export function castValue(type: ValueType, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case "number":
      if (typeof raw === "number") return Math.abs(raw) < numberLimit ? raw : null;
      if (typeof raw === "string" && numberPattern.test(raw)) return Number(raw);
      return null;
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === "true") return true;
      if (raw === "false") return false;
      return null;
    case "date":
      if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw;
      return typeof raw === "string" ? parseDate(raw) : null;
    case "list":
      return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === "string") : null;
    case "string":
      return typeof raw === "string" ? raw : null;
  }
}

/** The type a literal in a rule has. */
export function literalType(value: unknown): ValueType | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? "number" : undefined;
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) return "list";
  return undefined;
}

/** Code-point order, the same order as Postgres's "C" collation on UTF-8 text. */
export function compareText(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
