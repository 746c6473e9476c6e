import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { loadMessages } from "@/lib/i18n/messages";
import type { Locale } from "@/lib/i18n/locales";
import { ruleProblemCodes, type RuleProblem, type RuleProblemCode } from "./rule";
import { validateRule, type RuleContext } from "./validate";

// Every refusal has a code the segment editor can say in English and Simplified Chinese, with the
// same placeholders, and the English text mirrors the message the REST API returns.

const segmentA = "11111111-1111-4111-8111-111111111111";
const segmentB = "22222222-2222-4222-8222-222222222222";
const context: RuleContext = {
  attributes: new Map([
    ["vip", "boolean"],
    ["plan", "string"],
  ]),
  segments: new Map<string, unknown>([
    [segmentA, true],
    [segmentB, { in_segment: { segment: segmentA } }],
  ]),
  segmentId: segmentA,
};

const nested = (levels: number, inner: unknown, wrap: (node: unknown) => unknown) =>
  Array.from({ length: levels }).reduce<unknown>((node) => wrap(node), inner);
const where = (condition: unknown) => ({ performed: { event: "Order Completed", where: condition } });

const cases: Array<[RuleProblemCode, unknown]> = [
  ["not_a_condition", { and: [42] }],
  ["one_operator", { "==": [1, 2], "!=": [1, 2] }],
  ["too_deep", nested(40, true, (node) => ({ "!": node }))],
  ["too_deep", nested(200, "x", (node) => [node])],
  ["needs_condition", { and: [] }],
  ["one_argument", { "!": [true, false] }],
  ["not_in_event_where", where({ performed: { event: "Signed Up" } })],
  ["not_in_event_where", where({ in_segment: { segment: segmentA } })],
  ["not_in_event_where", where({ ">": [{ aggregate: { event: "Signed Up" } }, 1] })],
  ["value_not_condition", { var: "email" }],
  ["unknown_operator", { and: [true, { xor: [true, false] }] }],
  ["property_truthiness", where({ "!": { var: "properties.coupon" } })],
  ["null_value", { "==": [{ var: "email" }, null] }],
  ["not_a_value", { "==": [{ var: "score" }, Number.NaN] }],
  ["list_item_type", { in: [{ var: "email" }, ["a", true]] }],
  ["number_too_large", { "<": [{ var: "score" }, 1e301] }],
  ["days_ago_invalid", { ">": [{ var: "created_at" }, { days_ago: 1e12 }] }],
  ["not_a_value_operator", { "==": [{ and: [true] }, 1] }],
  ["var_one_name", { "==": [{ var: ["email", "fallback"] }, "a"] }],
  ["event_property_name", where({ "==": [{ var: "email" }, "a"] })],
  ["unknown_attribute", { or: [false, { "==": [{ var: "attributes.nope" }, "x"] }] }],
  ["unknown_field", { "==": [{ var: "constructor" }, "x"] }],
  ["compares_two_values", { "==": [{ var: "email" }] }],
  ["compares_two_or_three_values", { "<": [{ var: "score" }] }],
  ["type_mismatch", { "==": [{ var: "email" }, { var: "score" }] }],
  ["no_typed_side", { "==": [1, 1] }],
  ["property_needs_value", where({ "==": [{ var: "properties.a" }, { var: "properties.b" }] })],
  ["list_only_in", where({ "==": [{ var: "properties.sku" }, ["a"]] })],
  ["list_needs_in", { "==": [{ var: "tags" }, "vip"] }],
  ["boolean_operator", { ">": [{ var: "attributes.vip" }, true] }],
  ["value_not_date", { ">": [{ var: "created_at" }, "soon"] }],
  ["value_wrong_type", { "==": [{ var: "score" }, "high"] }],
  ["in_arity", { in: ["a"] }],
  ["list_item_string", { in: [1, { var: "tags" }] }],
  ["substring_string", { in: [1, { var: "email" }] }],
  ["in_list_type", { in: [{ var: "created_at" }, ["2026-01-01"]] }],
  ["in_list_mixed", { in: [{ var: "email" }, ["a", 1]] }],
  ["in_usage", { in: [{ var: "email" }, { var: "email" }] }],
  ["missing_names", { missing: [] }],
  ["missing_property", where({ missing: ["properties.coupon"] })],
  ["options_object", { performed: "Order Completed" }],
  ["unknown_option", { performed: { event: "Order Completed", when: "today" } }],
  ["event_name", { and: [{ performed: { within_days: 3 } }] }],
  ["within_days_invalid", { performed: { event: "Order Completed", within_days: 0 } }],
  ["unknown_comparison", { performed: { event: "Order Completed", count: { "~": 1 } } }],
  ["count_number", { performed: { event: "Order Completed", count: { ">=": 1.5 } } }],
  ["aggregate_fn", { ">": [{ aggregate: { event: "Order Completed", fn: "median" } }, 1] }],
  ["aggregate_property", { ">": [{ aggregate: { event: "Order Completed", fn: "sum" } }, 1] }],
  ["segment_id", { in_segment: { segment: "vip" } }],
  ["unknown_segment", { in_segment: { segment: "33333333-3333-4333-8333-333333333333" } }],
  ["segment_cycle", { in_segment: { segment: segmentB } }],
  ["text_invalid_character", { "==": [{ var: "email" }, "a\u0000b"] }],
  ["text_invalid_character", { "==": [{ var: "email" }, "\uD800x"] }],
  ["name_invalid_character", { and: [{ "==\u0000": [1, 2] }] }],
];

