import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { attributeDefinitions, contactMerges, contacts, type AttributeType } from "../schema";
import { contactListFilters, encodeCursor, type ContactListParams } from "./contacts";

/**
 * The cursor that makes listContacts return the page before the one starting at `first`:
 * null for the first page. Walks the same index backwards, so it costs what a page costs.
 */
export async function previousPageCursor(
  db: Db,
  params: Pick<ContactListParams, "workspaceId" | "search" | "tag" | "limit"> & { first: { createdAt: Date; id: string } },
): Promise<string | null> {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const { createdAt, id } = params.first;
  const newer = sql`(${contacts.createdAt}, ${contacts.id}) > (${createdAt.toISOString()}::timestamptz, ${id}::uuid)`;
  // The row just newer than the previous page: listContacts continues right after it.
  const [boundary] = await db
    .select({ createdAt: contacts.createdAt, id: contacts.id })
    .from(contacts)
    .where(and(...contactListFilters(params), newer))
    // contacts_recent_idx read backwards (its DESC NULLS LAST reversed), so nothing is sorted.
    .orderBy(sql`${contacts.createdAt} asc nulls first`, sql`${contacts.id} asc nulls first`)
    .offset(limit)
    .limit(1);
  return boundary ? encodeCursor([boundary.createdAt.toISOString(), boundary.id]) : null;
}

/** Whether the workspace has any contact at all (to tell "none yet" from "none match"). */
export async function workspaceHasContacts(db: Db, workspaceId: string): Promise<boolean> {
  const rows = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.workspaceId, workspaceId)).limit(1);
  return rows.length > 0;
}

/** The declared or discovered type of each attribute key, for the edit form. */
export async function attributeTypesOf(db: Db, workspaceId: string): Promise<Record<string, AttributeType>> {
  const rows = await db
    .select({ key: attributeDefinitions.key, type: attributeDefinitions.type })
    .from(attributeDefinitions)
    .where(eq(attributeDefinitions.workspaceId, workspaceId));
  return Object.fromEntries(rows.map((row) => [row.key, row.type]));
}

/** Where a merged-away contact went, so an old link still finds the person. */
export async function mergedInto(db: Db, workspaceId: string, contactId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ into: contactMerges.intoContactId })
    .from(contactMerges)
    .where(and(eq(contactMerges.workspaceId, workspaceId), eq(contactMerges.fromContactId, contactId)));
  return row?.into;
}
