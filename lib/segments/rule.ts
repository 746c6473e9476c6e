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
}

export interface RuleProblem {
  /** Where in the rule, e.g. `$.and[1].performed.event`. */
  path: string;
  message: string;
}
