import type { RuleGroupType, RuleType } from "react-querybuilder";
import { defaultRuleProcessorJsonLogic, formatQuery } from "react-querybuilder/formatQuery";
import { parseJsonLogic } from "react-querybuilder/parseJsonLogic";

// The builder's query ⇄ Tideline's JSON-Logic. react-querybuilder reads and writes standard
// JSON-Logic; Tideline's own operators (performed, aggregate, in_segment, missing, days_ago)
// travel as pseudo-fields whose value is the operator's object, so nothing is lost on the way
// through.

export type FieldType = "string" | "number" | "boolean" | "date" | "list" | "tags" | "performed" | "aggregate" | "in_segment";

export const performedField = "$performed";
export const aggregateField = "$aggregate";
export const inSegmentField = "$in_segment";

export interface PerformedValue {
  event: string;
  within_days?: number;
  count?: Record<string, number>;
  where?: unknown;
}
export const aggregateFns = ["count", "sum", "avg", "min", "max"] as const;
/** An aggregate compared with a number: the aggregate's own object plus the number. */
export interface AggregateValue {
  event: string;
  fn: (typeof aggregateFns)[number];
  property?: string;
  within_days?: number;
  where?: unknown;
  value: number | string;
}
export interface InSegmentValue {
  segment: string;
  within_days?: number;
}

export const operatorsByType: Record<FieldType, string[]> = {
  string: ["=", "!=", "contains", "doesNotContain", "in", "notIn", "null", "notNull"],
  number: ["=", "!=", "<", "<=", ">", ">=", "between", "null", "notNull"],
  boolean: ["=", "null", "notNull"],
  date: ["withinLastDays", "notWithinLastDays", "<", ">", "between", "null", "notNull"],
  list: ["contains", "doesNotContain", "null", "notNull"],
  tags: ["contains", "doesNotContain"],
  performed: ["performed"],
  aggregate: ["=", "!=", "<", "<=", ">", ">="],
  in_segment: ["in_segment"],
};

// A property filter of `performed` / `aggregate` the builder shows as a row: a property, a
// comparison and a value. `where` holds one such comparison, or an `and` of them.
export const filterOperators = ["==", "!=", "<", "<=", ">", ">=", "contains"] as const;
export interface PropertyFilter {
  property: string;
  operator: (typeof filterOperators)[number];
  value: string | number | boolean;
}

const propertyPrefix = "properties.";

function filterOf(condition: unknown): PropertyFilter | undefined {
  if (!condition || typeof condition !== "object" || Array.isArray(condition)) return undefined;
  const entries = Object.entries(condition);
  if (entries.length !== 1) return undefined;
  const [op, args] = entries[0];
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  const propertyOf = (operand: unknown) => {
    const name = operand && typeof operand === "object" && !Array.isArray(operand) ? (operand as { var?: unknown }).var : undefined;
    return typeof name === "string" && name.startsWith(propertyPrefix) && Object.keys(operand as object).length === 1 ? name.slice(propertyPrefix.length) : undefined;
  };
  const literal = (value: unknown) => typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
  if (op === "in") {
    const property = propertyOf(args[1]);
    return property !== undefined && typeof args[0] === "string" ? { property, operator: "contains", value: args[0] } : undefined;
  }
  const operator = filterOperators.find((name) => name === op);
  const property = propertyOf(args[0]);
  return operator && operator !== "contains" && property !== undefined && literal(args[1]) ? { property, operator, value: args[1] as PropertyFilter["value"] } : undefined;
}

/** A `where` as filter rows; undefined when it is not a comparison or an `and` of comparisons. */
export function whereToFilters(where: unknown): PropertyFilter[] | undefined {
  if (where === undefined) return [];
  const list = where && typeof where === "object" && !Array.isArray(where) && "and" in where && Object.keys(where).length === 1 ? (where as { and: unknown }).and : [where];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const filters = list.map(filterOf);
  return filters.every((filter) => filter !== undefined) ? (filters as PropertyFilter[]) : undefined;
}

/** Filter rows as a `where` (undefined when there are none). */
export function filtersToWhere(filters: PropertyFilter[]): unknown {
  const conditions = filters.map(({ property, operator, value }) => {
    const variable = { var: `${propertyPrefix}${property}` };
    return operator === "contains" ? { in: [String(value), variable] } : { [operator]: [variable, value] };
  });
  if (conditions.length === 0) return undefined;
  return conditions.length === 1 ? conditions[0] : { and: conditions };
}

