import type { RuleGroupType, RuleType } from "react-querybuilder";
import { defaultRuleProcessorJsonLogic, formatQuery } from "react-querybuilder/formatQuery";
import { parseJsonLogic } from "react-querybuilder/parseJsonLogic";

// The builder's query ⇄ Tideline's JSON-Logic. react-querybuilder reads and writes standard
// JSON-Logic; Tideline's own operators (performed, in_segment, missing, days_ago) travel as
// pseudo-fields whose value is the operator's object, so nothing is lost on the way through.

export type FieldType = "string" | "number" | "boolean" | "date" | "list" | "tags" | "performed" | "in_segment";

export const performedField = "$performed";
export const inSegmentField = "$in_segment";

export interface PerformedValue {
  event: string;
  within_days?: number;
  count?: Record<string, number>;
  where?: unknown;
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
  in_segment: ["in_segment"],
};

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
