import type { AttributeType } from "@/db/schema";
import type { CompareOp, Condition, Operand, RuleDependencies, RuleProblem, RuleProblemCode } from "./rule";
import { contactFields, literalType, numberLimit, parseDate, type ValueType } from "./values";

export interface RuleContext {
  /** The attribute catalogue: key → type (declared or inferred). */
  attributes: Map<string, AttributeType>;
  /** Segment id → its rule, to check that referenced segments exist and form no cycle. */
  segments?: Map<string, unknown>;
  /** The segment this rule belongs to (a rule may not depend on itself). */
  segmentId?: string;
}

export type ValidationResult =
  | { ok: true; condition: Condition; dependencies: RuleDependencies }
  | { ok: false; problems: RuleProblem[] };

const compareOps = new Set<CompareOp>(["==", "!=", "<", "<=", ">", ">="]);
const comparisonAliases: Record<string, CompareOp> = { "===": "==", "!==": "!=" };
const maxDepth = 32;
const maxDaysAgo = 36500;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Params = Record<string, string | number>;

/** A refusal: where, why in English, and the code and params the app's screens translate it with. */
class Problem extends Error {
  constructor(
    readonly path: string,
    readonly code: RuleProblemCode,
    message: string,
    readonly params?: Params,
  ) {
    super(message);
  }
}

// A problem says where (path), what in English (message, as the REST API returns it) and which
// one (code, params), so the app's screens can say it in the reader's language.
function ruleProblem(path: string, code: RuleProblemCode, message: string, params?: Params): RuleProblem {
  return params ? { path, message, code, params } : { path, message, code };
}

type Scope = "contact" | "event";

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text && text.length > 60 ? `${text.slice(0, 57)}...` : String(text);
}

function operatorOf(node: unknown, path: string): [string, unknown] {
  if (!node || typeof node !== "object" || Array.isArray(node)) {
    throw new Problem(path, "not_a_condition", `expected a condition such as {"==": [...]}, got ${describe(node)}`, { got: describe(node) });
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    throw new Problem(path, "one_operator", `a condition has exactly one operator, got ${keys.length} keys (${keys.join(", ")})`, { count: keys.length, keys: keys.join(", ") });
  }
  return [keys[0], (node as Record<string, unknown>)[keys[0]]];
}

function args(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function positiveDays(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > 36500) {
    throw new Problem(path, "within_days_invalid", "within_days must be a number of days greater than 0");
  }
  return value;
}

class Checker {
  readonly dependencies = {
    events: new Set<string>(),
    attributes: new Set<string>(),
    fields: new Set<string>(),
    tags: false,
    segments: new Set<string>(),
    timeBased: false,
    clock: { events: new Map<string, number>(), segments: new Map<string, number>(), daysAgo: false },
  };

  /** Notes a window: the clock moves it for each distinct (event or segment, days). */
  private window(windows: Map<string, number>, name: string, days: number) {
    this.dependencies.timeBased = true;
    windows.set(JSON.stringify([name, days]), days);
  }

  constructor(private readonly context: RuleContext) {}

  condition(node: unknown, path: string, scope: Scope, depth: number): Condition {
    if (depth > maxDepth) throw new Problem(path, "too_deep", `rules nest at most ${maxDepth} levels deep`, { max: maxDepth });
    if (typeof node === "boolean") return { kind: "constant", value: node };
    const [op, raw] = operatorOf(node, path);
    const at = `${path}.${op}`;
    switch (op) {
      case "and":
      case "or": {
        const items = args(raw);
        if (items.length === 0) throw new Problem(at, "needs_condition", `"${op}" needs at least one condition`, { op });
        return { kind: op, items: items.map((item, i) => this.condition(item, `${at}[${i}]`, scope, depth + 1)) };
      }
      case "!":
      case "!!": {
        const items = args(raw);
        if (items.length !== 1) throw new Problem(at, "one_argument", `"${op}" takes one argument, got ${items.length}`, { op, count: items.length });
        const inner = this.conditionOrTruthy(items[0], `${at}[0]`, scope, depth + 1);
        return op === "!" ? { kind: "not", item: inner } : inner;
      }
      case "in":
        return this.inCondition(args(raw), at, scope, depth);
      case "missing":
        return this.missing(raw, at, scope);
      case "performed":
        if (scope === "event") throw new Problem(at, "not_in_event_where", `${op} cannot be used inside an event's where`, { op });
        return this.performed(raw, at, depth);
      case "in_segment":
        if (scope === "event") throw new Problem(at, "not_in_event_where", `${op} cannot be used inside an event's where`, { op });
        return this.inSegment(raw, at);
      case "var":
      case "aggregate":
      case "days_ago":
        throw new Problem(at, "value_not_condition", `"${op}" is a value, not a condition: compare it, e.g. {">": [{"${op}": ...}, 0]}`, { op });
    }
    const compareOp = comparisonAliases[op] ?? (compareOps.has(op as CompareOp) ? (op as CompareOp) : undefined);
    if (!compareOp) throw new Problem(at, "unknown_operator", `unknown operator "${op}"`, { op });
    return this.compare(compareOp, op, args(raw), at, scope, depth);
  }

