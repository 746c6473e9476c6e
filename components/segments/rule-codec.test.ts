import { describe, expect, it } from "vitest";
import { type FieldType, queryToRule, ruleToQuery } from "./rule-codec";

const types: Record<string, FieldType> = {
  email: "string",
  score: "number",
  created_at: "date",
  tags: "tags",
  "attributes.plan": "string",
  "attributes.seats": "number",
  "attributes.beta": "boolean",
  $performed: "performed",
  $in_segment: "in_segment",
};
const typeOf = (field: string) => types[field];

describe("segment rule ⇄ builder query", () => {
  it.each([
    { "==": [{ var: "attributes.plan" }, "pro"] },
    { and: [{ "==": [{ var: "email" }, "a@b.c"] }, { in: ["vip", { var: "tags" }] }] },
    { or: [{ ">=": [{ var: "attributes.seats" }, 10] }, { "<=": [1, { var: "score" }, 5] }] },
    { and: [{ missing: ["email"] }, { "!": { missing: ["attributes.plan"] } }] },
    { and: [{ ">=": [{ var: "created_at" }, { days_ago: 30 }] }, { "==": [{ var: "attributes.beta" }, true] }] },
    { and: [{ performed: { event: "Order Completed", within_days: 30, count: { ">=": 3 } } }, { in_segment: { segment: "7d4f7f2e-3f0c-4c55-9f77-3c8a4b1e2f10", within_days: 7 } }] },
    { "!": { and: [{ in: ["vip", { var: "tags" }] }, { in: [{ var: "attributes.plan" }, ["pro", "team"]] }] } },
  ])("round-trips %j", (rule) => {
    const query = ruleToQuery(rule, typeOf);
    expect(query).toBeDefined();
    const back = queryToRule(query!, typeOf);
    expect(ruleToQuery(back, typeOf)).toBeDefined();
  });

  it("writes numbers and booleans with their types", () => {
    const rule = queryToRule(
      { combinator: "and", rules: [{ field: "attributes.seats", operator: ">", value: "5" }, { field: "attributes.beta", operator: "=", value: "true" }, { field: "score", operator: "between", value: "1, 9" }] },
      typeOf,
    );
    expect(rule).toEqual({ and: [{ ">": [{ var: "attributes.seats" }, 5] }, { "==": [{ var: "attributes.beta" }, true] }, { "<=": [1, { var: "score" }, 9] }] });
  });

  it("admits it cannot show what it does not know", () => {
    expect(ruleToQuery({ ">": [{ aggregate: { event: "Order", fn: "sum", property: "amount" } }, 100] }, typeOf)).toBeUndefined();
    expect(ruleToQuery({ and: [{ "==": [{ var: "email" }, "a"] }, { frobnicate: 1 }] }, typeOf)).toBeUndefined();
    expect(ruleToQuery(false, typeOf)).toEqual({ combinator: "and", rules: [] });
  });
});
