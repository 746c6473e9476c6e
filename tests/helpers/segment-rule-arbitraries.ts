import fc from "fast-check";
import type { AttributeType } from "@/db/schema";
import {
  catalogueArb,
  contactArb,
  dateTextArb,
  daysAgoValues,
  eventNames,
  literalNumbers,
  nowArb,
  propertyKeys,
  stringFields,
  tagPool,
  textArb,
  textPool,
  uniqueExternalIds,
  windowDays,
  type CatalogueEntry,
  type Scenario,
  type ScenarioOptions,
} from "./segment-arbitraries";

// Rules built by construction from an attribute catalogue, covering every operator the validator
// accepts, in every written form it accepts (var "x" / ["x"], ! x / [x], count N / [N]), so
// that every generated rule is valid without filtering.

type Scope = "contact" | "event";
type Comparable = "string" | "number" | "date" | "boolean";

interface RuleContext {
  catalogue: CatalogueEntry[];
  now: Date;
  segmentIds: string[];
}

/** `{"var": name}` or the array form `{"var": [name]}`: the validator takes both. */
function varArb(name: string): fc.Arbitrary<unknown> {
  return fc.constantFrom({ var: name }, { var: [name] });
}

function keysOf(context: RuleContext, type: AttributeType): string[] {
  return context.catalogue.filter((entry) => entry.type === type).map((entry) => entry.key);
}

function literalArb(type: Comparable, context: RuleContext): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return textArb;
    case "number":
      return fc.oneof(fc.constantFrom(...literalNumbers), fc.integer({ min: -20, max: 120 }));
    case "boolean":
      return fc.boolean();
    case "date":
      return fc.oneof(dateTextArb(context.now), fc.constantFrom("2026-01-05", "2024-02-29", "2026-01-05T10:00:00+15:59", "2026-01-05 10:00"));
  }
}

function daysAgoArb(): fc.Arbitrary<unknown> {
  return fc.constantFrom(...daysAgoValues).chain((days) => fc.constantFrom({ days_ago: days }, { days_ago: [days] }));
}

function windowArb(): fc.Arbitrary<number | undefined> {
  return fc.option(fc.constantFrom(...windowDays), { nil: undefined });
}

/** Drops keys whose value is undefined, so a spec reads as a person would write it. */
function compact(spec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
}

class RuleBuilder {
  private readonly memo = new Map<string, fc.Arbitrary<unknown>>();

  constructor(private readonly context: RuleContext) {}

  /** Operands with a type of their own (not literals) in the given scope, or none. */
  typed(type: Comparable, scope: Scope): fc.Arbitrary<unknown> | undefined {
    if (scope === "event") return type === "date" ? daysAgoArb() : undefined;
    const options: Array<fc.Arbitrary<unknown>> = [];
    const vars = (names: string[]) => {
      for (const name of names) options.push(varArb(name));
    };
    if (type === "string") vars([...stringFields]);
    if (type === "number") {
      vars(["score"]);
      options.push(this.aggregate());
    }
    if (type === "date") {
      vars(["created_at", "last_seen_at"]);
      options.push(daysAgoArb());
    }
    vars(keysOf(this.context, type).map((key) => `attributes.${key}`));
    return options.length > 0 ? fc.oneof(...options) : undefined;
  }

  private property(): fc.Arbitrary<unknown> {
    return fc.constantFrom(...propertyKeys).chain((key) => varArb(`properties.${key}`));
  }

