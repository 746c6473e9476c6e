import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { ContactLookup } from "@/db/queries/contacts";
import { contactIdentities, contactMerges, contacts } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { parseContactRef } from "./manage";
import { isUuid } from "@/lib/uuid";

// Many contact references at once (an enrolment of up to 1,000 contacts), found the way
// findContactByRef finds one: the contact with that id, external id or email first, then a
// merged-away id's survivor or the holder of the identity. A handful of queries, whatever the
// number of references.


/** parseContactRef, also reading `external:<value>` as `external_id:<value>`. */
export function contactLookupOf(ref: string): ContactLookup {
  return parseContactRef(ref.startsWith("external:") ? `external_id:${ref.slice("external:".length)}` : ref);
}

/** The contact id each reference finds in the workspace; references that find nobody are left out. */
export async function findContactIdsByRefs(db: Db, workspaceId: string, refs: string[]): Promise<Map<string, string>> {
  const lookups = new Map(refs.map((ref) => [ref, contactLookupOf(ref)]));
  const ids = new Set<string>();
  const externalIds = new Set<string>();
  const emails = new Set<string>();
  for (const lookup of lookups.values()) {
    if ("id" in lookup) {
      if (isUuid(lookup.id)) ids.add(lookup.id.toLowerCase());
    } else if ("externalId" in lookup) {
      if (lookup.externalId) externalIds.add(lookup.externalId);
    } else if (lookup.email) emails.add(lookup.email);
  }

  const byId = new Map<string, string>();
  const byExternalId = new Map<string, string>();
  const byEmail = new Map<string, string>();
  if (ids.size > 0) {
    const rows = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, [...ids])));
    for (const row of rows) byId.set(row.id, row.id);
  }
  if (externalIds.size > 0) {
    const rows = await db
      .select({ id: contacts.id, externalId: contacts.externalId })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.externalId, [...externalIds])));
    for (const row of rows) byExternalId.set(row.externalId!, row.id);
  }
  if (emails.size > 0) {
    // Oldest first, so that when two contacts share an address the first one wins, as in findContact.
    const rows = await db
      .select({ id: contacts.id, email: sql<string>`lower(${contacts.email})` })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), sql`lower(${contacts.email}) in (${sql.join([...emails].map((email) => sql`${email}`), sql`, `)})`))
      .orderBy(asc(contacts.createdAt));
    for (const row of rows) if (!byEmail.has(row.email)) byEmail.set(row.email, row.id);
  }

  // What no contact holds directly: a merged-away id, or an identity that moved to another contact.
  const fallback = new Map<string, string>();
  const mergedIds = [...ids].filter((id) => !byId.has(id));
  if (mergedIds.length > 0) {
    const rows = await db
      .select({ from: contactMerges.fromContactId, into: contactMerges.intoContactId })
      .from(contactMerges)
      .where(and(eq(contactMerges.workspaceId, workspaceId), inArray(contactMerges.fromContactId, mergedIds)));
    for (const row of rows) fallback.set(`id:${row.from}`, row.into);
  }
  for (const [kind, values, found] of [
    ["user_id", externalIds, byExternalId],
    ["email", emails, byEmail],
  ] as const) {
    const missing = [...values].filter((value) => !found.has(value));
    if (missing.length === 0) continue;
    const rows = await db
      .select({ value: contactIdentities.value, contactId: contactIdentities.contactId })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.kind, kind), inArray(contactIdentities.value, missing)));
    for (const row of rows) fallback.set(`${kind}:${row.value}`, row.contactId);
  }
  const existing = new Set<string>();
  if (fallback.size > 0) {
    const rows = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, [...new Set(fallback.values())])));
    for (const row of rows) existing.add(row.id);
  }
  const viaFallback = (key: string) => {
    const contactId = fallback.get(key);
    return contactId && existing.has(contactId) ? contactId : undefined;
  };

  const found = new Map<string, string>();
  for (const [ref, lookup] of lookups) {
    let contactId: string | undefined;
    if ("id" in lookup) {
      const id = lookup.id.toLowerCase();
      contactId = byId.get(id) ?? viaFallback(`id:${id}`);
    } else if ("externalId" in lookup) {
      contactId = byExternalId.get(lookup.externalId) ?? viaFallback(`user_id:${lookup.externalId}`);
    } else {
      contactId = byEmail.get(lookup.email) ?? viaFallback(`email:${lookup.email}`);
    }
    if (contactId) found.set(ref, contactId);
  }
  return found;
}

/** The contact a body or query names (an id, `email:…`, `external_id:…`); one that finds nobody is a 422 at `path`. */
export async function requireContactIdByRef(db: Db, workspaceId: string, ref: string, path = "contact"): Promise<string> {
  const found = (await findContactIdsByRefs(db, workspaceId, [ref])).get(ref);
  if (!found) throw new AppError("validation_failed", `No contact ${ref} in this workspace.`, [{ path, message: "not_found" }]);
  return found;
}
