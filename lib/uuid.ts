const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A well-formed uuid: anything else is "not found" before it reaches a query (Postgres's cast would fail the query). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && pattern.test(value);
}