  /** Inside ! and !!: a condition, or a value read for truthiness. */
  private conditionOrTruthy(node: unknown, path: string, scope: Scope, depth: number): Condition {
    if (node && typeof node === "object" && !Array.isArray(node)) {
      const key = Object.keys(node)[0];
      if (key === "var" || key === "aggregate") {
        const { operand, type } = this.operand(node, path, scope, depth);
        if (type === "json") throw new Problem(path, "property_truthiness", "an event property has no type to test for truthiness: compare it with a value");
        return { kind: "truthy", operand, type: type as ValueType };
      }
    }
    return this.condition(node, path, scope, depth);
  }

  operand(node: unknown, path: string, scope: Scope, depth: number): { operand: Operand; type: ValueType | "json" | "literal" } {
    if (node === null || node === undefined) {
      throw new Problem(path, "null_value", "compare with a value, not null; to test that a field is empty use {\"missing\": [...]}");
    }
    if (typeof node !== "object" || Array.isArray(node)) {
      const type = literalType(node);
      if (!type) throw new Problem(path, "not_a_value", `${describe(node)} is not a value a rule can compare`, { value: describe(node) });
      if (Array.isArray(node) && !node.every((item) => typeof item === "string" || typeof item === "number")) {
        throw new Problem(path, "list_item_type", "a list of values holds only strings or numbers");
      }
      // Data past the limit is missing (values.ts); a literal past it would be missing in the
      // evaluator but a real number in SQL, so it is refused rather than silently never matching.
      for (const [i, item] of (Array.isArray(node) ? node : [node]).entries()) {
        if (typeof item === "number" && !(Math.abs(item) < numberLimit)) {
          const at = Array.isArray(node) ? `${path}[${i}]` : path;
          throw new Problem(at, "number_too_large", `${describe(item)} is too large: numbers in a rule are between -1e300 and 1e300`, { value: describe(item) });
        }
      }
      return { operand: { kind: "literal", value: node as string }, type: "literal" };
    }
    const [op, raw] = operatorOf(node, path);
    const at = `${path}.${op}`;
    if (op === "var") return this.variable(raw, at, scope);
    if (op === "days_ago") {
      const days = args(raw)[0];
      // Bounded so the moment stays a date both Postgres and JavaScript can write (a huge N is an
      // invalid Date, which the compiler cannot turn into a timestamp).
      if (typeof days !== "number" || !Number.isFinite(days) || Math.abs(days) > maxDaysAgo) {
        throw new Problem(at, "days_ago_invalid", `days_ago takes a number of days between -${maxDaysAgo} and ${maxDaysAgo}`, { max: maxDaysAgo });
      }
      this.dependencies.timeBased = true;
      this.dependencies.clock.daysAgo = true;
      return { operand: { kind: "days_ago", days }, type: "date" };
    }
    if (op === "aggregate") {
      if (scope === "event") throw new Problem(at, "not_in_event_where", `${op} cannot be used inside an event's where`, { op });
      return { operand: this.aggregate(raw, at, depth), type: "number" };
    }
    throw new Problem(at, "not_a_value_operator", `"${op}" does not give a value to compare; use var, aggregate or days_ago`, { op });
  }

  private variable(raw: unknown, path: string, scope: Scope): { operand: Operand; type: ValueType | "json" } {
    const list = args(raw);
    if (list.length !== 1 || typeof list[0] !== "string" || !list[0]) {
      throw new Problem(path, "var_one_name", "var takes one name, e.g. {\"var\": \"email\"} (defaults are not supported)");
    }
    const name = list[0];
    if (scope === "event") {
      if (!name.startsWith("properties.") || name.length === "properties.".length) {
        throw new Problem(path, "event_property_name", `inside an event's where, read event properties as "properties.<key>", not "${name}"`, { name });
      }
      return { operand: { kind: "property", key: name.slice("properties.".length) }, type: "json" };
    }
    if (name === "tags") {
      this.dependencies.tags = true;
      return { operand: { kind: "tags" }, type: "list" };
    }
    if (name.startsWith("attributes.")) {
      const key = name.slice("attributes.".length);
      const type = this.context.attributes.get(key);
      if (!type) throw new Problem(path, "unknown_attribute", `unknown attribute "${key}": it is not in this workspace's attribute catalogue`, { key });
      this.dependencies.attributes.add(key);
      return { operand: { kind: "attribute", key, type }, type };
    }
    // Own keys only: "constructor" or "toString" is not a contact field.
    const field = Object.hasOwn(contactFields, name) ? contactFields[name] : undefined;
    if (!field) {
      const fields = Object.keys(contactFields).join(", ");
      throw new Problem(path, "unknown_field", `unknown field "${name}": use a contact field (${fields}), tags, or attributes.<key>`, { name, fields });
    }
    this.dependencies.fields.add(name);
    return { operand: { kind: "field", name, column: field.column, type: field.type }, type: field.type };
  }

