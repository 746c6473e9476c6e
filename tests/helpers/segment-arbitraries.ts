import fc from "fast-check";
import type { AttributeType, Json, JsonObject } from "@/db/schema";

// Data generators for the segment equivalence tests: attribute catalogues, and contacts with
// data that fits its declared type and data that does not, timestamps on window edges, events
// and membership histories. Rules are in segment-rule-arbitraries.ts.

export const dayMs = 86_400_000;

export interface CatalogueEntry {
  key: string;
  type: AttributeType;
}

export interface GeneratedEvent {
  name: string;
  properties: JsonObject;
  timestamp: Date;
}

export interface GeneratedMembership {
  segmentId: string;
  enteredAt: Date;
  exitedAt: Date | null;
}

export interface GeneratedContact {
  fields: {
    email: string | null;
    phone: string | null;
    first_name: string | null;
    last_name: string | null;
    external_id: string | null;
    lifecycle_stage: string | null;
    timezone: string | null;
    locale: string | null;
    created_at: Date;
    last_seen_at: Date | null;
    score: number;
  };
  attributes: JsonObject;
  tags: string[];
  events: GeneratedEvent[];
  memberships: GeneratedMembership[];
}

export interface Scenario {
  catalogue: CatalogueEntry[];
  now: Date;
  contacts: GeneratedContact[];
  rules: unknown[];
}

export interface ScenarioOptions {
  /** Segment ids rules may reference with in_segment (and contacts may be members of); empty leaves in_segment out. */
  segmentIds?: string[];
  contacts?: { min: number; max: number };
  rulesPerScenario?: number;
  depth?: number;
}

export const stringFields = ["email", "phone", "first_name", "last_name", "external_id", "lifecycle_stage", "timezone", "locale"] as const;

// Windows and days_ago values. 1.0000000001 days is not a whole number of milliseconds,
// which is where a window's edge can be rounded differently on the two sides.
export const windowDays = [0.5, 1, 7, 30, 1.0000000001];
export const daysAgoValues = [...windowDays, 0, -1, 365];

export const eventNames = ["Order Completed", "signup", "Ünïcødé 🎉", "it's \"quoted\"; --"];
const otherEventName = "Page Viewed";
export const propertyKeys = ["amount", "plan", "a.b", "it's", "ключ", "__proto__"];

const keyPool = ["plan", "seats", "vip", "signup", "interests", "a.b", "with space", "it's", 'say "hi"', "ünïcødé", "日本語", "emoji 🎉", "$1", "back\\slash", "__proto__", "constructor", "toString"];

// Shared with rule literals so that equality, ordering and substring tests hit real values.
// "\uFFFF" sorts before "🎉" by code point but after it by UTF-16 code unit.
export const textPool = ["", "a", "A", "b", "ab", "abc", "pro", "Pro", "free", "é", "e\u0301", "z", "日本", "🎉", "\uFFFF", "😀x", " ", "12", "true", "2026-01-05", "'; drop table contacts; --", "%", "_", "\\", "a%b", "it's", 'say "hi"'];
export const tagPool = ["vip", "", "新", "🎉", "b2b", "a'b", "VIP"];

export const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...textPool) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 5 }).map((text) => text.replaceAll("\u0000", "")) },
);

