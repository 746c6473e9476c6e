import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/sql";
import { validateRule, type RuleContext } from "@/lib/segments/validate";
import { databaseKinds, openTestDatabase } from "./helpers/database";
import type { CatalogueEntry } from "./helpers/segment-arbitraries";
import { evaluatorSelection, expectAgreement, person, seedContacts, sqlSelection, type SeededWorkspace } from "./helpers/segment-data";

// Hostile names and values go through validate → compile → execute as data, never as SQL; what
// Postgres cannot hold (NUL) is refused by the validator with the path to it.

const seedSetting = process.env.SEGMENT_FC_SEED;
const seed = seedSetting === "random" ? Date.now() ^ (Math.random() * 0x7fffffff) : seedSetting ? Number(seedSetting) : 20260602;
const now = new Date("2026-06-01T00:00:00Z");

const hostile = [
  "'",
  '"',
  "`",
  ";",
  "--",
  "$1",
  "$$",
  "\\",
  "%",
  "_",
  "'; drop table contacts; --",
  '"; drop table contacts; --',
  "') or 1=1 --",
  "a.b c",
  "line\nbreak\ttab",
  "Ünïcødé 日本語",
  "🎉👩‍👩‍👧",
  "x".repeat(20_000),
];

function problemsOf(rule: unknown, context: Partial<RuleContext> = {}) {
  const result = validateRule(rule, { attributes: new Map(), ...context });
  if (result.ok) throw new Error(`expected ${JSON.stringify(rule).slice(0, 200)} to be refused`);
  return result.problems;
}

describe("the validator refuses", () => {
  const attributes = new Map([
    ["vip", "boolean"],
    ["plan", "string"],
  ] as const);

  it.each([
    ["an unknown operator", { and: [{ "==": [{ var: "email" }, "a"] }, { xor: [true, false] }] }, "$.and[1].xor", /unknown operator "xor"/],
    ["a comparison with one argument", { "==": [{ var: "email" }] }, "$.==", /compares two values/],
    [">, which has no three-argument form", { ">": [1, { var: "score" }, 3] }, "$.>", /compares two values/],
    ["! with two arguments", { "!": [true, false] }, "$.!", /takes one argument, got 2/],
    ["in with one argument", { in: ["a"] }, "$.in", /takes two arguments/],
    ["an unknown attribute", { or: [false, { "==": [{ var: "attributes.nope" }, "x"] }] }, "$.or[1].==[0].var", /unknown attribute "nope"/],
    ["> on a boolean attribute", { ">": [{ var: "attributes.vip" }, true] }, "$.>", /does not apply to true\/false/],
    ["performed without an event", { and: [{ performed: { within_days: 3 } }] }, "$.and[0].performed.event", /name the event/],
    ["an inherited name as a field", { "==": [{ var: "constructor" }, "x"] }, "$.==[0].var", /unknown field "constructor"/],
    ["a number past the limit", { "<": [{ var: "score" }, 1e301] }, "$.<[1]", /between -1e300 and 1e300/],
    ["a number past the limit in a list", { in: [{ var: "score" }, [1, -1e308]] }, "$.in[1][1]", /between -1e300 and 1e300/],
    ["days_ago beyond 100 years", { ">": [{ var: "created_at" }, { days_ago: 1e12 }] }, "$.>[1].days_ago", /between -36500 and 36500/],
    ["a NUL in a literal", { "==": [{ var: "attributes.plan" }, "a\u0000b"] }, "$.==[1]", /NUL character/],
    ["a NUL in an event name", { performed: { event: "Sign\u0000up" } }, "$.performed.event", /NUL character/],
    ["a NUL in an attribute key", { "==": [{ var: "attributes.pl\u0000an" }, "x"] }, "$.==[0].var", /NUL character/],
    ["a NUL in a property key", { performed: { event: "E", where: { "==": [{ var: "properties.a\u0000" }, 1] } } }, "$.performed.where.==[0].var", /NUL character/],
    ["a NUL in a list item", { in: [{ var: "email" }, ["ok", "\u0000"]] }, "$.in[1][1]", /NUL character/],
    ["a NUL in an operator name", { and: [{ "==\u0000": [1, 2] }] }, "$.and[0]", /NUL character/],
    ["a lone surrogate", { "==": [{ var: "email" }, "\uD800x"] }, "$.==[1]", /lone UTF-16 surrogate/],
  ])("%s", (_name, rule, path, message) => {
    const [problem] = problemsOf(rule, { attributes });
    expect(problem.path).toBe(path);
    expect(problem.message).toMatch(message);
  });

  it("a cycle of in_segment", () => {
    const a = "11111111-1111-4111-8111-111111111111";
    const b = "22222222-2222-4222-8222-222222222222";
    const segments = new Map<string, unknown>([
      [a, { in_segment: { segment: b } }],
      [b, { and: [true, { in_segment: { segment: a } }] }],
    ]);
    const [problem] = problemsOf({ in_segment: { segment: b } }, { segments, segmentId: a });
    expect(problem).toMatchObject({ path: "$", message: expect.stringMatching(/depends on its own segment/), code: "segment_cycle" });
    // B's own rule, checked as B, closes the same cycle.
    expect(problemsOf(segments.get(b), { segments, segmentId: b })[0].message).toMatch(/depends on its own segment/);
    // Without the cycle the same reference is fine.
    expect(validateRule({ in_segment: { segment: b } }, { attributes: new Map(), segments: new Map([[b, true]]), segmentId: a }).ok).toBe(true);
  });

  it("a rule nested far too deep, without exhausting the stack", () => {
    let rule: unknown = true;
    for (let i = 0; i < 100_000; i++) rule = { "!": rule };
    expect(problemsOf(rule)[0].message).toMatch(/nest at most/);
  });

  it("any text with a NUL, wherever it is, and accepts the same text without it", () => {
    const text = fc.string({ unit: "binary", maxLength: 12 });
    fc.assert(
      fc.property(text, text, fc.constantFrom("literal", "event", "key", "property"), (before, after, where) => {
        const value = `${before}\u0000${after}`;
        const rule = (s: string) =>
          where === "literal"
            ? { "==": [{ var: "email" }, s] }
            : where === "event"
              ? { performed: { event: `E${s}` } }
              : where === "key"
                ? { "==": [{ var: `attributes.${s}` }, "x"] }
                : { performed: { event: "E", where: { "==": [{ var: `properties.p${s}` }, "x"] } } };
        const [problem] = problemsOf(rule(value), { attributes: new Map([[value, "string"]]) });
        expect(problem.message).toMatch(/NUL character/);
        const clean = value.replaceAll("\u0000", "");
        expect(validateRule(rule(clean), { attributes: new Map([[clean, "string"]]) }).ok).toBe(true);
      }),
      { numRuns: 200, seed },
    );
  });
});