  private compare(op: CompareOp, written: string, list: unknown[], path: string, scope: Scope, depth: number): Condition {
    const between = list.length === 3 && (op === "<" || op === "<=");
    if (list.length !== 2 && !between) {
      const params = { op: written, count: list.length };
      if (op === "<" || op === "<=") {
        throw new Problem(path, "compares_two_or_three_values", `"${written}" compares two values (or three, for between), got ${list.length}`, params);
      }
      throw new Problem(path, "compares_two_values", `"${written}" compares two values, got ${list.length}`, params);
    }
    const operands = list.map((item, i) => this.operand(item, `${path}[${i}]`, scope, depth + 1));
    const type = this.commonType(operands, list, path, op);
    if (between) {
      return { kind: "between", op: op as "<" | "<=", low: operands[0].operand, value: operands[1].operand, high: operands[2].operand, type };
    }
    return { kind: "compare", op, left: operands[0].operand, right: operands[1].operand, type };
  }

  // The type a comparison is made in: that of its typed side(s); literals must fit it.
  private commonType(operands: Array<{ operand: Operand; type: ValueType | "json" | "literal" }>, raw: unknown[], path: string, op: CompareOp): ValueType {
    const typed = operands.filter((o) => o.type !== "literal" && o.type !== "json").map((o) => o.type as ValueType);
    const literals = operands.map((o, i) => ({ o, i })).filter(({ o }) => o.type === "literal");
    let type: ValueType | undefined = typed[0];
    const other = typed.find((t) => t !== type);
    if (type && other) throw new Problem(path, "type_mismatch", `cannot compare a ${type} with a ${other}`, { type, other });
    if (!type) {
      if (literals.length === operands.length) throw new Problem(path, "no_typed_side", "a comparison needs a field, attribute, property or aggregate on one side");
      const first = literals[0];
      if (!first) throw new Problem(path, "property_needs_value", "compare an event property with a value, e.g. {\">\": [{\"var\": \"properties.amount\"}, 100]}");
      type = literalType(raw[first.i])!;
      if (type === "list") throw new Problem(`${path}[${first.i}]`, "list_only_in", "a list is only used with \"in\"");
    }
    if (type === "list") throw new Problem(path, "list_needs_in", "a list (such as tags) is tested with \"in\", e.g. {\"in\": [\"vip\", {\"var\": \"tags\"}]}");
    if (type === "boolean" && op !== "==" && op !== "!=") throw new Problem(path, "boolean_operator", `"${op}" does not apply to true/false values`, { op });
    for (const { i } of literals) {
      const value = raw[i];
      const fits =
        (type === "number" && typeof value === "number") ||
        (type === "string" && typeof value === "string") ||
        (type === "boolean" && typeof value === "boolean") ||
        (type === "date" && typeof value === "string" && parseDate(value) !== null);
      if (!fits) {
        const at = `${path}[${i}]`;
        if (type === "date") {
          throw new Problem(at, "value_not_date", `${describe(value)} does not fit: this compares a date (YYYY-MM-DD or ISO 8601) or {"days_ago": N}`, { value: describe(value) });
        }
        throw new Problem(at, "value_wrong_type", `${describe(value)} does not fit: this compares a ${type}`, { value: describe(value), type });
      }
    }
    return type;
  }

