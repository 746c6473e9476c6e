import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { normalizeEmail } from "@/lib/contacts/identity";
import { isUuid } from "@/lib/uuid";

/** At most this many identifiers in one change (the UI sends a CSV in pieces of this size). */
export const listChangeLimit = 5000;

/** Splits pasted text or a CSV column into identifiers: one a line (or comma/semicolon separated), trimmed, de-duplicated. */
export function parseIdentifiers(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\r\n,;\t]+/)) {
    const value = part.trim().replace(/^"(.*)"$/, "$1").trim();
    if (value) seen.add(value);
  }
  return [...seen];
}

/**
 * The contacts of this workspace that identifiers name: an address with "@" is an email
 * (case-insensitive), anything else an external id (or a contact id). Returns the ids found and
 * the identifiers that named nobody, in the order given.
 */
export async function resolveContactIdentifiers(db: Db, workspaceId: string, identifiers: string[]): Promise<{ ids: string[]; missing: string[] }> {
  const emails = identifiers.filter((value) => value.includes("@")).map(normalizeEmail);
  const others = identifiers.filter((value) => !value.includes("@"));
  const uuids = others.filter((value) => isUuid(value));
  const rows = await queryRows<{ id: string; email: string | null; external_id: string | null }>(
    db,
    sql`select id, lower(email) as email, external_id from contacts
        where workspace_id = ${workspaceId}
          and (lower(email) = any(${sql.param(emails)}::text[]) or external_id = any(${sql.param(others)}::text[]) or id = any(${sql.param(uuids)}::uuid[]))`,
  );
  const byEmail = new Map<string, string>();
  const byOther = new Map<string, string>();
  for (const row of rows) {
    if (row.email && !byEmail.has(row.email)) byEmail.set(row.email, row.id);
    if (row.external_id) byOther.set(row.external_id, row.id);
    byOther.set(row.id, row.id);
  }
  const ids = new Set<string>();
  const missing: string[] = [];
  for (const value of identifiers) {
    const id = value.includes("@") ? byEmail.get(normalizeEmail(value)) : byOther.get(value) ?? byOther.get(value.toLowerCase());
    if (id) ids.add(id);
    else missing.push(value);
  }
  return { ids: [...ids], missing };
}