  /** A comparison (or three-argument between) in one type, with at least one typed side. */
  comparison(type: Comparable, scope: Scope): fc.Arbitrary<unknown> | undefined {
    const typed = this.typed(type, scope);
    // In an event's where, a property takes the type of the literal it is compared with.
    const property = scope === "event" ? this.property() : undefined;
    if (!typed && !property) return undefined;
    const literal = literalArb(type, this.context);
    const ops = type === "boolean" ? ["==", "===", "!=", "!=="] : ["==", "===", "!=", "!==", "<", "<=", ">", ">="];
    // Each position is typed (t), a literal (l) or a property (p); shapes the validator accepts.
    const shapes: string[] =
      scope === "contact" ? ["tl", "lt", "tt"] : type === "date" ? ["tp", "pt", "tl", "tt"] : ["pl", "lp"];
    const betweenShapes: string[] =
      type === "boolean" ? [] : scope === "contact" ? ["ltl", "ttl", "llt", "ttt", "tlt"] : type === "date" ? ["tpt", "tpl", "ptl"] : ["lpl", "ppl", "lpp"];
    const operand = (slot: string) => (slot === "t" ? typed! : slot === "l" ? literal : property!);
    const pair = fc.tuple(fc.constantFrom(...ops), fc.constantFrom(...shapes)).chain(([op, shape]) =>
      fc.tuple(...[...shape].map(operand)).map((items) => ({ [op]: items })),
    );
    if (betweenShapes.length === 0) return pair;
    const between = fc.tuple(fc.constantFrom("<", "<="), fc.constantFrom(...betweenShapes)).chain(([op, shape]) =>
      fc.tuple(...[...shape].map(operand)).map((items) => ({ [op]: items })),
    );
    return fc.oneof({ weight: 3, arbitrary: pair }, { weight: 1, arbitrary: between });
  }

  private inRule(scope: Scope): fc.Arbitrary<unknown> {
    const options: Array<fc.Arbitrary<unknown>> = [];
    const stringOperand = scope === "event" ? this.property() : this.typed("string", scope)!;
    // Substring: text inside a string value.
    options.push(fc.tuple(textArb, stringOperand).map(([part, value]) => ({ in: [part, value] })));
    // A value in a literal list (possibly empty).
    options.push(fc.tuple(stringOperand, fc.array(textArb, { maxLength: 4 })).map(([value, list]) => ({ in: [value, list] })));
    const numberOperand = scope === "event" ? this.property() : this.typed("number", scope)!;
    options.push(
      fc.tuple(numberOperand, fc.array(literalArb("number", this.context) as fc.Arbitrary<number>, { minLength: 1, maxLength: 4 })).map(([value, list]) => ({ in: [value, list] })),
    );
    if (scope === "contact") {
      // A tag in tags, an item in a list attribute.
      const lists = [varArb("tags"), ...keysOf(this.context, "list").map((key) => varArb(`attributes.${key}`))];
      options.push(fc.tuple(fc.constantFrom(...tagPool, ...textPool), fc.oneof(...lists)).map(([item, list]) => ({ in: [item, list] })));
    }
    return fc.oneof(...options);
  }

