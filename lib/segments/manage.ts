import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeCursor, encodeCursor } from "@/db/queries/contacts";
import { queryRows } from "@/db/sql";
import { contacts, segmentMemberships, segments, type Json, type Segment } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { matchingContactsQuery } from "./compile";
import { loadRuleContext } from "./membership";
import type { RuleDependencies } from "./rule";
import { validateRule } from "./validate";
import { isUuid } from "@/lib/uuid";

/** Checks a rule in a workspace, or throws a 422 whose details point at the offending part. */
export async function checkRule(db: Db, workspaceId: string, rule: unknown, segmentId?: string) {
  const checked = validateRule(rule, await loadRuleContext(db, workspaceId, segmentId));
  if (!checked.ok) {
    const [first] = checked.problems;
    throw new AppError("validation_failed", `Invalid rule at ${first.path}: ${first.message}`, checked.problems);
  }
  return checked;
}

export async function createSegment(
  db: Db,
  workspaceId: string,
  input: { name: string; description?: string | null; kind?: "dynamic" | "static"; rule?: unknown; createdBy?: string | null },
): Promise<Segment> {
  const kind = input.kind ?? "dynamic";
  let dependencies: RuleDependencies | null = null;
  if (kind === "dynamic") dependencies = (await checkRule(db, workspaceId, input.rule)).dependencies;
  const [segment] = await db
    .insert(segments)
    .values({
      workspaceId,
      name: input.name,
      description: input.description ?? null,
      kind,
      rule: kind === "dynamic" ? (input.rule as Json) : null,
      dependencies,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return segment;
}

export async function getSegment(db: Db, workspaceId: string, segmentId: string): Promise<Segment | undefined> {
  if (!isUuid(segmentId)) return undefined;
  const [segment] = await db.select().from(segments).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
  return segment;
}

export async function listSegments(db: Db, workspaceId: string) {
  return db.select().from(segments).where(eq(segments.workspaceId, workspaceId)).orderBy(desc(segments.createdAt));
}

/** Renames or changes a segment's rule; a changed rule needs a recompute (the caller queues it). */
export async function updateSegment(
  db: Db,
  workspaceId: string,
  segmentId: string,
  patch: { name?: string; description?: string | null; rule?: unknown },
): Promise<Segment> {
  const segment = await getSegment(db, workspaceId, segmentId);
  if (!segment) throw new AppError("not_found", "No such segment in this workspace.");
  const set: Partial<typeof segments.$inferInsert> = { updatedAt: new Date() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.rule !== undefined) {
    if (segment.kind !== "dynamic") throw new AppError("bad_request", "A static list has no rule; add or remove members instead.");
    set.rule = patch.rule as Json;
    set.dependencies = (await checkRule(db, workspaceId, patch.rule, segmentId)).dependencies;
  }
  const [updated] = await db.update(segments).set(set).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId))).returning();
  return updated;
}

/** Deletes a segment unless another segment's rule reads it. */
export async function deleteSegment(db: Db, workspaceId: string, segmentId: string): Promise<void> {
  const users = await queryRows<{ name: string }>(
    db,
    sql`select name from segments where workspace_id = ${workspaceId}::uuid and dependencies -> 'segments' ? ${segmentId}::text`,
  );
  if (users.length > 0) {
    throw new AppError("conflict", `Segment is used by ${users.map((row) => `"${row.name}"`).join(", ")}; change those rules first.`);
  }
  await db.transaction(async (tx) => {
    await tx.delete(segmentMemberships).where(and(eq(segmentMemberships.workspaceId, workspaceId), eq(segmentMemberships.segmentId, segmentId)));
    await tx.execute(sql`delete from segment_sizes where workspace_id = ${workspaceId}::uuid and segment_id = ${segmentId}::uuid`);
    await tx.delete(segments).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
  });
}

/** How many contacts a rule selects now, and a few of them, without saving anything. */
export async function previewRule(db: Db, workspaceId: string, rule: unknown, sampleSize = 10) {
  const checked = await checkRule(db, workspaceId, rule);
  const matching = matchingContactsQuery(checked.condition, { workspaceId, now: new Date(), mode: "set" });
  const [{ count }] = await queryRows<{ count: number }>(db, sql`select count(*)::int as count from (${matching}) m`);
  const sample = await queryRows<{ id: string; external_id: string | null; email: string | null; first_name: string | null; last_name: string | null }>(
    db,
    sql`select c.id, c.external_id, c.email, c.first_name, c.last_name from contacts c
        where c.workspace_id = ${workspaceId}::uuid and c.id in (${matching}) order by c.created_at desc limit ${sampleSize}`,
  );
  return { count: Number(count), sample, dependencies: checked.dependencies };
}

/** Current members, keyset-paged by contact id. */
export async function listMembers(db: Db, workspaceId: string, segmentId: string, options: { limit?: number; cursor?: string | null } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const after = decodeCursor(options.cursor)?.[0];
  const rows = await db
    .select({ id: contacts.id, externalId: contacts.externalId, email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName, enteredAt: segmentMemberships.enteredAt })
    .from(segmentMemberships)
    .innerJoin(contacts, and(eq(contacts.workspaceId, segmentMemberships.workspaceId), eq(contacts.id, segmentMemberships.contactId)))
    .where(
      and(
        eq(segmentMemberships.workspaceId, workspaceId),
        eq(segmentMemberships.segmentId, segmentId),
        sql`${segmentMemberships.exitedAt} is null`,
        typeof after === "string" ? gt(segmentMemberships.contactId, after) : undefined,
      ),
    )
    .orderBy(segmentMemberships.contactId)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { members: page, nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.id]) : null };
}

/** The segments a contact is in now, and the ones it left. */
export async function contactSegments(db: Db, workspaceId: string, contactId: string) {
  return queryRows<{ segment_id: string; name: string; kind: string; entered_at: Date; exited_at: Date | null }>(
    db,
    sql`select m.segment_id, s.name, s.kind, m.entered_at, m.exited_at from segment_memberships m
        join segments s on s.workspace_id = m.workspace_id and s.id = m.segment_id
        where m.workspace_id = ${workspaceId}::uuid and m.contact_id = ${contactId}::uuid
        order by m.exited_at is not null, m.entered_at desc`,
  );
}

/** Recent enters and exits, and the size over time, for the segment page. */
export async function segmentActivity(db: Db, workspaceId: string, segmentId: string) {
  const [sizes, recent] = await Promise.all([
    queryRows<{ at: Date; members: number; entered: number; exited: number }>(
      db,
      sql`select at, members, entered, exited from segment_sizes
          where workspace_id = ${workspaceId}::uuid and segment_id = ${segmentId}::uuid order by at desc limit 500`,
    ),
    queryRows<{ contact_id: string; email: string | null; external_id: string | null; entered_at: Date; exited_at: Date | null }>(
      db,
      sql`select m.contact_id, c.email, c.external_id, m.entered_at, m.exited_at from segment_memberships m
          left join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id
          where m.workspace_id = ${workspaceId}::uuid and m.segment_id = ${segmentId}::uuid
          order by greatest(m.entered_at, coalesce(m.exited_at, m.entered_at)) desc limit 50`,
    ),
  ]);
  return { sizes: sizes.reverse(), recent };
}
