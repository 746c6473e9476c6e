import { sql, type SQL } from "drizzle-orm";
import type { CompareOp, Condition, Operand } from "./rule";
import { castValue, dateSource, daysBefore, numberLimit, numberSource, offsetSource, parseDate, type ValueType } from "./values";

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
const offsetRe = sql.raw(`'${offsetSource}'`);
const limit = sql.raw(String(numberLimit));

/** A jsonb value read as a type, exactly as castValue reads it; NULL when it does not fit. */
function castJson(json: SQL, type: ValueType): SQL {
  switch (type) {
    case "number":
      return sql`(case jsonb_typeof(${json})
        when 'number' then case when abs((${json})::numeric) < ${limit} then (${json})::numeric::float8 end
        when 'string' then case when (${json} #>> '{}') ~ ${numberRe} then (${json} #>> '{}')::float8 end end)`;
    case "string":
      return sql`(case when jsonb_typeof(${json}) = 'string' then ${json} #>> '{}' end)`;
    case "boolean":
      return sql`(case when jsonb_typeof(${json}) = 'boolean' then (${json})::boolean
        when jsonb_typeof(${json}) = 'string' and (${json} #>> '{}') in ('true', 'false') then (${json} #>> '{}')::boolean end)`;
    case "date":
      return sql`(case when jsonb_typeof(${json}) = 'string' then ${castDateText(sql`(${json} #>> '{}')`)} end)`;
    case "list":
      return sql`(case when jsonb_typeof(${json}) = 'array' then ${json} end)`;
  }
}

// Checked by pattern and by the days of its month before casting, so bad data is missing
// instead of an error that would fail the whole query.
function castDateText(text: SQL): SQL {
  return sql`(case when ${text} ~ ${dateRe}
      and substr(${text}, 9, 2)::int <= extract(day from (make_date(substr(${text}, 1, 4)::int, substr(${text}, 6, 2)::int, 1) + interval '1 month - 1 day'))
    then case when ${text} ~ ${offsetRe} then replace(${text}, ' ', 'T')::timestamptz
      else (replace(${text}, ' ', 'T')::timestamp at time zone 'UTC') end end)`;
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
  constructor(private readonly options: CompileOptions) {}

  private since(days: number): SQL {
    return sql`${daysBefore(this.options.now, days).toISOString()}::timestamptz`;
  }

  operand(operand: Operand, type: ValueType): SQL {
    switch (operand.kind) {
      case "field":
        return operand.type === "number" ? sql`c.${sql.identifier(operand.column)}::float8` : sql`c.${sql.identifier(operand.column)}`;
      case "attribute":
        return castJson(sql`(c.attributes -> ${operand.key}::text)`, type);
      case "property":
        return castJson(sql`(e.properties -> ${operand.key}::text)`, type);
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
    const value = castJson(sql`(e.properties -> ${operand.property!}::text)`, "number");
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
      case "or":
        return sql`(${sql.join(condition.items.map((item) => this.condition(item)), sql.raw(` ${condition.kind} `))})`;
      case "not":
        return sql`(not ${this.condition(condition.item)})`;
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
        const asJson = condition.type === "string" && (condition.op === "==" || condition.op === "!=") ? this.jsonTextCompare(condition) : undefined;
        if (asJson) return asJson;
        return this.compare(condition.op, this.operand(condition.left, condition.type), this.operand(condition.right, condition.type), condition.type);
      }
      case "between": {
        const value = this.operand(condition.value, condition.type);
        return sql`(${this.compare(condition.op, this.operand(condition.low, condition.type), value, condition.type)} and ${this.compare(condition.op, value, this.operand(condition.high, condition.type), condition.type)})`;
      }
      case "in_list": {
        if (condition.values.length === 0) return sql`false`;
        const json = condition.type === "string" && condition.values.every((item) => typeof item === "string" && jsonSafe(item)) ? jsonOf(condition.operand) : undefined;
        if (json) return sql`coalesce(${json} in (${sql.join(condition.values.map((item) => jsonText(String(item))), sql`, `)}), false)`;
        const value = this.operand(condition.operand, condition.type);
        const items = sql.join(condition.values.map((item) => literal(item, condition.type)), sql`, `);
        return sql`coalesce(${value} in (${items}), false)`;
      }
      case "has_item":
        if (condition.list.kind === "tags") return sql`(c.tags @> array[${condition.item}::text])`;
        // Only an array contains an array (a string or an object never does): no cast needed.
        return sql`coalesce(${jsonOf(condition.list) ?? this.operand(condition.list, "list")} @> jsonb_build_array(${condition.item}::text), false)`;
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

  // A text attribute or property against a text literal, compared as jsonb: jsonb equality
  // matches JSON strings only, so the answer is the cast's (a number or a list is missing, so
  // neither equal nor unequal) without reading every row's value out as text.
  private jsonTextCompare(condition: Extract<Condition, { kind: "compare" }>): SQL | undefined {
    const { left, right, op } = condition;
    const [json, text] = right.kind === "literal" ? [jsonOf(left), right.value] : left.kind === "literal" ? [jsonOf(right), left.value] : [];
    if (!json || !["string", "number", "boolean"].includes(typeof text) || !jsonSafe(String(text))) return undefined;
    const value = jsonText(String(text));
    return op === "=="
      ? sql`coalesce(${json} = ${value}, false)`
      : sql`coalesce(jsonb_typeof(${json}) = 'string' and ${json} <> ${value}, false)`;
  }

  // "Did it N times": when zero times does not qualify, only contacts with such events can
  // match, so a full recompute groups the events once instead of probing every contact.
  private performed(condition: Extract<Condition, { kind: "performed" }>): SQL {
    const { op, n } = condition.count;
    const zeroQualifies = compareNumbers(0, op, n);
    const sqlOp = sql.raw(op === "==" ? "=" : op === "!=" ? "<>" : op);
    // "At least once" / "never" need no count: [NOT] EXISTS plans as a semi- or anti-join
    // in any position, where a negated IN over a large grouped set would not.
    const once = compareNumbers(1, op, n) && !zeroQualifies && Array.from({ length: 5 }, (_, k) => k + 1).every((k) => compareNumbers(k, op, n));
    const never = zeroQualifies && !compareNumbers(1, op, n) && Array.from({ length: 5 }, (_, k) => k + 1).every((k) => !compareNumbers(k, op, n));
    if (once || never) {
      const filter = this.eventFilter(condition.event, condition.where, condition.withinDays, true);
      return sql`(${sql.raw(never ? "not exists" : "exists")} (select 1 from events e where ${filter}))`;
    }
    if (!zeroQualifies && this.options.mode !== "contacts") {
      const filter = this.eventFilter(condition.event, condition.where, condition.withinDays, false);
      return sql`c.id in (select e.contact_id from events e where ${filter} group by e.contact_id having count(*) ${sqlOp} ${n}::int)`;
    }
    const filter = this.eventFilter(condition.event, condition.where, condition.withinDays, true);
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

/** A JSON string literal, bound as jsonb (a cast the planner folds once, where to_jsonb() would run per row). */
function jsonText(text: string): SQL {
  return sql`${JSON.stringify(text)}::jsonb`;
}

/** The jsonb an attribute or event property operand reads, for comparisons done as jsonb. */
function jsonOf(operand: Operand | undefined): SQL | undefined {
  if (operand?.kind === "attribute") return sql`(c.attributes -> ${operand.key}::text)`;
  if (operand?.kind === "property") return sql`(e.properties -> ${operand.key}::text)`;
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

/** The rule as a boolean SQL expression over `contacts c`. */
export function compileCondition(condition: Condition, options: CompileOptions): SQL {
  return new Compiler(options).condition(condition);
}

/** `select c.id` of every contact of the workspace the rule selects (optionally only some contacts). */
export function matchingContactsQuery(condition: Condition, options: CompileOptions & { contactIds?: string[] }): SQL {
  const only =
    options.contactIds === undefined
      ? sql``
      : sql` and c.id in (${options.contactIds.length > 0 ? sql.join(options.contactIds.map((id) => sql`${id}::uuid`), sql`, `) : sql`null`})`;
  return sql`select c.id from contacts c where c.workspace_id = ${options.workspaceId}::uuid${only} and ${compileCondition(condition, options)}`;
}