  private missing(): fc.Arbitrary<unknown> {
    const names = [...stringFields, "created_at", "last_seen_at", "score", "tags", ...this.context.catalogue.map((entry) => `attributes.${entry.key}`)];
    return fc.oneof(
      fc.constantFrom(...names).map((name) => ({ missing: name })),
      fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }).map((list) => ({ missing: list })),
    );
  }

  /** `!!`/`!` of a value read for truthiness: a var of any type or an aggregate. */
  private truthy(): fc.Arbitrary<unknown> {
    const names = [...stringFields, "created_at", "last_seen_at", "score", "tags", ...this.context.catalogue.map((entry) => `attributes.${entry.key}`)];
    const value = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names).chain(varArb) }, { weight: 1, arbitrary: this.aggregate() });
    return fc.tuple(fc.constantFrom("!", "!!"), value, fc.boolean()).map(([op, item, wrap]) => ({ [op]: wrap ? [item] : item }));
  }

  private countArb(): fc.Arbitrary<unknown> {
    return fc
      .tuple(fc.constantFrom("==", "===", "!=", "!==", "<", "<=", ">", ">="), fc.integer({ min: 0, max: 3 }), fc.boolean())
      .map(([op, n, wrap]) => ({ [op]: wrap ? [n] : n }));
  }

  performed(): fc.Arbitrary<unknown> {
    return fc
      .record({
        event: fc.constantFrom(...eventNames),
        where: fc.option(this.condition(2, "event"), { nil: undefined, freq: 2 }),
        within_days: windowArb(),
        count: fc.option(this.countArb(), { nil: undefined, freq: 2 }),
      })
      .map((spec) => ({ performed: compact(spec) }));
  }

  aggregate(): fc.Arbitrary<unknown> {
    const cached = this.memo.get("aggregate");
    if (cached) return cached;
    const arbitrary = fc
      .record({
        event: fc.constantFrom(...eventNames),
        fn: fc.constantFrom(undefined, "count", "sum", "avg", "min", "max"),
        property: fc.constantFrom(...propertyKeys),
        where: fc.option(this.condition(1, "event"), { nil: undefined, freq: 3 }),
        within_days: windowArb(),
      })
      .map(({ fn, property, ...spec }) => ({ aggregate: compact({ ...spec, fn, property: fn === undefined || fn === "count" ? undefined : property }) }));
    this.memo.set("aggregate", arbitrary);
    return arbitrary;
  }

  private inSegment(): fc.Arbitrary<unknown> {
    return fc
      .record({ segment: fc.constantFrom(...this.context.segmentIds), within_days: windowArb() })
      .map((spec) => ({ in_segment: compact(spec) }));
  }

  /** A condition nested up to `depth` levels of and/or/!/!!. */
  condition(depth: number, scope: Scope): fc.Arbitrary<unknown> {
    const key = `${scope}:${depth}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    const leaves: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 1, arbitrary: fc.boolean() }];
    for (const type of ["string", "number", "date", "boolean"] as const) {
      const comparison = this.comparison(type, scope);
      if (comparison) leaves.push({ weight: type === "boolean" ? 2 : 4, arbitrary: comparison });
    }
    leaves.push({ weight: 3, arbitrary: this.inRule(scope) });
    if (scope === "contact") {
      leaves.push({ weight: 2, arbitrary: this.missing() });
      leaves.push({ weight: 2, arbitrary: this.truthy() });
      leaves.push({ weight: 4, arbitrary: this.performed() });
      if (this.context.segmentIds.length > 0) leaves.push({ weight: 2, arbitrary: this.inSegment() });
    }
    let arbitrary: fc.Arbitrary<unknown> = fc.oneof(...leaves);
    if (depth > 0) {
      const inner = this.condition(depth - 1, scope);
      arbitrary = fc.oneof(
        { weight: 3, arbitrary },
        { weight: 2, arbitrary: fc.tuple(fc.constantFrom("and", "or"), fc.array(inner, { minLength: 1, maxLength: 3 })).map(([op, items]) => ({ [op]: items })) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom("!", "!!"), inner, fc.boolean()).map(([op, item, wrap]) => ({ [op]: wrap ? [item] : item })) },
      );
    }
    this.memo.set(key, arbitrary);
    return arbitrary;
  }
}

/** A rule the validator accepts for this catalogue, nested up to `depth` levels. */
export function ruleArb(catalogue: CatalogueEntry[], now: Date, options: { segmentIds?: string[]; depth?: number } = {}): fc.Arbitrary<unknown> {
  return new RuleBuilder({ catalogue, now, segmentIds: options.segmentIds ?? [] }).condition(options.depth ?? 4, "contact");
}

/** A catalogue, a moment, contacts, and several rules over them. */
export function scenarioArb(options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const segmentIds = options.segmentIds ?? [];
  const size = options.contacts ?? { min: 5, max: 15 };
  return fc.tuple(catalogueArb, nowArb).chain(([catalogue, now]) =>
    fc.record({
      catalogue: fc.constant(catalogue),
      now: fc.constant(now),
      contacts: fc.array(contactArb(catalogue, now, segmentIds), { minLength: size.min, maxLength: size.max }).map(uniqueExternalIds),
      rules: fc.array(ruleArb(catalogue, now, { segmentIds, depth: options.depth }), {
        minLength: options.rulesPerScenario ?? 4,
        maxLength: options.rulesPerScenario ?? 4,
      }),
    }),
  );
}
