import jsonLogic from "json-logic-js";
import type { AttributeType, JsonObject } from "@/db/schema";
import { compareNumbers } from "./compile";
import type { CompareOp } from "./rule";
import { castValue, compareText, contactFields, daysBefore, literalType, type Value, type ValueType } from "./values";

// The reference evaluator: json-logic-js over one contact's loaded data, with Tideline's
// operators added and typed comparisons. It defines what a rule means; the SQL compiler
// must select exactly the contacts for which this returns true.

export interface LoadedContact {
  /** Raw contact columns by rule field name (email, created_at, score, …). */
  fields: Record<string, unknown>;
  attributes: JsonObject;
  tags: string[];
  events: Array<{ name: string; properties: JsonObject; timestamp: Date }>;
  memberships: Array<{ segmentId: string; enteredAt: Date; exitedAt: Date | null }>;
}

export interface EvaluateOptions {
  attributes: Map<string, AttributeType>;
  now: Date;
}

const marker = "$tideline";
type Marker = { [marker]: true; type?: ValueType; mode?: "has_item" | "substring" | "in_list" };
type Data = Record<string, unknown> & { $now: Date; $contact?: LoadedContact };

// Own properties only: a key such as "__proto__" or "constructor" is data like any other,
// never something inherited from Object.prototype.
function own(object: unknown, key: string): unknown {
  return object && Object.hasOwn(object, key) ? ((object as Record<string, unknown>)[key] ?? null) : null;
}

function lookup(data: Data, name: string): unknown {
  if (name.startsWith("attributes.")) return own(data.attributes, name.slice(11));
  if (name.startsWith("properties.")) return own(data.properties, name.slice(11));
  return own(data, name);
}

function compareValues(a: Value, op: CompareOp, b: Value, type: ValueType): boolean {
  if (a === null || b === null) return false;
  let difference: number;
  if (type === "number") difference = (a as number) - (b as number);
  else if (type === "date") difference = (a as Date).getTime() - (b as Date).getTime();
  else if (type === "string") difference = compareText(a as string, b as string);
  else difference = a === b ? 0 : 1; // booleans: equality only
  return compareNumbers(difference, op, 0);
}

function comparison(op: CompareOp) {
  return function (this: Data, ...values: unknown[]) {
    const tag = values.pop() as Marker;
    const type = tag.type!;
    const cast = values.map((value) => castValue(type, value));
    if (cast.length === 3) return compareValues(cast[0], op, cast[1], type) && compareValues(cast[1], op, cast[2], type);
    return compareValues(cast[0], op, cast[1], type);
  };
}

function eventMatches(event: LoadedContact["events"][number], spec: { where?: unknown; within_days?: number }, now: Date) {
  if (spec.within_days !== undefined && event.timestamp < daysBefore(now, spec.within_days)) return false;
  if (spec.where === undefined) return true;
  return jsonLogic.truthy(jsonLogic.apply(spec.where as jsonLogic.RulesLogic, { properties: event.properties, $now: now }));
}

const operations: Record<string, (this: Data, ...args: never[]) => unknown> = {
  var(this: Data, name: string) {
    return lookup(this, name);
  },
  missing(this: Data, ...names: string[]) {
    return names.flat().some((name) => {
      const value = lookup(this, name);
      return value === null || value === undefined || value === "";
    });
  },
  "==": comparison("=="),
  "===": comparison("=="),
  "!=": comparison("!="),
  "!==": comparison("!="),
  "<": comparison("<"),
  "<=": comparison("<="),
  ">": comparison(">"),
  ">=": comparison(">="),
  in(this: Data, needle: unknown, haystack: unknown, tag: Marker) {
    if (tag.mode === "has_item") return Array.isArray(haystack) && haystack.includes(needle as string);
    if (tag.mode === "substring") {
      const text = castValue("string", haystack);
      return typeof text === "string" && text.includes(needle as string);
    }
    const value = castValue(tag.type!, needle);
    return value !== null && (haystack as unknown[]).includes(value);
  },
  days_ago(this: Data, days: number) {
    return daysBefore(this.$now, days);
  },
  performed(this: Data, spec: { event: string; where?: unknown; within_days?: number; count?: Record<string, number | number[]> }) {
    const contact = this.$contact!;
    const count = contact.events.filter((event) => event.name === spec.event && eventMatches(event, spec, this.$now)).length;
    const [op, n] = spec.count ? (Object.entries(spec.count)[0] as [string, number | number[]]) : [">=", 1];
    // The validator takes the count as N or [N], like any json-logic argument; [N] must not
    // reach compareNumbers, whose == is ===.
    return compareNumbers(count, (op === "===" ? "==" : op === "!==" ? "!=" : op) as CompareOp, Array.isArray(n) ? n[0] : n);
  },
  aggregate(this: Data, spec: { event: string; fn?: string; property?: string; where?: unknown; within_days?: number }) {
    const matching = this.$contact!.events.filter((event) => event.name === spec.event && eventMatches(event, spec, this.$now));
    const fn = spec.fn ?? "count";
    if (fn === "count") return matching.length;
    const numbers = matching
      .map((event) => castValue("number", own(event.properties, spec.property!)))
      .filter((value): value is number => value !== null);
    // A sum past the number limit is missing like any number past it (the SQL does the same).
    if (fn === "sum") return castValue("number", numbers.reduce((total, value) => total + value, 0));
    if (numbers.length === 0) return null;
    if (fn === "avg") return numbers.reduce((total, value) => total + value, 0) / numbers.length;
    return fn === "min" ? Math.min(...numbers) : Math.max(...numbers);
  },
  in_segment(this: Data, spec: { segment: string; within_days?: number }) {
    const since = spec.within_days === undefined ? undefined : daysBefore(this.$now, spec.within_days).getTime();
    return this.$contact!.memberships.some(
      (membership) =>
        membership.segmentId === spec.segment &&
        (since === undefined
          ? membership.exitedAt === null
          : membership.enteredAt <= this.$now && (membership.exitedAt === null || membership.exitedAt.getTime() >= since)),
    );
  },
};
for (const [name, operation] of Object.entries(operations)) jsonLogic.add_operation(name, operation as never);

