import { sql, type SQL } from "drizzle-orm";
import type { CompareOp, Condition, Operand } from "./rule";
import { castValue, dateSource, daysBefore, numberLimit, numberSource, parseDate, type ValueType } from "./values";

export interface CompileOptions {
  workspaceId: string;
  /** The moment windows and days_ago are measured from (a bound parameter, not now()). */
  now: Date;
  /**
   * "set" evaluates for all contacts (full recompute): events are grouped once per rule part.
   * "contacts" evaluates for a few contacts (real-time checks): per-contact index lookups.
   */
  mode?: "set" | "contacts";
}

// Pattern constants are ours (values.ts), never user input, so they are written into the SQL.
const numberRe = sql.raw(`'${numberSource}'`);
const dateRe = sql.raw(`'${dateSource}'`);
const limit = sql.raw(String(numberLimit));

/**
 * An attribute or event property: its jsonb (`->`) for type checks and containment, and its
 * text (`->>`, one step where `-> … #>> '{}'` took two) for casts and comparisons.
 */
interface JsonRef {
  json: SQL;
  text: SQL;
}

function attributeRef(key: string): JsonRef {
  return { json: sql`(c.attributes -> ${key}::text)`, text: sql`(c.attributes ->> ${key}::text)` };
}

function propertyRef(key: string): JsonRef {
  return { json: sql`(e.properties -> ${key}::text)`, text: sql`(e.properties ->> ${key}::text)` };
}

/** A jsonb value read as a type, exactly as castValue reads it; NULL when it does not fit. */
function castJson({ json, text }: JsonRef, type: ValueType): SQL {
  switch (type) {
    case "number":
      return sql`(case jsonb_typeof(${json})
        when 'number' then case when abs((${json})::numeric) < ${limit} then (${text})::float8 end
        when 'string' then case when ${text} ~ ${numberRe} then (${text})::float8 end end)`;
    case "string":
      return sql`(case when jsonb_typeof(${json}) = 'string' then ${text} end)`;
    case "boolean":
      // A JSON true and the string "true" read alike as text, and nothing else reads as "true".
      return sql`(case ${text} when 'true' then true when 'false' then false end)`;
    case "date":
      return castDateText(text);
    case "list":
      return sql`(case when jsonb_typeof(${json}) = 'array' then ${json} end)`;
  }
}

