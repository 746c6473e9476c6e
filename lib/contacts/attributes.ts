import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { AttributeType, Json } from "@/db/schema";

const isoDate = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The type a first-seen value suggests; a person can declare another in Settings. */
export function inferType(value: unknown): AttributeType {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string" && isoDate.test(value) && !Number.isNaN(Date.parse(value))) return "date";
  return "string";
}

// Records the keys seen in a batch: new keys get an inferred type, known keys a fresh
// last-seen time; a declared type is never changed by data.
export async function discoverAttributes(db: Db, workspaceId: string, seen: Map<string, unknown>): Promise<void> {
  if (seen.size === 0) return;
  const rows = [...seen].map(([key, value]) => ({ key, type: inferType(value), sample: (value ?? null) as Json }));
  await db.execute(sql`
    insert into attribute_definitions (workspace_id, key, type, sample)
    select ${workspaceId}::uuid, r.key, r.type::attribute_type, r.sample
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(key text, type text, sample jsonb)
    on conflict (workspace_id, key) do update set last_seen_at = now()`);
}