  private inCondition(list: unknown[], path: string, scope: Scope, depth: number): Condition {
    if (list.length !== 2) throw new Problem(path, "in_arity", `"in" takes two arguments, got ${list.length}`, { count: list.length });
    const [needle, haystack] = list.map((item, i) => this.operand(item, `${path}[${i}]`, scope, depth + 1));
    if (needle.type === "literal" && haystack.type === "list") {
      if (typeof list[0] !== "string") throw new Problem(`${path}[0]`, "list_item_string", "a tag or list item is a string");
      return { kind: "has_item", list: haystack.operand, item: list[0] };
    }
    if (needle.type === "literal" && (haystack.type === "string" || haystack.type === "json")) {
      if (typeof list[0] !== "string") throw new Problem(`${path}[0]`, "substring_string", "to find text inside a value, give the text as a string");
      return { kind: "substring", text: haystack.operand, part: list[0] };
    }
    if (needle.type !== "literal" && haystack.type === "literal" && Array.isArray(list[1])) {
      const values = list[1] as Array<string | number>;
      const type: ValueType | "json" = needle.type;
      const listType = type === "json" ? (typeof values[0] === "number" ? "number" : "string") : type;
      if (listType !== "string" && listType !== "number") {
        throw new Problem(path, "in_list_type", `"in" with a list of values works on text and numbers, not ${listType}`, { type: listType });
      }
      if (!values.every((value) => typeof value === listType)) {
        throw new Problem(`${path}[1]`, "in_list_mixed", `every value in the list must be a ${listType}`, { type: listType });
      }
      return { kind: "in_list", operand: needle.operand, values, type: listType };
    }
    throw new Problem(path, "in_usage", "use \"in\" as [\"text\", {\"var\": \"tags\"}], [{\"var\": \"email\"}, [\"a\", \"b\"]] or [\"part\", {\"var\": \"email\"}]");
  }

  private missing(raw: unknown, path: string, scope: Scope): Condition {
    const names = args(raw);
    if (names.length === 0 || !names.every((name) => typeof name === "string")) throw new Problem(path, "missing_names", "missing takes field names, e.g. {\"missing\": [\"email\"]}");
    return {
      kind: "missing",
      operands: names.map((name, i) => {
        const { operand, type } = this.variable(name, `${path}[${i}]`, scope);
        if (type === "json") throw new Problem(`${path}[${i}]`, "missing_property", "missing applies to contact fields and attributes");
        return { operand, type };
      }),
    };
  }

  private spec(raw: unknown, path: string, allowed: string[]): Record<string, unknown> {
    const names = allowed.join(", ");
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Problem(path, "options_object", `expects an object with ${names}`, { allowed: names });
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) throw new Problem(`${path}.${key}`, "unknown_option", `unknown option "${key}" (allowed: ${names})`, { option: key, allowed: names });
    }
    return raw as Record<string, unknown>;
  }

  private eventName(spec: Record<string, unknown>, path: string): string {
    const event = spec.event;
    if (typeof event !== "string" || !event.trim()) throw new Problem(`${path}.event`, "event_name", "name the event, e.g. \"event\": \"Order Completed\"");
    this.dependencies.events.add(event);
    return event;
  }

  private performed(raw: unknown, path: string, depth: number): Condition {
    const spec = this.spec(raw, path, ["event", "where", "within_days", "count"]);
    const event = this.eventName(spec, path);
    const where = spec.where === undefined ? undefined : this.condition(spec.where, `${path}.where`, "event", depth + 1);
    let withinDays: number | undefined;
    if (spec.within_days !== undefined) {
      withinDays = positiveDays(spec.within_days, `${path}.within_days`);
      this.window(this.dependencies.clock.events, event, withinDays);
    }
    let count: { op: CompareOp; n: number } = { op: ">=", n: 1 };
    if (spec.count !== undefined) {
      const [op, n] = operatorOf(spec.count, `${path}.count`);
      const compareOp = comparisonAliases[op] ?? op;
      const value = args(n)[0];
      if (!compareOps.has(compareOp as CompareOp)) throw new Problem(`${path}.count`, "unknown_comparison", `unknown comparison "${op}"`, { op });
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new Problem(`${path}.count.${op}`, "count_number", "count compares with a whole number ≥ 0");
      count = { op: compareOp as CompareOp, n: value };
    }
    return { kind: "performed", event, where, withinDays, count };
  }

  private aggregate(raw: unknown, path: string, depth: number): Operand {
    const spec = this.spec(raw, path, ["event", "fn", "property", "where", "within_days"]);
    const event = this.eventName(spec, path);
    const fn = spec.fn ?? "count";
    if (fn !== "count" && fn !== "sum" && fn !== "avg" && fn !== "min" && fn !== "max") {
      throw new Problem(`${path}.fn`, "aggregate_fn", "fn is one of count, sum, avg, min, max");
    }
    const property = spec.property;
    if (fn !== "count" && (typeof property !== "string" || !property)) {
      throw new Problem(`${path}.property`, "aggregate_property", `${fn} needs the property to add up, e.g. "property": "amount"`, { fn });
    }
    const where = spec.where === undefined ? undefined : this.condition(spec.where, `${path}.where`, "event", depth + 1);
    let withinDays: number | undefined;
    if (spec.within_days !== undefined) {
      withinDays = positiveDays(spec.within_days, `${path}.within_days`);
      this.window(this.dependencies.clock.events, event, withinDays);
    }
    return { kind: "aggregate", event, fn, property: typeof property === "string" ? property : undefined, where, withinDays };
  }

  private inSegment(raw: unknown, path: string): Condition {
    const spec = this.spec(raw, path, ["segment", "within_days"]);
    const segmentId = spec.segment;
    if (typeof segmentId !== "string" || !uuid.test(segmentId)) throw new Problem(`${path}.segment`, "segment_id", "segment is the id of a segment of this workspace");
    if (this.context.segments && !this.context.segments.has(segmentId)) throw new Problem(`${path}.segment`, "unknown_segment", `no segment ${segmentId} in this workspace`, { segment: segmentId });
    let withinDays: number | undefined;
    if (spec.within_days !== undefined) {
      withinDays = positiveDays(spec.within_days, `${path}.within_days`);
      this.window(this.dependencies.clock.segments, segmentId, withinDays);
    }
    this.dependencies.segments.add(segmentId);
    return { kind: "in_segment", segmentId, withinDays };
  }
}