// Numbers a rule may use (the validator refuses literals at or beyond 1e300).
export const literalNumbers = [0, -0, 1, -1, 0.5, 2, 2.5, 3, 10, 12, 100, -7.25, 123456789012345, 1e15, 1e200, 6e299, 9.999999999999999e299, -9.999999999999999e299, 5e-324];
// Data may hold anything, including numbers the value rules treat as missing.
const dataNumbers = [...literalNumbers, 1e300, 1e308, -1e308];
// Event property numbers that add up exactly in any order (sum and avg run in the
// database's scan order, so inexact sums could differ in the last bit): small integers and
// halves, and large values of one sign whose sums absorb the small ones.
const propertyNumbers = [0, -0, 1, -1, 2, 2.5, 3, 10, 12, 100, -7.5, 1e200, 6e299, 1e300, 1e308];
const numberTexts = ["12", "-3.5", "0012", "-0", "123456789012345.123456789012345", "1e5", " 12", "12 ", "12\n", "１２", "1_000", "1.", ".5", "1234567890123456", "0x10", "Infinity", "NaN", ""];
const dateTexts = [
  "2026-01-05",
  "2026-01-05T10:00:00Z",
  "2026-01-05 10:00",
  "2026-01-05T10:00:00.5",
  "2026-01-05T10:00:00.123+05:30",
  "2024-02-29",
  "2026-02-29",
  "2026-02-30",
  "2026-04-31",
  "2026-01-05T10:00:00+14:00",
  "2026-01-05T10:00:00+15:59",
  "2026-01-05T10:00:00+16:00",
  "2026-01-05T10:00:00-23:59",
  "2026-01-05T10:00:00.1234Z",
  "2026-01-05T24:00",
  "2026-1-5",
  "2026-01-05\n",
  "2026-01-05t10:00:00z",
  "0999-01-01",
  "yesterday",
  "",
];
const hostileValues: Json[] = [
  null,
  "",
  "abc",
  "true",
  "false",
  "TRUE",
  "12",
  "2026-01-05",
  1e308,
  -0,
  true,
  false,
  0,
  {},
  JSON.parse('{"a": 1, "__proto__": "x"}') as Json,
  [],
  [1, "a", null, ["x"], { b: "x" }, true],
  ["", "🎉"],
  "'; drop table contacts; --",
];