describe.each(databaseKinds)("hostile names and values on %s", (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });

  afterAll(async () => {
    await database?.close();
  });

  async function contactCount(seeded: SeededWorkspace): Promise<number> {
    const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from contacts where workspace_id = ${seeded.workspaceId}::uuid`);
    return row.n;
  }

  // Prefixed: a blank event name is refused on purpose ("name the event").
  const eventName = (text: string) => `ev ${text}`;

  /** One contact holds `text` everywhere (attribute key and value, tag, event name, property); the other holds something else. */
  async function seedHostile(text: string) {
    const catalogue: CatalogueEntry[] = [{ key: text, type: "string" }];
    const holder = person({
      fields: { first_name: text },
      attributes: Object.fromEntries([[text, text]]),
      tags: [text],
      events: [{ name: eventName(text), properties: Object.fromEntries([[text, text]]), timestamp: new Date(now.getTime() - 1000) }],
    });
    // Empty text is inside no non-empty text and equal to none, so only the holder can match.
    const other = person({ fields: { first_name: "" }, attributes: Object.fromEntries([[text, ""]]), tags: [""], events: [{ name: "", properties: Object.fromEntries([[text, ""]]), timestamp: now }] });
    return seedContacts(database.db, catalogue, [holder, other]);
  }

  function rulesFor(text: string): unknown[] {
    const attribute = { var: `attributes.${text}` };
    const property = { var: `properties.${text}` };
    return [
      { "==": [attribute, text] },
      { "===": [{ var: "first_name" }, text] },
      { in: [text, attribute] },
      { in: [attribute, [text, "zzz"]] },
      { in: [text, { var: "tags" }] },
      { "<=": [text, attribute, text] },
      { performed: { event: eventName(text) } },
      { performed: { event: eventName(text), where: { "==": [property, text] }, within_days: 1 } },
      { ">": [{ aggregate: { event: eventName(text), fn: "count", where: { in: [text, property] } } }, 0] },
      { and: [{ "!": { missing: [`attributes.${text}`] } }, { "!=": [attribute, ""] }] },
    ];
  }

  it.each(hostile.map((text) => [JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}… (${text.length} characters)` : text), text]))(
    "%s is matched as data",
    async (_label, text) => {
      const seeded = await seedHostile(text);
      const holder = seeded.contacts[0].id;
      for (const rule of rulesFor(text)) {
        await expectAgreement(database.db, seeded, rule, now);
        expect(await sqlSelection(database.db, seeded, rule, now, "set"), JSON.stringify(rule).slice(0, 200)).toEqual([holder]);
      }
      expect(await contactCount(seeded)).toBe(2);
    },
  );

  it("% and _ in a substring are plain characters, not wildcards", async () => {
    const seeded = await seedContacts(database.db, [{ key: "code", type: "string" }], ["a%b", "axb", "a_b", "ab", "\\"].map((code) => person({ attributes: { code } })));
    const [percent, , underscore, , backslash] = seeded.contacts.map((contact) => contact.id);
    for (const [part, expected] of [
      ["%", [percent]],
      ["_", [underscore]],
      ["a%", [percent]],
      ["\\", [backslash]],
    ] as const) {
      const rule = { in: [part, { var: "attributes.code" }] };
      await expectAgreement(database.db, seeded, rule, now);
      expect(await sqlSelection(database.db, seeded, rule, now, "set")).toEqual([...expected].sort());
    }
  });

  it("random hostile text is matched as data, or refused when it holds a NUL", async () => {
    const pieces = fc.constantFrom("'", '"', "`", ";", "--", "$1", "\\", "%", "_", "é", "日本", "🎉", "\u0000", " ", "drop table contacts", "\n");
    const hostileText = fc.oneof(
      fc.array(pieces, { minLength: 1, maxLength: 8 }).map((parts) => parts.join("")),
      fc.string({ unit: "binary", minLength: 1, maxLength: 10 }),
    );
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        if (text.includes("\u0000")) {
          for (const rule of rulesFor(text)) expect(problemsOf(rule, { attributes: new Map([[text, "string"]]) })[0].message).toMatch(/NUL character/);
          return;
        }
        const seeded = await seedHostile(text);
        for (const rule of rulesFor(text)) {
          await expectAgreement(database.db, seeded, rule, now);
          expect(evaluatorSelection(seeded, rule, now)).toEqual([seeded.contacts[0].id]);
        }
        expect(await contactCount(seeded)).toBe(2);
      }),
      { numRuns: 40, seed },
    );
  });
});