// Checked against the pattern before casting, so bad data is missing instead of an error that
// would fail the whole query. Only a string can match it (a number, boolean, list or object
// reads otherwise through `->>`), so no JSON type check is needed. Past the pattern, an offset
// is whatever is left after the date of a Z, + or -: each test reads the value once more.
//
// Most date attributes hold a plain date ("2024-05-31"). One of a year 1900–2199 and a day that
// every year has is recognised by two hashed lookups (a third of the pattern's cost) and cast
// as the pattern's branch without an offset casts it. Anything else — a time, an offset,
// 29 February, another year, a stray character — goes on to the pattern, which decides.
const plainYears = sql.raw(Array.from({ length: 300 }, (_, i) => `'${1900 + i}'`).join(", "));
const plainMonthDays = sql.raw(
  [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    .flatMap((days, month) => Array.from({ length: days }, (_, day) => `'-${pad2(month + 1)}-${pad2(day + 1)}'`))
    .join(", "),
);

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function castDateText(text: SQL): SQL {
  return sql`(case when left(${text}, 4) in (${plainYears}) and substr(${text}, 5) in (${plainMonthDays})
      then ((${text})::timestamp at time zone 'UTC')
    when ${text} ~ ${dateRe}
    then case when translate(substr(${text}, 11), '0123456789:. T', '') <> '' then (${text})::timestamptz
      else ((${text})::timestamp at time zone 'UTC') end end)`;
}

function literal(value: unknown, type: ValueType): SQL {
  switch (type) {
    case "number":
      return sql`${value}::float8`;
    case "boolean":
      return sql`${value}::boolean`;
    case "date":
      return sql`${parseDate(String(value))!.toISOString()}::timestamptz`;
    default:
      return sql`${value}::text`;
  }
}

class Compiler {
  /** Joins a full recompute needs in its FROM clause (one per `performed` under `or` or `!`). */
  readonly joins: SQL[] = [];
  private orNotDepth = 0;

  private underOrNot<T>(compile: () => T): T {
    this.orNotDepth++;
    try {
      return compile();
    } finally {
      this.orNotDepth--;
    }
  }

  constructor(private readonly options: CompileOptions) {}

  private since(days: number): SQL {
    return sql`${daysBefore(this.options.now, days).toISOString()}::timestamptz`;
  }

  operand(operand: Operand, type: ValueType): SQL {
    switch (operand.kind) {
      case "field":
        return operand.type === "number" ? sql`c.${sql.identifier(operand.column)}::float8` : sql`c.${sql.identifier(operand.column)}`;
      case "attribute":
        return castJson(attributeRef(operand.key), type);
      case "property":
        return castJson(propertyRef(operand.key), type);
      case "tags":
        return sql`c.tags`;
      case "literal":
        return literal(operand.value, type);
      case "days_ago":
        return this.since(operand.days);
      case "aggregate":
        return this.aggregate(operand);
    }
  }

  private eventFilter(event: string, where: Condition | undefined, withinDays: number | undefined, correlated: boolean): SQL {
    const parts = [
      correlated ? sql`e.workspace_id = c.workspace_id and e.contact_id = c.id` : sql`e.workspace_id = ${this.options.workspaceId}::uuid and e.contact_id is not null`,
      sql`e.name = ${event}::text`,
    ];
    if (withinDays !== undefined) parts.push(sql`e.timestamp >= ${this.since(withinDays)}`);
    if (where) parts.push(this.condition(where));
    return sql.join(parts, sql` and `);
  }

  private aggregate(operand: Extract<Operand, { kind: "aggregate" }>): SQL {
    const filter = this.eventFilter(operand.event, operand.where, operand.withinDays, true);
    return sql`(select ${this.aggregateValue(operand)} from events e where ${filter})`;
  }

  /** The aggregate over the events `e` in scope, as the evaluator computes it. */
  private aggregateValue(operand: Extract<Operand, { kind: "aggregate" }>): SQL {
    if (operand.fn === "count") return sql`count(*)::float8`;
    const value = castJson(propertyRef(operand.property!), "number");
    // avg(float8) also accumulates a sum of squares that overflows (an error, failing the whole
    // query) once two values differ by more than ~1e154; sum/count is what the evaluator computes.
    // A sum can pass the number limit although each value is within it: then it is missing, as
    // any number past the limit is (the evaluator applies castValue to it).
    return operand.fn === "sum"
      ? sql`(case when abs(coalesce(sum(${value}), 0)) < ${limit} then coalesce(sum(${value}), 0) end)`
      : operand.fn === "avg"
        ? sql`sum(${value}) / nullif(count(${value}), 0)`
        : sql`${sql.raw(operand.fn)}(${value})`;
  }

  // "sum > 500" like "did it N times": when a contact without such events cannot qualify (count
  // and sum are 0 then, avg/min/max missing), a full recompute groups the events once instead of
  // one correlated aggregate per contact.
  private groupedAggregate(condition: Extract<Condition, { kind: "compare" }>): SQL | undefined {
    const { left, right, op } = condition;
    const onLeft = left.kind === "aggregate" && right.kind === "literal";
    if (!onLeft && !(right.kind === "aggregate" && left.kind === "literal")) return undefined;
    const aggregate = (onLeft ? left : right) as Extract<Operand, { kind: "aggregate" }>;
    const n = castValue("number", ((onLeft ? right : left) as Extract<Operand, { kind: "literal" }>).value);
    if (n === null) return undefined;
    const empty = aggregate.fn === "count" || aggregate.fn === "sum" ? 0 : null;
    if (empty !== null && compareNumbers(onLeft ? empty : (n as number), op, onLeft ? (n as number) : empty)) return undefined;
    const filter = this.eventFilter(aggregate.event, aggregate.where, aggregate.withinDays, false);
    const value = this.aggregateValue(aggregate);
    const limit = literal(n, "number");
    const having = this.compare(op, onLeft ? value : limit, onLeft ? limit : value, "number");
    return sql`c.id in (select e.contact_id from events e where ${filter} group by e.contact_id having ${having})`;
  }

  private compare(op: CompareOp, left: SQL, right: SQL, type: ValueType): SQL {
    const collate = type === "string" && op !== "==" && op !== "!=" ? sql` collate "C"` : sql``;
    const sqlOp = sql.raw(op === "==" ? "=" : op === "!=" ? "<>" : op);
    return sql`coalesce((${left})${collate} ${sqlOp} (${right})${collate}, false)`;
  }

  condition(condition: Condition): SQL {
    switch (condition.kind) {
      case "constant":
        return condition.value ? sql`true` : sql`false`;
      case "and":
        return sql`(${sql.join(condition.items.map((item) => this.condition(item)), sql` and `)})`;
      case "or":
        return sql`(${sql.join(this.underOrNot(() => condition.items.map((item) => this.condition(item))), sql` or `)})`;
      case "not":
        // A negated `performed` in the top-level `and` is a NOT EXISTS: an anti-join.
        if (condition.item.kind === "performed") return sql`(not ${this.condition(condition.item)})`;
        return sql`(not ${this.underOrNot(() => this.condition(condition.item))})`;
      case "truthy": {
        const value = this.operand(condition.operand, condition.type);
        switch (condition.type) {
          case "string":
            return sql`coalesce(${value} <> '', false)`;
          case "number":
            return sql`coalesce(${value} <> 0, false)`;
          case "boolean":
            return sql`coalesce(${value}, false)`;
          case "date":
            return sql`(${value} is not null)`;
          case "list":
            return condition.operand.kind === "tags"
              ? sql`(cardinality(c.tags) > 0)`
              : sql`coalesce((select count(*) from jsonb_array_elements(${value}) x where jsonb_typeof(x) = 'string') > 0, false)`;
        }
        break;
      }
      case "compare": {
        if (this.options.mode !== "contacts") {
          const grouped = this.groupedAggregate(condition);
          if (grouped) return grouped;
        }
        const asJson =
          condition.type === "string" && (condition.op === "==" || condition.op === "!=")
            ? this.jsonTextCompare(condition)
            : condition.type === "number"
              ? this.jsonNumberCompare(condition)
              : undefined;
        if (asJson) return asJson;
        return this.compare(condition.op, this.operand(condition.left, condition.type), this.operand(condition.right, condition.type), condition.type);
      }
      case "between": {
        const value = this.operand(condition.value, condition.type);
        return sql`(${this.compare(condition.op, this.operand(condition.low, condition.type), value, condition.type)} and ${this.compare(condition.op, value, this.operand(condition.high, condition.type), condition.type)})`;
      }
      case "in_list": {
        if (condition.values.length === 0) return sql`false`;
        const ref = condition.type === "string" && condition.values.every((item) => typeof item === "string" && jsonSafe(item)) ? refOf(condition.operand) : undefined;
        if (ref) {
          const texts = condition.values.map(String);
          return textEquals(ref, sql`in (${sql.join(texts.map((item) => sql`${item}::text`), sql`, `)})`, texts.some(readsAsOtherJson));
        }
        const value = this.operand(condition.operand, condition.type);
        const items = sql.join(condition.values.map((item) => literal(item, condition.type)), sql`, `);
        return sql`coalesce(${value} in (${items}), false)`;
      }
      case "has_item": {
        if (condition.list.kind === "tags") return sql`(c.tags @> array[${condition.item}::text])`;
        // Only an array contains an array (a string or an object never does): no cast needed.
        // The one-item array is a bound jsonb literal, folded once instead of built per row.
        const list = refOf(condition.list)?.json ?? this.operand(condition.list, "list");
        const item = jsonSafe(condition.item) ? sql`${JSON.stringify([condition.item])}::jsonb` : sql`jsonb_build_array(${condition.item}::text)`;
        return sql`coalesce(${list} @> ${item}, false)`;
      }
      case "substring":
        return sql`coalesce(strpos(${this.operand(condition.text, "string")}, ${condition.part}::text) > 0, false)`;
      case "missing":
        return sql`(${sql.join(
          condition.operands.map(({ operand, type }) => {
            if (operand.kind === "tags") return sql`false`;
            const value = this.operand(operand, type);
            return type === "string" ? sql`coalesce(${value} = '', true)` : sql`(${value} is null)`;
          }),
          sql` or `,
        )})`;
      case "performed":
        return this.performed(condition);
      case "in_segment": {
        const window =
          condition.withinDays === undefined
            ? sql`m.exited_at is null`
            : sql`m.entered_at <= ${this.options.now.toISOString()}::timestamptz and (m.exited_at is null or m.exited_at >= ${this.since(condition.withinDays)})`;
        return sql`exists (select 1 from segment_memberships m where m.workspace_id = c.workspace_id and m.segment_id = ${condition.segmentId}::uuid and m.contact_id = c.id and ${window})`;
      }
    }
  }

  // A text attribute or property against a text literal, compared as text, and only where the
  // text matches is the JSON type checked (a number, list or object is missing, so neither
  // equal nor unequal): most rows cost one `->>` and one comparison.
  private jsonTextCompare(condition: Extract<Condition, { kind: "compare" }>): SQL | undefined {
    const { left, right, op } = condition;
    const [ref, text] = right.kind === "literal" ? [refOf(left), right.value] : left.kind === "literal" ? [refOf(right), left.value] : [];
    if (!ref || !["string", "number", "boolean"].includes(typeof text) || !jsonSafe(String(text))) return undefined;
    const literal = String(text);
    return op === "=="
      ? textEquals(ref, sql`= ${literal}::text`, readsAsOtherJson(literal))
      : textEquals(ref, sql`<> ${literal}::text`, true);
  }

  // A number attribute or property against a number literal. A JSON number is compared as jsonb
  // (numerically; every number Tideline stores was written by JSON.stringify, so it is a double
  // in its shortest form and compares as the double does), bounded to the magnitude castValue
  // accepts. jsonb orders every string and null below every number and every boolean, list and
  // object above, so the bounds also leave those out, and the value is read twice where the
  // cast read it three times. Text that reads as a number is cast as before.
  private jsonNumberCompare(condition: Extract<Condition, { kind: "compare" }>): SQL | undefined {
    const { left, right } = condition;
    const onLeft = right.kind === "literal";
    const ref = onLeft ? refOf(left) : left.kind === "literal" ? refOf(right) : undefined;
    if (!ref) return undefined;
    const n = castValue("number", ((onLeft ? right : left) as Extract<Operand, { kind: "literal" }>).value);
    if (typeof n !== "number") return undefined;
    // The operator as seen from the attribute: `5 < x` is `x > 5`.
    const flipped: Record<CompareOp, CompareOp> = { "==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
    const op = onLeft ? condition.op : flipped[condition.op];
    const sqlOp = sql.raw(op === "==" ? "=" : op === "!=" ? "<>" : op);
    const value = sql`${JSON.stringify(n)}::jsonb`;
    const above = sql`${ref.json} > ${`-${numberLimit}`}::jsonb`;
    const below = sql`${ref.json} < ${String(numberLimit)}::jsonb`;
    const asText = sql`jsonb_typeof(${ref.json}) = 'string' and ${ref.text} ~ ${numberRe} and (${ref.text})::float8 ${sqlOp} ${n}::float8`;
    // Below a number: strings and null are below every number too, so only what passes the
    // comparison is read again, and a number above the literal is read once.
    if (op === "<" || op === "<=") return sql`coalesce(${ref.json} ${sqlOp} ${value} and (${above} or (${asText})), false)`;
    const bounds = op === "==" ? [] : op === ">" || op === ">=" ? [below] : [above, below];
    const asNumber = sql.join([sql`${ref.json} ${sqlOp} ${value}`, ...bounds], sql` and `);
    return sql`coalesce((${asNumber}) or (${asText}), false)`;
  }

  // "At least once" and "never" are [NOT] EXISTS, which Postgres plans as a semi- or anti-join
  // when they stand in the rule's top-level `and`. Under `or` or `!` it could only probe each
  // contact's events in turn, so a full recompute answers them, like every count, with one pass
  // over the events: the contacts that did it (or, when zero times qualifies, those that did it
  // a number of times that does not), left-joined to the contacts, the condition reading a
  // column. Postgres hashes that set and spills it to disk past work_mem, where a hashed `IN`
  // subplan would fall back to re-running per contact. Checking a few contacts probes their
  // events by index.
  private performed(condition: Extract<Condition, { kind: "performed" }>): SQL {
    const { op, n } = condition.count;
    const zeroQualifies = compareNumbers(0, op, n);
    const sqlOp = sql.raw(op === "==" ? "=" : op === "!=" ? "<>" : op);
    // "At least once" / "never": existence, no count.
    const once = compareNumbers(1, op, n) && !zeroQualifies && Array.from({ length: 5 }, (_, k) => k + 1).every((k) => compareNumbers(k, op, n));
    const never = zeroQualifies && !compareNumbers(1, op, n) && Array.from({ length: 5 }, (_, k) => k + 1).every((k) => !compareNumbers(k, op, n));
    if (this.options.mode !== "contacts" && (!(once || never) || this.orNotDepth > 0)) {
      const filter = this.eventFilter(condition.event, condition.where, condition.withinDays, false);
      const grouped =
        once || never
          ? sql`select distinct e.contact_id from events e where ${filter}`
          : sql`select e.contact_id from events e where ${filter} group by e.contact_id having ${zeroQualifies ? sql`not ` : sql``}(count(*) ${sqlOp} ${n}::int)`;
      const alias = sql.identifier(`p${this.joins.length + 1}`);
      this.joins.push(sql`left join (${grouped}) ${alias} on ${alias}.contact_id = c.id`);
      return sql`(${alias}.contact_id ${sql.raw(zeroQualifies ? "is null" : "is not null")})`;
    }
    const filter = this.eventFilter(condition.event, condition.where, condition.withinDays, true);
    if (once || never) return sql`(${sql.raw(never ? "not exists" : "exists")} (select 1 from events e where ${filter}))`;
    return sql`((select count(*) from events e where ${filter}) ${sqlOp} ${n}::int)`;
  }
}

/** Text jsonb can hold as written: no NUL and no lone surrogate (jsonb refuses both; as text they pass). */
function jsonSafe(text: string): boolean {
  if (text.includes("\u0000")) return false;
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * `text <test>`, true only where the value is a JSON string. Where the test can only hold for
 * a string (an equality with text no other JSON value reads as), the type is not checked.
 */
function textEquals(ref: JsonRef, test: SQL, checkType: boolean): SQL {
  return checkType
    ? sql`coalesce(${ref.text} ${test} and jsonb_typeof(${ref.json}) = 'string', false)`
    : sql`coalesce(${ref.text} ${test}, false)`;
}

/**
 * Whether a JSON value other than a string can read as this text through `->>`: a number reads
 * as digits (never with an exponent), a boolean as true/false, an object or a list as its JSON.
 */
function readsAsOtherJson(text: string): boolean {
  return /^[-0-9{[]/.test(text) || text === "true" || text === "false";
}

/** The attribute or event property an operand reads, for comparisons done on its JSON. */
function refOf(operand: Operand | undefined): JsonRef | undefined {
  if (operand?.kind === "attribute") return attributeRef(operand.key);
  if (operand?.kind === "property") return propertyRef(operand.key);
  return undefined;
}

export function compareNumbers(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** `select c.id` of every contact of the workspace the rule selects (optionally only some contacts). */
export function matchingContactsQuery(condition: Condition, options: CompileOptions & { contactIds?: string[] }): SQL {
  const only =
    options.contactIds === undefined
      ? sql``
      : sql` and c.id in (${options.contactIds.length > 0 ? sql.join(options.contactIds.map((id) => sql`${id}::uuid`), sql`, `) : sql`null`})`;
  const compiler = new Compiler(options);
  const where = compiler.condition(condition);
  const joins = compiler.joins.length > 0 ? sql` ${sql.join(compiler.joins, sql` `)}` : sql``;
  return sql`select c.id from contacts c${joins} where c.workspace_id = ${options.workspaceId}::uuid${only} and ${where}`;
}
