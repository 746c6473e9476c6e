import { z } from "zod";
import type { AttributeType, Json } from "@/db/schema";

export type Converted = { ok: true; value: Json } | { ok: false };

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const truthy = new Set(["true", "yes", "y", "1", "是", "真", "对"]);
const falsy = new Set(["false", "no", "n", "0", "否", "假", "错"]);
const datePattern = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Splits a cell holding several values ("vip, beta; 2024"). */
export function splitList(value: string): string[] {
  return value
    .split(/[,;，；]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

// A cell as the attribute's type wants it. Dates keep their day as written (2024-03-05) or
// become an ISO instant when they carry a time.
export function convertValue(raw: string, type: AttributeType): Converted {
  const value = raw.trim();
  switch (type) {
    case "string":
      return { ok: true, value };
    case "number": {
      if (!numberPattern.test(value)) return { ok: false };
      const number = Number(value);
      return Number.isFinite(number) ? { ok: true, value: number } : { ok: false };
    }
    case "boolean": {
      const lower = value.toLowerCase();
      if (truthy.has(lower)) return { ok: true, value: true };
      if (falsy.has(lower)) return { ok: true, value: false };
      return { ok: false };
    }
    case "date": {
      const match = datePattern.exec(value);
      if (!match) return { ok: false };
      const [, year, month, day, hour] = match;
      const isoDay = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
      const dayOnly = new Date(`${isoDay}T00:00:00Z`);
      if (Number.isNaN(dayOnly.getTime()) || dayOnly.toISOString().slice(0, 10) !== isoDay) return { ok: false };
      if (hour === undefined) return { ok: true, value: isoDay };
      const instant = new Date(value.replace(/^(\d{4})[/.](\d{1,2})[/.](\d{1,2})/, isoDay).replace(" ", "T"));
      return Number.isNaN(instant.getTime()) ? { ok: false } : { ok: true, value: instant.toISOString() };
    }
    case "list":
      return { ok: true, value: splitList(value) };
  }
}

/** The type a column's sample values suggest for a new attribute. */
export function guessType(samples: string[]): AttributeType {
  const values = samples.map((sample) => sample.trim()).filter(Boolean);
  if (values.length === 0) return "string";
  // "02134" is a code (a postcode, an id) whose leading zero a number would lose.
  const codes = values.some((value) => /^[+-]?0\d/.test(value));
  for (const type of ["number", "boolean", "date"] as const) {
    if (type === "number" && codes) continue;
    if (values.every((value) => convertValue(value, type).ok)) return type;
  }
  return "string";
}

const emailPattern = z.regexes.email;

/** The same rule as the contact forms and the REST API (zod's email check). */
export function isEmail(value: string): boolean {
  return value.length <= 254 && emailPattern.test(value);
}

const timeZones = new Map<string, boolean>();
export function isTimeZoneCached(value: string, check: (zone: string) => boolean): boolean {
  let known = timeZones.get(value);
  if (known === undefined) {
    known = check(value);
    if (timeZones.size < 1000) timeZones.set(value, known);
  }
  return known;
}

const locales = new Map<string, string | null>();
/** The canonical BCP 47 form, or null when it is not a locale. */
export function canonicalLocale(value: string): string | null {
  let known = locales.get(value);
  if (known === undefined) {
    try {
      const canonical = Intl.getCanonicalLocales(value);
      known = canonical.length === 1 ? canonical[0] : null;
    } catch {
      known = null;
    }
    if (locales.size < 1000) locales.set(value, known);
  }
  return known;
}
