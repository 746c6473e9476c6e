import type { ValueType } from "./values";

// The checked form of a rule, produced by validate.ts and read by compile.ts: every value
// knows its type, every name is resolved, so the compiler never guesses.

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

export type Operand =
  | { kind: "field"; name: string; column: string; type: ValueType }
  | { kind: "attribute"; key: string; type: ValueType }
  | { kind: "tags" }
  /** An event property: JSON without a declared type, read as the type of what it is compared with. */
  | { kind: "property"; key: string }
  | { kind: "literal"; value: string | number | boolean | string[] | number[] }
  | { kind: "days_ago"; days: number }
  | { kind: "aggregate"; event: string; fn: "count" | "sum" | "avg" | "min" | "max"; property?: string; where?: Condition; withinDays?: number };

export type Condition =
  | { kind: "constant"; value: boolean }
  | { kind: "and" | "or"; items: Condition[] }
  | { kind: "not"; item: Condition }
  | { kind: "truthy"; operand: Operand; type: ValueType }
  | { kind: "compare"; op: CompareOp; left: Operand; right: Operand; type: ValueType }
  | { kind: "between"; op: "<" | "<="; low: Operand; value: Operand; high: Operand; type: ValueType }
  | { kind: "in_list"; operand: Operand; values: Array<string | number>; type: "string" | "number" }
  | { kind: "has_item"; list: Operand; item: string }
  | { kind: "substring"; text: Operand; part: string }
  | { kind: "missing"; operands: Array<{ operand: Operand; type: ValueType }> }
  | { kind: "performed"; event: string; where?: Condition; withinDays?: number; count: { op: CompareOp; n: number } }
  | { kind: "in_segment"; segmentId: string; withinDays?: number };

export interface RuleDependencies {
  events: string[];
  attributes: string[];
  fields: string[];
  tags: boolean;
  segments: string[];
  /** The rule reads the clock (windows, days_ago): membership can change with no new data. */
  timeBased: boolean;
  /**
   * How the clock moves membership. Event windows and membership windows change a contact's
   * answer only when one of their events or stays crosses the window's edge, so those contacts
   * can be found and checked; a `days_ago` comparison (a date crossing a moving line) cannot.
   */
  clock: ClockDependencies;
}

export interface ClockDependencies {
  events: Array<{ event: string; days: number }>;
  segments: Array<{ segment: string; days: number }>;
  daysAgo: boolean;
}

// Every reason the validator can refuse a rule. The app's screens say it in the reader's
// language (segments.validation.<code>); the REST API keeps the English message.
export const ruleProblemCodes = [
  "not_a_condition",
  "one_operator",
  "too_deep",
  "needs_condition",
  "one_argument",
  "not_in_event_where",
  "value_not_condition",
  "unknown_operator",
  "property_truthiness",
  "null_value",
  "not_a_value",
  "list_item_type",
  "number_too_large",
  "days_ago_invalid",
  "not_a_value_operator",
  "var_one_name",
  "event_property_name",
  "unknown_attribute",
  "unknown_field",
  "compares_two_values",
  "compares_two_or_three_values",
  "type_mismatch",
  "no_typed_side",
  "property_needs_value",
  "list_only_in",
  "list_needs_in",
  "boolean_operator",
  "value_not_date",
  "value_wrong_type",
  "in_arity",
  "list_item_string",
  "substring_string",
  "in_list_type",
  "in_list_mixed",
  "in_usage",
  "missing_names",
  "missing_property",
  "options_object",
  "unknown_option",
  "event_name",
  "within_days_invalid",
  "unknown_comparison",
  "count_number",
  "aggregate_fn",
  "aggregate_property",
  "segment_id",
  "unknown_segment",
  "segment_cycle",
  "text_invalid_character",
  "name_invalid_character",
] as const;

export type RuleProblemCode = (typeof ruleProblemCodes)[number];

export interface RuleProblem {
  /** Where in the rule, e.g. `$.and[1].performed.event`. */
  path: string;
  /** In English, as the REST API returns it. */
  message: string;
  code: RuleProblemCode;
  /** What the message names (an operator, a key, a count), for the translated message's placeholders. */
  params?: Record<string, string | number>;
}
