import { and, eq, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { companies, contactIdentities, contacts, events, type Contact } from "../schema";
import { isUuid } from "../../lib/uuid";

/** An opaque keyset cursor: the sort key of the last row of a page. */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): Array<string | number> | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return Array.isArray(parts) ? parts : undefined;
  } catch {
    return undefined;
  }
}

export interface ContactListParams {
  workspaceId: string;
  /** Prefix of email or name, or an exact external id. */
  search?: string;
  tag?: string;
  limit?: number;
  cursor?: string | null;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The workspace, search and tag conditions of the contacts list (shared with its paging helpers). */
export function contactListFilters(params: Pick<ContactListParams, "workspaceId" | "search" | "tag">): SQL[] {
  const conditions: SQL[] = [eq(contacts.workspaceId, params.workspaceId)];
  const search = params.search?.trim().toLowerCase();
  if (search) {
    const prefix = `${escapeLike(search)}%`;
    conditions.push(
      or(
        sql`lower(${contacts.email}) like ${prefix}`,
        sql`lower(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, '')) like ${prefix}`,
        eq(contacts.externalId, params.search!.trim()),
      )!,
    );
  }
  if (params.tag) conditions.push(sql`${contacts.tags} @> array[${params.tag}]::text[]`);
  return conditions;
}

// Newest first, keyset-paged on (created_at, id) so page 5,000 costs what page 1 costs.
export async function listContacts(db: Db, params: ContactListParams) {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const conditions = contactListFilters(params);
  const after = decodeCursor(params.cursor);
  if (after && typeof after[0] === "string" && typeof after[1] === "string") {
    const [createdAt, id] = after;
    // A row comparison is one range of contacts_recent_idx.
    conditions.push(sql`(${contacts.createdAt}, ${contacts.id}) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  // In the index's own order (DESC NULLS LAST; a bare DESC means NULLS FIRST and would sort).
  const rows = await db
    .select()
    .from(contacts)
    .where(and(...conditions))
    .orderBy(sql`${contacts.createdAt} desc nulls last`, sql`${contacts.id} desc nulls last`)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    contacts: page,
    nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

export type ContactLookup = { id: string } | { externalId: string } | { email: string };

export async function findContact(db: Db, workspaceId: string, lookup: ContactLookup): Promise<Contact | undefined> {
  const where =
    "id" in lookup
      ? isUuid(lookup.id)
        ? eq(contacts.id, lookup.id)
        : sql`false`
      : "externalId" in lookup
        ? eq(contacts.externalId, lookup.externalId)
        : sql`lower(${contacts.email}) = lower(${lookup.email})`;
  const [contact] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), where))
    .orderBy(contacts.createdAt)
    .limit(1);
  return contact;
}

export async function contactIdentitiesOf(db: Db, workspaceId: string, contactId: string) {
  return db
    .select({ kind: contactIdentities.kind, value: contactIdentities.value, createdAt: contactIdentities.createdAt })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.contactId, contactId)))
    .orderBy(contactIdentities.createdAt);
}

export async function companyOf(db: Db, workspaceId: string, companyId: string | null) {
  if (!companyId) return undefined;
  const [company] = await db
    .select()
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), eq(companies.id, companyId)));
  return company;
}

/** A contact's events, newest first, keyset-paged on (timestamp, id). */
export async function listContactEvents(
  db: Db,
  params: { workspaceId: string; contactId: string; limit?: number; cursor?: string | null },
) {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const conditions: SQL[] = [eq(events.workspaceId, params.workspaceId), eq(events.contactId, params.contactId)];
  const after = decodeCursor(params.cursor);
  if (after && typeof after[0] === "string" && typeof after[1] === "number") {
    const [timestamp, id] = after;
    conditions.push(
      or(lt(events.timestamp, new Date(timestamp)), and(eq(events.timestamp, new Date(timestamp)), lt(events.id, id)))!,
    );
  }
  const rows = await db
    .select({
      id: events.id,
      type: events.type,
      name: events.name,
      properties: events.properties,
      traits: events.traits,
      context: events.context,
      timestamp: events.timestamp,
      messageId: events.messageId,
    })
    .from(events)
    .where(and(...conditions))
    .orderBy(sql`${events.timestamp} desc nulls last`, sql`${events.id} desc nulls last`)
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((row) => ({ ...row, id: Number(row.id) }));
  const last = page.at(-1);
  return {
    events: page,
    nextCursor: rows.length > limit && last ? encodeCursor([last.timestamp.toISOString(), last.id]) : null,
  };
}

/** Adds and removes tags on many contacts of one workspace in one statement. */
export async function bulkTag(
  db: Db,
  params: { workspaceId: string; contactIds: string[]; add?: string[]; remove?: string[] },
): Promise<number> {
  if (params.contactIds.length === 0) return 0;
  const add = params.add ?? [];
  const remove = params.remove ?? [];
  const updated = await db
    .update(contacts)
    .set({
      tags: sql`array(select distinct t from unnest(${contacts.tags} || ${sql.param(add)}::text[]) as t where t <> all(${sql.param(remove)}::text[]) order by 1)`,
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.workspaceId, params.workspaceId), inArray(contacts.id, params.contactIds)))
    .returning({ id: contacts.id });
  return updated.length;
}

/** Erases a contact and everything recorded about it (events, identities, merge pointers). */
export async function eraseContact(db: Db, workspaceId: string, contactId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.delete(events).where(and(eq(events.workspaceId, workspaceId), eq(events.contactId, contactId)));
    // Journey runs and their paths go with the person; tasks about them stay for the team, unlinked.
    await tx.execute(sql`delete from journey_steps s using journey_runs r
      where s.workspace_id = ${workspaceId} and r.workspace_id = s.workspace_id and r.id = s.run_id and r.contact_id = ${contactId}`);
    await tx.execute(sql`delete from journey_runs where workspace_id = ${workspaceId} and contact_id = ${contactId}`);
    await tx.execute(sql`update tasks set contact_id = null where workspace_id = ${workspaceId} and contact_id = ${contactId}`);
    await tx
      .delete(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.contactId, contactId)));
    await tx.execute(
      sql`delete from contact_merges where workspace_id = ${workspaceId} and (into_contact_id = ${contactId} or from_contact_id = ${contactId})`,
    );
    const removed = await tx
      .delete(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
      .returning({ id: contacts.id });
    return removed.length > 0;
  });
}

/** The contact row, locked until the transaction ends (for read-modify-write updates). */
export async function lockContact(db: Db, workspaceId: string, contactId: string): Promise<Contact | undefined> {
  const [contact] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
    .for("update");
  return contact;
}

// Another contact that already answers to this external id or email: by its column or by an
// identity (an identity outlives a column change only through merges, so both are checked).
export async function findIdentifierHolder(
  db: Db,
  params: { workspaceId: string; kind: "user_id" | "email"; value: string; exceptContactId?: string },
): Promise<string | undefined> {
  const column =
    params.kind === "user_id"
      ? eq(contacts.externalId, params.value)
      : sql`lower(${contacts.email}) = ${params.value.toLowerCase()}`;
  const except = params.exceptContactId ?? "00000000-0000-0000-0000-000000000000";
  const [byColumn] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), column, ne(contacts.id, except)))
    .limit(1);
  if (byColumn) return byColumn.id;
  const [byIdentity] = await db
    .select({ id: contactIdentities.contactId })
    .from(contactIdentities)
    .where(
      and(
        eq(contactIdentities.workspaceId, params.workspaceId),
        eq(contactIdentities.kind, params.kind),
        eq(contactIdentities.value, params.kind === "email" ? params.value.toLowerCase() : params.value),
        ne(contactIdentities.contactId, except),
      ),
    )
    .limit(1);
  return byIdentity?.id;
}

/** Removes one identifier from a contact (when its external id or email changes or is cleared). */
export async function detachIdentity(
  db: Db,
  params: { workspaceId: string; contactId: string; kind: "user_id" | "email"; value: string },
): Promise<void> {
  await db
    .delete(contactIdentities)
    .where(
      and(
        eq(contactIdentities.workspaceId, params.workspaceId),
        eq(contactIdentities.contactId, params.contactId),
        eq(contactIdentities.kind, params.kind),
        eq(contactIdentities.value, params.value),
      ),
    );
}

/** Every event of a contact, oldest first (for a data export; a timeline pages with listContactEvents). */
export async function allContactEvents(db: Db, workspaceId: string, contactId: string) {
  const rows = await db
    .select({
      id: events.id,
      type: events.type,
      name: events.name,
      properties: events.properties,
      traits: events.traits,
      context: events.context,
      timestamp: events.timestamp,
      receivedAt: events.receivedAt,
      messageId: events.messageId,
    })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.contactId, contactId)))
    .orderBy(events.timestamp, events.id);
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