/** What a person typed as a filter value: a number or true/false where it reads as one, else text. */
export function typedFilterValue(text: string, operator: PropertyFilter["operator"]): PropertyFilter["value"] {
  if (operator === "contains") return text;
  const trimmed = text.trim();
  if (trimmed !== "" && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (operator === "==" || operator === "!=") {
    if (trimmed === "true") return true;
    if (trimmed === "false") return false;
  }
  return text;
}

const jsonLogicOperator = (operator: string) => (operator === "=" ? "==" : operator);
const aggregateOperators = new Set(["==", "===", "!=", "!==", "<", "<=", ">", ">="]);

function toNumber(value: unknown): unknown {
  if (typeof value === "number") return value;
  const text = String(value ?? "").trim();
  return text !== "" && Number.isFinite(Number(text)) ? Number(text) : value;
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return String(value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The builder's query as a Tideline rule; `typeOf` gives each field's type. */
export function queryToRule(query: RuleGroupType, typeOf: (field: string) => FieldType | undefined): unknown {
  const rule = formatQuery(query, {
    format: "jsonlogic",
    ruleProcessor: (item: RuleType, options) => {
      const type = typeOf(item.field);
      if (item.field === performedField) return { performed: item.value };
      if (item.field === aggregateField) {
        const { value, ...aggregate } = item.value as AggregateValue;
        return { [jsonLogicOperator(item.operator)]: [{ aggregate }, toNumber(value)] };
      }
      if (item.field === inSegmentField) return { in_segment: item.value };
      const variable = { var: item.field };
      if (item.operator === "null") return { missing: [item.field] };
      if (item.operator === "notNull") return { "!": { missing: [item.field] } };
      if (item.operator === "withinLastDays") return { ">=": [variable, { days_ago: toNumber(item.value) }] };
      if (item.operator === "notWithinLastDays") return { "<": [variable, { days_ago: toNumber(item.value) }] };
      let value = item.value;
      if (type === "number") value = item.operator === "between" ? listOf(value).map(toNumber) : toNumber(value);
      if (type === "boolean") value = value === true || value === "true";
      if (item.operator === "in" || item.operator === "notIn") value = listOf(value);
      return defaultRuleProcessorJsonLogic({ ...item, value }, options);
    },
  });
  // An empty builder selects nobody (react-querybuilder writes `false`); say so explicitly.
  return rule === false ? false : rule;
}

// Patterns the parser cannot read as they are become pseudo-operators it is taught below.
function prepare(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prepare);
  if (!node || typeof node !== "object") return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length !== 1) return node;
  const [op, raw] = entries[0];
  if (op === "performed" || op === "in_segment") return node;
  if (aggregateOperators.has(op) && Array.isArray(raw) && raw.length === 2) {
    const [left, right] = raw as [unknown, unknown];
    if (left && typeof left === "object" && !Array.isArray(left) && Object.keys(left).length === 1 && "aggregate" in left) {
      return { $aggregate: [op, (left as { aggregate: unknown }).aggregate, right] };
    }
  }
  if (op === "!" && raw && typeof raw === "object" && !Array.isArray(raw) && "missing" in raw) {
    const names = (raw as { missing: unknown }).missing;
    const list = Array.isArray(names) ? names : [names];
    if (list.length === 1 && typeof list[0] === "string") return { $not_missing: list[0] };
  }
  if ((op === ">=" || op === "<") && Array.isArray(raw) && raw.length === 2) {
    const [left, right] = raw as [unknown, unknown];
    const field = left && typeof left === "object" && "var" in left ? (left as { var: unknown }).var : undefined;
    const days = right && typeof right === "object" && "days_ago" in right ? (right as { days_ago: unknown }).days_ago : undefined;
    if (typeof field === "string" && typeof days === "number") return { [op === ">=" ? "$within" : "$not_within"]: [field, days] };
  }
  return { [op]: prepare(raw) };
}

const ruleOf = (field: string, operator: string, value: unknown): RuleType => ({ field, operator, value });

/** A Tideline rule as a builder query, or undefined when the builder cannot show all of it. */
export function ruleToQuery(rule: unknown, typeOf: (field: string) => FieldType | undefined): RuleGroupType | undefined {
  if (rule === false || rule === null || rule === undefined) return { combinator: "and", rules: [] };
  let query: RuleGroupType;
  try {
    query = parseJsonLogic(prepare(rule) as never, {
      jsonLogicOperations: {
        performed: (value) => ruleOf(performedField, "performed", value),
        in_segment: (value) => ruleOf(inSegmentField, "in_segment", value),
        $aggregate: ([op, aggregate, value]: [string, object, unknown]) =>
          ruleOf(aggregateField, op === "==" || op === "===" ? "=" : op === "!==" ? "!=" : op, { ...aggregate, value }),
        missing: (value) => {
          const names = Array.isArray(value) ? value : [value];
          return names.length === 1 && typeof names[0] === "string" ? ruleOf(names[0], "null", "") : false;
        },
        $not_missing: (value) => ruleOf(String(value), "notNull", ""),
        $within: ([field, days]: [string, number]) => ruleOf(field, "withinLastDays", days),
        $not_within: ([field, days]: [string, number]) => ruleOf(field, "notWithinLastDays", days),
      },
    }) as RuleGroupType;
  } catch {
    return undefined;
  }
  // Faithful only if writing it back gives the same rule (up to single-item groups).
  const again = queryToRule(query, typeOf);
  return canonical(again) === canonical(rule) ? query : undefined;
}

function canonical(node: unknown): string {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== "object") return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [op, raw] = entries[0];
      if ((op === "and" || op === "or") && Array.isArray(raw) && raw.length === 1) return walk(raw[0]);
      if (op === "===") return { "==": walk(raw) };
      if (op === "!==") return { "!=": walk(raw) };
      if ((op === "!" || op === "!!" || op === "missing") && !Array.isArray(raw)) return { [op]: [walk(raw)] };
    }
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([key, item]) => [key, walk(item)]));
  };
  return JSON.stringify(walk(node));
}