// A segment may read other segments, which may read others: the chain must end.
function findCycle(context: RuleContext, start: Set<string>): string | undefined {
  if (!context.segmentId || !context.segments) return undefined;
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === context.segmentId) return id;
    if (seen.has(id)) continue;
    seen.add(id);
    const rule = context.segments.get(id);
    for (const match of JSON.stringify(rule ?? null).matchAll(/"segment":"([0-9a-f-]{36})"/gi)) stack.push(match[1]);
  }
  return undefined;
}

const characterNames = { nul: "the NUL character (\\u0000)", surrogate: "a lone UTF-16 surrogate" };

function badCharacter(text: string): keyof typeof characterNames | undefined {
  return text.includes("\u0000") ? "nul" : /[\uD800-\uDFFF]/u.test(text) ? "surrogate" : undefined;
}

// Postgres text cannot hold NUL, and UTF-8 cannot hold a lone UTF-16 surrogate (the driver would
// send U+FFFD instead), so such text could never match as written: refused wherever it appears.
function checkText(node: unknown, path: string, depth = 0): void {
  // A condition level is a few JSON levels; far deeper JSON is refused before it can exhaust the stack.
  if (depth > maxDepth * 4) throw new Problem(path, "too_deep", `rules nest at most ${maxDepth} levels deep`, { max: maxDepth });
  if (typeof node === "string") {
    const character = badCharacter(node);
    if (character) {
      throw new Problem(path, "text_invalid_character", `text in a rule cannot contain ${characterNames[character]}: Postgres cannot store it`, { character });
    }
  } else if (Array.isArray(node)) {
    node.forEach((item, i) => checkText(item, `${path}[${i}]`, depth + 1));
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      const character = badCharacter(key);
      if (character) {
        throw new Problem(path, "name_invalid_character", `a name in a rule cannot contain ${characterNames[character]}: Postgres cannot store it`, { character });
      }
      checkText(value, `${path}.${key}`, depth + 1);
    }
  }
}

/** Checks a rule and returns its typed form and what it depends on, or every problem's path and reason. */
export function validateRule(rule: unknown, context: RuleContext): ValidationResult {
  const checker = new Checker(context);
  try {
    checkText(rule, "$");
    const condition = checker.condition(rule, "$", "contact", 0);
    const cycle = findCycle(context, checker.dependencies.segments);
    if (cycle) {
      return { ok: false, problems: [ruleProblem("$", "segment_cycle", "this rule depends on its own segment (through in_segment), which would never settle")] };
    }
    const d = checker.dependencies;
    return {
      ok: true,
      condition,
      dependencies: {
        events: [...d.events].sort(),
        attributes: [...d.attributes].sort(),
        fields: [...d.fields].sort(),
        tags: d.tags,
        segments: [...d.segments].sort(),
        timeBased: d.timeBased,
        clock: {
          events: [...d.clock.events.keys()].sort().map((key) => JSON.parse(key) as [string, number]).map(([event, days]) => ({ event, days })),
          segments: [...d.clock.segments.keys()].sort().map((key) => JSON.parse(key) as [string, number]).map(([segment, days]) => ({ segment, days })),
          daysAgo: d.clock.daysAgo,
        },
      },
    };
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problems: [ruleProblem(error.path, error.code, error.message, error.params)] };
    throw error;
  }
}