function problemOf(rule: unknown): RuleProblem {
  const result = validateRule(rule, context);
  if (result.ok) throw new Error(`expected ${JSON.stringify(rule).slice(0, 200)} to be refused`);
  return result.problems[0];
}

async function translator(locale: Locale) {
  const errors: string[] = [];
  const t = createTranslator({ locale, messages: await loadMessages(locale), namespace: "segments.validation", onError: (error) => errors.push(error.message) });
  return { t: t as unknown as ((key: string, values?: Record<string, string | number>) => string) & { has: (key: string) => boolean }, errors };
}

// A stand-in for each value, to see which placeholders a message shows.
const shown = (text: string, params: Record<string, string | number>) => Object.keys(params).filter((name) => text.includes(`⟦${name}⟧`));
const stand = (params: Record<string, string | number>) => Object.fromEntries(Object.keys(params).map((name) => [name, `⟦${name}⟧`]));

describe("rule problem codes", () => {
  it("covers every code the validator has", () => {
    expect(new Set(cases.map(([code]) => code))).toEqual(new Set(ruleProblemCodes));
  });

  it.each(cases)("%s: refused with its code, said the same in English as the API says it, and in Chinese", async (code, rule) => {
    const problem = problemOf(rule);
    expect(problem.code).toBe(code);
    const params = problem.params ?? {};
    const [en, zh] = await Promise.all([translator("en"), translator("zh-CN")]);
    expect(en.t.has(code) && zh.t.has(code), `segments.validation.${code}`).toBe(true);
    expect(en.t(code, params)).toBe(problem.message);
    const chinese = zh.t(code, params);
    expect(chinese).toMatch(/[\u4e00-\u9fff]/);
    expect(shown(zh.t(code, stand(params)), params)).toEqual(shown(en.t(code, stand(params)), params));
    expect([...en.errors, ...zh.errors]).toEqual([]);
  });

  it("gives the REST API the path, the English message, and the code and params to translate it with", () => {
    const problem = problemOf({ and: [true, { frobnicate: [] }] });
    expect(JSON.parse(JSON.stringify(problem))).toEqual({ path: "$.and[1].frobnicate", message: 'unknown operator "frobnicate"', code: "unknown_operator", params: { op: "frobnicate" } });
  });
});
