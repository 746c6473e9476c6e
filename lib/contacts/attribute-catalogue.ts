import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { attributeDefinitions, type AttributeDefinition, type AttributeType, type Json } from "@/db/schema";
import { inferType } from "@/lib/contacts/attributes";
import { AppError } from "@/lib/errors";

/** The workspace's attribute catalogue, by key. */
export async function listAttributes(db: Db, workspaceId: string): Promise<AttributeDefinition[]> {
  return db
    .select()
    .from(attributeDefinitions)
    .where(eq(attributeDefinitions.workspaceId, workspaceId))
    .orderBy(asc(attributeDefinitions.key));
}

export async function findAttribute(db: Db, workspaceId: string, key: string): Promise<AttributeDefinition | undefined> {
  const [row] = await db
    .select()
    .from(attributeDefinitions)
    .where(and(eq(attributeDefinitions.workspaceId, workspaceId), eq(attributeDefinitions.key, key)));
  return row;
}

function describeValue(value: Json): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** Whether a value written through the API has the declared type (strict: "42" is not a number). */
export function fitsType(value: Json, type: AttributeType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return typeof value === "string" && inferType(value) === "date";
    case "list":
      return Array.isArray(value);
  }
}

// Refuses attribute values that contradict a declared type, naming each one; undeclared keys
// pass (discovery records them). The definitions are read FOR SHARE so that a concurrent
// declaration waits for this write and then counts it.
export async function checkAttributeTypes(db: Db, workspaceId: string, values: Record<string, Json>): Promise<void> {
  const keys = Object.entries(values)
    .filter(([, value]) => value !== null)
    .map(([key]) => key);
  if (keys.length === 0) return;
  const definitions = await db
    .select({ key: attributeDefinitions.key, type: attributeDefinitions.type, declared: attributeDefinitions.declared })
    .from(attributeDefinitions)
    .where(and(eq(attributeDefinitions.workspaceId, workspaceId), inArray(attributeDefinitions.key, keys)))
    .for("share");
  const details = definitions
    .filter((definition) => definition.declared && !fitsType(values[definition.key], definition.type))
    .map((definition) => ({
      path: `attributes.${definition.key}`,
      message: `${definition.key} is declared as ${definition.type}; got ${describeValue(values[definition.key])}.`,
      expected: definition.type,
    }));
  if (details.length > 0) {
    throw new AppError("validation_failed", `Invalid ${details[0].path}: ${details[0].message}`, details);
  }
}

const isoDatePattern = String.raw`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$`;
const numberPattern = String.raw`^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$`;

// True when a stored JSON value can be read as `type` the way segment rules cast it: strings
// of digits count as numbers, "true"/"false" as booleans, any scalar as a string.
function castableSql(value: SQL, type: AttributeType): SQL {
  switch (type) {
    case "string":
      return sql`jsonb_typeof(${value}) in ('string', 'number', 'boolean')`;
    case "number":
      return sql`(jsonb_typeof(${value}) = 'number' or (jsonb_typeof(${value}) = 'string' and (${value} #>> '{}') ~ ${numberPattern}))`;
    case "boolean":
      return sql`(jsonb_typeof(${value}) = 'boolean' or (jsonb_typeof(${value}) = 'string' and lower(trim(${value} #>> '{}')) in ('true', 'false')))`;
    case "date":
      return sql`(jsonb_typeof(${value}) = 'string' and (${value} #>> '{}') ~ ${isoDatePattern})`;
    case "list":
      return sql`jsonb_typeof(${value}) = 'array'`;
  }
}

/** How many contacts hold a value of `key` that cannot be read as `type`, with a few examples. */
export async function countUncastable(db: Db, workspaceId: string, key: string, type: AttributeType) {
  const value = sql`c.attributes -> ${key}`;
  const where = sql`c.workspace_id = ${workspaceId} and jsonb_typeof(${value}) <> 'null' and not ${castableSql(value, type)}`;
  const [{ count }] = await queryRows<{ count: number }>(db, sql`select count(*)::int as count from contacts c where ${where}`);
  if (count === 0) return { count, examples: [] as Json[] };
  const examples = await queryRows<{ value: Json }>(db, sql`select ${value} as value from contacts c where ${where} limit 3`);
  return { count, examples: examples.map((row) => row.value) };
}

/** A declaration refused because stored values cannot be read as the type (a 422). */
export class UncastableValuesError extends AppError {
  constructor(
    readonly key: string,
    readonly type: AttributeType,
    readonly count: number,
    readonly examples: Json[],
  ) {
    const contactsText = count === 1 ? "1 contact has" : `${count} contacts have`;
    super(
      "validation_failed",
      `${contactsText} a value of ${key} that is not a ${type} (for example ${examples.map((example) => JSON.stringify(example)).join(", ")}); correct or remove those values first.`,
      [{ path: "type", message: `${count} existing values cannot be read as ${type}.`, count, examples }],
    );
  }
}

export interface AttributeDeclarationInput {
  workspaceId: string;
  key: string;
  type?: AttributeType;
  /** undefined keeps the label, null clears it. */
  label?: string | null;
}

// Declares a key's type (and/or its label). A type is refused while any contact holds a value
// that cannot be read as it, saying how many; declaring a key not seen yet creates it.
export async function declareAttribute(db: Db, input: AttributeDeclarationInput): Promise<AttributeDefinition> {
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(attributeDefinitions)
      .where(and(eq(attributeDefinitions.workspaceId, input.workspaceId), eq(attributeDefinitions.key, input.key)))
      .for("update");
    if (!existing && !input.type) {
      throw new AppError("not_found", `No attribute "${input.key}" has been seen yet; send a type to declare it.`);
    }
    if (input.type) {
      const { count, examples } = await countUncastable(tx, input.workspaceId, input.key, input.type);
      if (count > 0) throw new UncastableValuesError(input.key, input.type, count, examples);
    }
    const label = input.label;
    if (!existing) {
      const [created] = await tx
        .insert(attributeDefinitions)
        .values({ workspaceId: input.workspaceId, key: input.key, type: input.type!, declared: true, label: label ?? null })
        .onConflictDoUpdate({
          target: [attributeDefinitions.workspaceId, attributeDefinitions.key],
          set: { type: input.type!, declared: true, ...(label === undefined ? {} : { label }) },
        })
        .returning();
      return created;
    }
    const [updated] = await tx
      .update(attributeDefinitions)
      .set({ ...(input.type ? { type: input.type, declared: true } : {}), ...(label === undefined ? {} : { label }) })
      .where(and(eq(attributeDefinitions.workspaceId, input.workspaceId), eq(attributeDefinitions.key, input.key)))
      .returning();
    return updated;
  });
}

/** An attribute as the REST API shows it. */
export function attributeJson(definition: AttributeDefinition) {
  return {
    key: definition.key,
    type: definition.type,
    declared: definition.declared,
    label: definition.label,
    sample: definition.sample ?? null,
    first_seen_at: definition.firstSeenAt.toISOString(),
    last_seen_at: definition.lastSeenAt.toISOString(),
  };
}