/** A timestamp near `now`: on a window's edge give or take a millisecond, or anywhere in the last 100 days. */
export function timestampArb(now: Date): fc.Arbitrary<Date> {
  const edge = fc
    .tuple(fc.constantFrom(...daysAgoValues), fc.constantFrom(Math.floor, Math.ceil), fc.integer({ min: -1, max: 1 }))
    .map(([days, round, delta]) => new Date(round(now.getTime() - days * dayMs) + delta));
  const anywhere = fc.integer({ min: now.getTime() - 100 * dayMs, max: now.getTime() + 2 * dayMs }).map((ms) => new Date(ms));
  return fc.oneof(edge, anywhere);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** A date written the ways people store dates: ISO with Z, date only, with a space, with offsets. */
export function dateTextArb(now: Date): fc.Arbitrary<string> {
  return fc
    .tuple(timestampArb(now), fc.constantFrom("iso", "date", "space", "offset", "tenth"), fc.constantFrom(330, -480, 840, 0))
    .map(([time, style, offsetMinutes]) => {
      const iso = time.toISOString();
      if (style === "iso") return iso;
      if (style === "date") return iso.slice(0, 10);
      if (style === "space") return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
      if (style === "tenth") return `${iso.slice(0, 21)}`;
      const local = new Date(time.getTime() + offsetMinutes * 60_000).toISOString();
      const sign = offsetMinutes < 0 ? "-" : "+";
      const abs = Math.abs(offsetMinutes);
      return `${local.slice(0, 23)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    });
}

function fittingValue(type: AttributeType, now: Date): fc.Arbitrary<Json> {
  switch (type) {
    case "string":
      return textArb;
    case "number":
      return fc.oneof(fc.constantFrom(...dataNumbers), fc.constantFrom(...numberTexts), fc.integer({ min: -50, max: 50 }));
    case "boolean":
      return fc.constantFrom(true, false, "true", "false");
    case "date":
      return fc.oneof(dateTextArb(now), fc.constantFrom(...dateTexts));
    case "list":
      return fc.oneof(fc.array(fc.constantFrom(...tagPool, ...textPool), { maxLength: 3 }), fc.constantFrom<Json>([], ["a", 1, null, ["a"]], "a"));
  }
}

const allTypes: AttributeType[] = ["string", "number", "boolean", "date", "list"];

/** A raw attribute value: mostly one that fits the type, often one that does not. */
function rawValueArb(type: AttributeType, now: Date): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 5, arbitrary: fittingValue(type, now) },
    { weight: 2, arbitrary: fc.constantFrom(...hostileValues) },
    { weight: 1, arbitrary: fc.constantFrom(...allTypes).chain((other) => fittingValue(other, now)) },
  );
}

/** An object with exactly these own properties, `__proto__` included. */
function ownObject(entries: Array<[string, Json]>): JsonObject {
  const object: JsonObject = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

export const catalogueArb: fc.Arbitrary<CatalogueEntry[]> = fc
  .tuple(
    fc.uniqueArray(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...keyPool) }, { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }).filter((key) => !key.includes("\u0000")) }), {
      minLength: 5,
      maxLength: 9,
    }),
    fc.array(fc.constantFrom(...allTypes), { minLength: 9, maxLength: 9 }),
  )
  // The first five keys take one type each, so every type is in every catalogue.
  .map(([keys, types]) => keys.map((key, i) => ({ key, type: i < 5 ? allTypes[i] : types[i] })));

function propertyValueArb(now: Date): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...propertyNumbers) },
    { weight: 1, arbitrary: fc.constantFrom("12", "abc", "-0", "2.5") },
    { weight: 2, arbitrary: textArb },
    { weight: 1, arbitrary: fc.constantFrom<Json>(true, false, "true", null, [], { a: 1 }) },
    { weight: 1, arbitrary: dateTextArb(now) },
  );
}

function eventArb(now: Date): fc.Arbitrary<GeneratedEvent> {
  return fc.record({
    name: fc.constantFrom(...eventNames, otherEventName),
    properties: fc.array(fc.tuple(fc.constantFrom(...propertyKeys), propertyValueArb(now)), { maxLength: 3 }).map(ownObject),
    timestamp: timestampArb(now),
  });
}

/** Stays in each segment, one after another; the last may still be open (at most one is). */
function membershipsArb(now: Date, segmentIds: string[]): fc.Arbitrary<GeneratedMembership[]> {
  const stays = (segmentId: string) =>
    fc.array(timestampArb(now), { maxLength: 4 }).map((times) => {
      const sorted = [...times].sort((a, b) => a.getTime() - b.getTime());
      const result: GeneratedMembership[] = [];
      for (let i = 0; i < sorted.length; i += 2) result.push({ segmentId, enteredAt: sorted[i], exitedAt: sorted[i + 1] ?? null });
      return result;
    });
  return fc.tuple(...segmentIds.map(stays)).map((lists) => lists.flat());
}

export function contactArb(catalogue: CatalogueEntry[], now: Date, segmentIds: string[]): fc.Arbitrary<GeneratedContact> {
  const text = fc.option(textArb, { nil: null, freq: 4 });
  return fc.record({
    fields: fc.record({
      email: text,
      phone: text,
      first_name: text,
      last_name: text,
      external_id: text,
      lifecycle_stage: text,
      timezone: text,
      locale: text,
      created_at: timestampArb(now),
      last_seen_at: fc.option(timestampArb(now), { nil: null }),
      score: fc.oneof(fc.constantFrom(0, 1, -1, 10, 12, 100), fc.integer({ min: -1000, max: 1000 })),
    }),
    attributes: fc
      .tuple(
        fc.tuple(...catalogue.map((entry) => fc.option(rawValueArb(entry.type, now), { nil: undefined, freq: 5 }))),
        fc.option(fc.constantFrom(...hostileValues), { nil: undefined }),
      )
      .map(([values, extra]) => {
        const entries: Array<[string, Json]> = [];
        catalogue.forEach((entry, i) => {
          if (values[i] !== undefined) entries.push([entry.key, values[i] as Json]);
        });
        // A key the catalogue does not know: rules cannot read it, it must not disturb anything.
        if (extra !== undefined) entries.push(["not in catalogue", extra]);
        return ownObject(entries);
      }),
    tags: fc.array(fc.constantFrom(...tagPool), { maxLength: 3 }),
    events: fc.array(eventArb(now), { maxLength: 6 }),
    memberships: segmentIds.length === 0 ? fc.constant([]) : membershipsArb(now, segmentIds),
  });
}

/** Contacts whose external ids are unique (the table has a unique index on them). */
export function uniqueExternalIds(contacts: GeneratedContact[]): GeneratedContact[] {
  const seen = new Set<string>();
  return contacts.map((contact) => {
    const id = contact.fields.external_id;
    if (id === null) return contact;
    if (seen.has(id)) return { ...contact, fields: { ...contact.fields, external_id: null } };
    seen.add(id);
    return contact;
  });
}

export const nowArb = fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2027-12-31T23:59:59Z"), noInvalidDate: true });