// The type a comparison is made in, read the way the validator reads it: the typed side
// (field, attribute, aggregate, days_ago) wins; otherwise the literal's type.
function operandType(node: unknown, attributes: Map<string, AttributeType>): ValueType | undefined {
  if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
  const [op, raw] = Object.entries(node)[0];
  if (op === "days_ago") return "date";
  if (op === "aggregate") return "number";
  if (op !== "var") return undefined;
  const name = String(Array.isArray(raw) ? raw[0] : raw);
  if (name === "tags") return "list";
  if (name.startsWith("attributes.")) return attributes.get(name.slice(11));
  return contactFields[name]?.type;
}

/** Rewrites a rule for json-logic-js: comparisons carry their type, custom operators their spec. */
function annotate(node: unknown, attributes: Map<string, AttributeType>): unknown {
  if (!node || typeof node !== "object" || Array.isArray(node)) return node;
  const [op, raw] = Object.entries(node)[0];
  const list = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case "and":
    case "or":
    case "!":
    case "!!":
      return { [op]: list.map((item) => annotate(item, attributes)) };
    case "performed":
    case "aggregate": {
      const spec = raw as Record<string, unknown>;
      return { [op]: [{ ...spec, where: spec.where === undefined ? undefined : annotate(spec.where, attributes), [marker]: true }] };
    }
    case "in_segment":
      return { [op]: [{ ...(raw as object), [marker]: true }] };
    case "in": {
      const [needle, haystack] = list;
      const haystackType = operandType(haystack, attributes);
      let tag: Marker;
      if (haystackType === "list") tag = { [marker]: true, mode: "has_item" };
      else if (!Array.isArray(haystack)) tag = { [marker]: true, mode: "substring" };
      else {
        const type = operandType(needle, attributes) ?? (typeof haystack[0] === "number" ? "number" : "string");
        tag = { [marker]: true, mode: "in_list", type };
      }
      return { in: [annotate(needle, attributes), Array.isArray(haystack) ? haystack : annotate(haystack, attributes), tag] };
    }
  }
  if (["==", "===", "!=", "!==", "<", "<=", ">", ">="].includes(op)) {
    const type =
      list.map((item) => operandType(item, attributes)).find((found) => found !== undefined) ??
      list.map((item) => literalType(item)).find((found) => found !== undefined)!;
    return { [op]: [...list.map((item) => annotate(item, attributes)), { [marker]: true, type }] };
  }
  return node;
}

function contactData(contact: LoadedContact, options: EvaluateOptions): Data {
  const data: Data = { $now: options.now, $contact: contact, tags: contact.tags };
  for (const [name, field] of Object.entries(contactFields)) data[name] = castValue(field.type, contact.fields[name]);
  // No prototype: assigning attributes["__proto__"] on a plain object would set its prototype
  // instead of storing the value.
  const attributes: Record<string, Value> = Object.create(null);
  for (const [key, type] of options.attributes) attributes[key] = castValue(type, own(contact.attributes, key));
  data.attributes = attributes;
  return data;
}

/** Whether a (valid) rule is true for this contact. */
export function evaluateRule(rule: unknown, contact: LoadedContact, options: EvaluateOptions): boolean {
  const logic = annotate(rule, options.attributes);
  return jsonLogic.truthy(jsonLogic.apply(logic as jsonLogic.RulesLogic, contactData(contact, options)));
}
