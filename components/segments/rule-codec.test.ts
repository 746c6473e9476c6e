import { describe, expect, it } from "vitest";
import { type FieldType, filtersToWhere, queryToRule, ruleToQuery, typedFilterValue, whereToFilters } from "./rule-codec";

const types: Record<string, FieldType> = {
  email: "string",
  score: "number",
  created_at: "date",
  tags: "tags",
  "attributes.plan": "string",
  "attributes.seats": "number",
  "attributes.beta": "boolean",
  $performed: "performed",
  $aggregate: "aggregate",
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
    { performed: { event: "Order Completed", where: { ">=": [{ var: "properties.amount" }, 100] } } },
    { performed: { event: "Page Viewed", where: { and: [{ in: ["/pricing", { var: "properties.path" }] }, { "==": [{ var: "properties.code" }, "5"] }] } } },
    { ">": [{ aggregate: { event: "Order", fn: "sum", property: "amount", within_days: 90 } }, 500] },
    { and: [{ "==": [{ aggregate: { event: "Order", fn: "count" } }, 0] }, { "<=": [{ aggregate: { event: "Order", fn: "avg", property: "amount", where: { "!=": [{ var: "properties.currency" }, "CNY"] } } }, 20] }] },
  ])("round-trips %j", (rule) => {
    const query = ruleToQuery(rule, typeOf);
    expect(query).toBeDefined();
    const back = queryToRule(query!, typeOf);
    expect(ruleToQuery(back, typeOf)).toBeDefined();
  });

  it("shows an aggregate as one condition and writes the comparison back around it", () => {
    const rule = { ">=": [{ aggregate: { event: "Order", fn: "sum", property: "amount", within_days: 90 } }, 500] };
    const query = ruleToQuery(rule, typeOf)!;
    expect(query.rules).toEqual([expect.objectContaining({ field: "$aggregate", operator: ">=", value: { event: "Order", fn: "sum", property: "amount", within_days: 90, value: 500 } })]);
    const edited = { ...query, rules: [{ field: "$aggregate", operator: "=", value: { event: "Order", fn: "count", value: "3" } }] };
    expect(queryToRule(edited, typeOf)).toEqual({ and: [{ "==": [{ aggregate: { event: "Order", fn: "count" } }, 3] }] });
  });

  it("reads and writes property filters as rows, keeping each value's type", () => {
    const where = { and: [{ ">=": [{ var: "properties.amount" }, 100] }, { in: ["/pricing", { var: "properties.path" }] }, { "==": [{ var: "properties.code" }, "5"] }] };
    const rows = whereToFilters(where)!;
    expect(rows).toEqual([
      { property: "amount", operator: ">=", value: 100 },
      { property: "path", operator: "contains", value: "/pricing" },
      { property: "code", operator: "==", value: "5" },
    ]);
    expect(filtersToWhere(rows)).toEqual(where);
    expect(filtersToWhere(rows.slice(0, 1))).toEqual(where.and[0]);
    expect(filtersToWhere([])).toBeUndefined();
    expect(whereToFilters(undefined)).toEqual([]);
    // What rows cannot show is left to the JSON view.
    expect(whereToFilters({ or: [{ ">=": [{ var: "properties.amount" }, 100] }] })).toBeUndefined();
    expect(whereToFilters({ "<": [100, { var: "properties.amount" }] })).toBeUndefined();
    expect(whereToFilters({ "==": [{ var: "attributes.plan" }, "pro"] })).toBeUndefined();
    expect(typedFilterValue("100", ">=")).toBe(100);
    expect(typedFilterValue("true", "==")).toBe(true);
    expect(typedFilterValue("12", "contains")).toBe("12");
    expect(typedFilterValue("CNY", "!=")).toBe("CNY");
  });

  it("writes numbers and booleans with their types", () => {
    const rule = queryToRule(
      { combinator: "and", rules: [{ field: "attributes.seats", operator: ">", value: "5" }, { field: "attributes.beta", operator: "=", value: "true" }, { field: "score", operator: "between", value: "1, 9" }] },
      typeOf,
    );
    expect(rule).toEqual({ and: [{ ">": [{ var: "attributes.seats" }, 5] }, { "==": [{ var: "attributes.beta" }, true] }, { "<=": [1, { var: "score" }, 9] }] });
  });

  it("admits it cannot show what it does not know", () => {
    expect(ruleToQuery({ "<": [100, { aggregate: { event: "Order", fn: "sum", property: "amount" } }] }, typeOf)).toBeUndefined();
    expect(ruleToQuery({ and: [{ "==": [{ var: "email" }, "a"] }, { frobnicate: 1 }] }, typeOf)).toBeUndefined();
    expect(ruleToQuery(false, typeOf)).toEqual({ combinator: "and", rules: [] });
  });
});
