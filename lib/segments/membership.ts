import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { attributeDefinitions, segments, type AttributeType, type Segment } from "@/db/schema";
import { onSegmentEntered } from "@/lib/journeys/enrol";
import { matchingContactsQuery } from "./compile";
import { validateRule, type RuleContext } from "./validate";
import { daysBefore } from "./values";

export async function loadRuleContext(db: Db, workspaceId: string, segmentId?: string): Promise<RuleContext> {
  const [catalogue, all] = await Promise.all([
    db
      .select({ key: attributeDefinitions.key, type: attributeDefinitions.type })
      .from(attributeDefinitions)
      .where(eq(attributeDefinitions.workspaceId, workspaceId)),
    db.select({ id: segments.id, rule: segments.rule }).from(segments).where(eq(segments.workspaceId, workspaceId)),
  ]);
  return {
    attributes: new Map(catalogue.map((row) => [row.key, row.type as AttributeType])),
    segments: new Map(all.map((row) => [row.id, row.rule])),
    segmentId,
  };
}

export interface MembershipChange {
  entered: string[];
  exited: string[];
}

// Applies "these contacts match now" to a segment's memberships in one statement: the gone
// exit, the new enter (each with a segment.entered / segment.exited event on their timeline).
// `scope` limits the diff to some contacts (real-time checks); without it, every contact.
async function applyDiff(
  db: Db,
  segment: Pick<Segment, "workspaceId" | "id" | "name">,
  matching: SQL,
  now: Date,
  scope?: string[],
): Promise<MembershipChange> {
  const ws = segment.workspaceId;
  const at = now.toISOString();
  const inScope =
    scope === undefined
      ? sql``
      : sql` and m.contact_id in (${scope.length > 0 ? sql.join(scope.map((id) => sql`${id}::uuid`), sql`, `) : sql`null`})`;
  const [row] = await queryRows<{ entered: string[] | null; exited: string[] | null }>(
    db,
    sql`with matching as (${matching}),
      exited as (
        update segment_memberships m set exited_at = ${at}::timestamptz
        where m.workspace_id = ${ws}::uuid and m.segment_id = ${segment.id}::uuid and m.exited_at is null${inScope}
          and not exists (select 1 from matching x where x.id = m.contact_id)
        returning m.contact_id),
      entered as (
        insert into segment_memberships (workspace_id, segment_id, contact_id, entered_at)
        select ${ws}::uuid, ${segment.id}::uuid, x.id, ${at}::timestamptz from matching x
        where not exists (select 1 from segment_memberships m
          where m.workspace_id = ${ws}::uuid and m.segment_id = ${segment.id}::uuid and m.contact_id = x.id and m.exited_at is null)
        on conflict do nothing
        returning contact_id),
      logged as (
        insert into events (workspace_id, message_id, type, name, contact_id, properties, timestamp, received_at, processed_at)
        select ${ws}::uuid, concat('segment:', ${segment.id}::text, ':', change.contact_id, ':', change.kind, ':', ${at}::text), 'track',
          'segment.' || change.kind, change.contact_id,
          jsonb_build_object('segment_id', ${segment.id}::text, 'segment_name', ${segment.name}::text),
          ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
        from (select contact_id, 'entered' as kind from entered union all select contact_id, 'exited' from exited) change
        on conflict do nothing)
      select (select array_agg(contact_id::text) from entered) as entered, (select array_agg(contact_id::text) from exited) as exited`,
  );
  const change = { entered: row?.entered ?? [], exited: row?.exited ?? [] };
  // Journeys triggered by this segment enrol the entrants; runs waiting for it move on.
  await onSegmentEntered(db, ws, segment.id, change.entered, now);
  return change;
}

async function recordSize(db: Db, segment: Pick<Segment, "workspaceId" | "id">, change: MembershipChange, now: Date, force: boolean) {
  const [{ members }] = await queryRows<{ members: number }>(
    db,
    sql`select count(*)::int as members from segment_memberships
        where workspace_id = ${segment.workspaceId}::uuid and segment_id = ${segment.id}::uuid and exited_at is null`,
  );
  if (force || change.entered.length > 0 || change.exited.length > 0) {
    await db.execute(sql`
      insert into segment_sizes (workspace_id, segment_id, at, members, entered, exited)
      values (${segment.workspaceId}::uuid, ${segment.id}::uuid, ${now.toISOString()}::timestamptz, ${members}, ${change.entered.length}, ${change.exited.length})
      on conflict (workspace_id, segment_id, at) do update set members = excluded.members,
        entered = segment_sizes.entered + excluded.entered, exited = segment_sizes.exited + excluded.exited`);
  }
  return members;
}

/** Serialises changes to one segment's memberships (full recomputes and real-time checks). */
async function lockSegment(db: Db, segmentId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`segment:${segmentId}`}))`);
}

// Full recompute of a dynamic segment: one set-based statement over all contacts.
export async function recomputeSegment(db: Db, workspaceId: string, segmentId: string, now = new Date()) {
  const result = await db.transaction(async (tx) => {
    await lockSegment(tx, segmentId);
    const [segment] = await tx.select().from(segments).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
    if (!segment) return undefined;
    if (segment.kind !== "dynamic") {
      const members = await recordSize(tx, segment, { entered: [], exited: [] }, now, false);
      return { counts: { entered: 0, exited: 0, members }, moved: [] };
    }
    const checked = validateRule(segment.rule, await loadRuleContext(tx, workspaceId, segmentId));
    if (!checked.ok) {
      const problem = checked.problems[0];
      await tx.update(segments).set({ error: `${problem.path}: ${problem.message}` }).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
      return { counts: { entered: 0, exited: 0, members: segment.memberCount, error: problem }, moved: [] };
    }
    const change = await applyDiff(tx, segment, matchingContactsQuery(checked.condition, { workspaceId, now, mode: "set" }), now);
    const members = await recordSize(tx, segment, change, now, segment.computedAt === null);
    await tx
      .update(segments)
      .set({ memberCount: members, computedAt: now, clockCheckedAt: now, dependencies: checked.dependencies, error: null })
      .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
    return { counts: { entered: change.entered.length, exited: change.exited.length, members }, moved: [...change.entered, ...change.exited] };
  });
  if (!result) return undefined;
  // Segments that read this one learn of who moved, as they do after a real-time check.
  if (result.moved.length > 0) await settleReaders(db, workspaceId, new Map([[segmentId, result.moved]]), now);
  return result.counts;
}

export interface ContactChanges {
  events: Set<string>;
  attributes: Set<string>;
  fields: Set<string>;
  tags: boolean;
  /**
   * Contacts new in this batch (absence-based rules may select them) or merged in it (they
   * took on another contact's data): every segment checks them.
   */
  created: Set<string>;
}

function affects(dependencies: Segment["dependencies"], changes: ContactChanges): boolean {
  if (!dependencies) return true;
  return (
    dependencies.events.some((name) => changes.events.has(name)) ||
    dependencies.attributes.some((key) => changes.attributes.has(key)) ||
    dependencies.fields.some((name) => changes.fields.has(name)) ||
    (dependencies.tags && changes.tags)
  );
}

interface Check {
  segment: Segment;
  scope: string[];
}

/** Contacts checked in one statement at most: each is a bound parameter. */
const checkChunk = 5_000;

// Checks each segment of the first round for its contacts, then the segments that read the
// segments whose members moved (in_segment) for the contacts that moved, until nothing moves.
// Rules have no cycles, so this ends.
async function settle(db: Db, workspaceId: string, all: Segment[], context: RuleContext, first: Check[], now: Date) {
  const totals = { entered: 0, exited: 0 };
  let round = first;
  for (let depth = 0; depth <= all.length && round.length > 0; depth++) {
    const moved = new Map<string, string[]>();
    for (const { segment, scope } of round) {
      if (scope.length === 0) continue;
      const valid = validateRule(segment.rule, { ...context, segmentId: segment.id });
      if (!valid.ok) continue;
      for (let start = 0; start < scope.length; start += checkChunk) {
        const contactIds = scope.slice(start, start + checkChunk);
        const change = await db.transaction(async (tx) => {
          await lockSegment(tx, segment.id);
          const query = matchingContactsQuery(valid.condition, { workspaceId, now, mode: "contacts", contactIds });
          const result = await applyDiff(tx, segment, query, now, contactIds);
          if (result.entered.length > 0 || result.exited.length > 0) {
            const members = await recordSize(tx, segment, result, now, false);
            await tx.update(segments).set({ memberCount: members }).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segment.id)));
          }
          return result;
        });
        totals.entered += change.entered.length;
        totals.exited += change.exited.length;
        if (change.entered.length > 0 || change.exited.length > 0) moved.set(segment.id, [...(moved.get(segment.id) ?? []), ...change.entered, ...change.exited]);
      }
    }
    round = readersOf(all, moved);
  }
  return totals;
}

function readersOf(all: Segment[], moved: Map<string, string[]>): Check[] {
  return all
    .filter((segment) => segment.dependencies?.segments.some((id) => moved.has(id)))
    .map((segment) => ({ segment, scope: [...new Set(segment.dependencies!.segments.flatMap((id) => moved.get(id) ?? []))] }));
}

async function dynamicSegments(db: Db, workspaceId: string) {
  return db.select().from(segments).where(and(eq(segments.workspaceId, workspaceId), eq(segments.kind, "dynamic")));
}

/** After some segments' members moved: the segments reading them, for those contacts, and on. */
async function settleReaders(db: Db, workspaceId: string, moved: Map<string, string[]>, now: Date) {
  const all = await dynamicSegments(db, workspaceId);
  const first = readersOf(all, moved);
  if (first.length === 0) return { entered: 0, exited: 0 };
  return settle(db, workspaceId, all, await loadRuleContext(db, workspaceId), first, now);
}

// Real-time: re-checks some contacts against the dynamic segments their changes can affect
// (new contacts against all), then against the segments reading those that moved.
export async function refreshContacts(db: Db, workspaceId: string, contactIds: string[], changes: ContactChanges, now = new Date()) {
  if (contactIds.length === 0) return { entered: 0, exited: 0 };
  const all = await dynamicSegments(db, workspaceId);
  if (all.length === 0) return { entered: 0, exited: 0 };
  const context = await loadRuleContext(db, workspaceId);
  const created = contactIds.filter((id) => changes.created.has(id));
  const first = all.map((segment) => ({ segment, scope: affects(segment.dependencies, changes) ? contactIds : created }));
  return settle(db, workspaceId, all, context, first, now);
}

/**
 * The clock, followed exactly: a window ("in the last 30 days", "a member in the last 7 days")
 * changes a contact's answer only when one of their events or stays crosses its edge. Finds
 * the contacts whose qualifying events or stays crossed an edge of this segment's windows
 * since it was last followed (or computed), and checks them, and the segments reading this one
 * for those who moved. Undefined when the rule reads the clock otherwise (`days_ago`), or the
 * segment has not been computed yet: a full recompute is the way then.
 */
export async function followClock(db: Db, workspaceId: string, segmentId: string, to = new Date()) {
  const [segment] = await db.select().from(segments).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
  if (!segment || segment.kind !== "dynamic") return undefined;
  const from = segment.clockCheckedAt ?? segment.computedAt;
  if (!from) return undefined;
  const context = await loadRuleContext(db, workspaceId);
  const valid = validateRule(segment.rule, { ...context, segmentId });
  if (!valid.ok || valid.dependencies.clock.daysAgo) return undefined;
  if (to <= from) return { checked: 0, entered: 0, exited: 0 };
  const { events: eventWindows, segments: segmentWindows } = valid.dependencies.clock;
  // A window of N days starts at daysBefore(now, N) (as the compiler writes it): what was inside
  // at `from` and is outside at `to` lies between the two starts.
  const crossed = (column: SQL, days: number) =>
    sql`${column} >= ${daysBefore(from, days).toISOString()}::timestamptz and ${column} < ${daysBefore(to, days).toISOString()}::timestamptz`;
  const crossings = [
    ...eventWindows.map(
      ({ event, days }) => sql`select contact_id from events where workspace_id = ${workspaceId}::uuid and name = ${event}::text
        and contact_id is not null and ${crossed(sql`timestamp`, days)}`,
    ),
    ...segmentWindows.map(
      ({ segment: readSegment, days }) => sql`select contact_id from segment_memberships where workspace_id = ${workspaceId}::uuid
        and segment_id = ${readSegment}::uuid and ${crossed(sql`exited_at`, days)}`,
    ),
  ];
  const candidates =
    crossings.length === 0
      ? []
      : (await queryRows<{ contact_id: string }>(db, sql`select distinct contact_id::text from (${sql.join(crossings, sql` union all `)}) crossed`)).map((row) => row.contact_id);
  const totals = candidates.length === 0 ? { entered: 0, exited: 0 } : await settle(db, workspaceId, await dynamicSegments(db, workspaceId), context, [{ segment, scope: candidates }], to);
  await db
    .update(segments)
    .set({ clockCheckedAt: to })
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId), sql`(${segments.clockCheckedAt} is null or ${segments.clockCheckedAt} < ${to.toISOString()}::timestamptz)`));
  return { checked: candidates.length, ...totals };
}

/** Static lists: members added and removed by hand, CSV or API. */
export async function changeListMembers(
  db: Db,
  workspaceId: string,
  segmentId: string,
  change: { add?: string[]; remove?: string[] },
  now = new Date(),
) {
  return db.transaction(async (tx) => {
    await lockSegment(tx, segmentId);
    const [segment] = await tx.select().from(segments).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
    if (!segment || segment.kind !== "static") return undefined;
    const add = change.add ?? [];
    const remove = change.remove ?? [];
    const scope = [...new Set([...add, ...remove])];
    // Members after the change: current members in scope that stay, plus the added contacts of this workspace.
    const list = (ids: string[]) => (ids.length > 0 ? sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `) : sql`null`);
    const matching = sql`select c.id from contacts c where c.workspace_id = ${workspaceId}::uuid and c.id in (${list(scope)})
${remove.length > 0 ? sql` and c.id not in (${list(remove)})` : sql``}
      and (c.id in (${list(add)}) or exists (select 1 from segment_memberships m where m.workspace_id = c.workspace_id
        and m.segment_id = ${segmentId}::uuid and m.contact_id = c.id and m.exited_at is null))`;
    const result = await applyDiff(tx, segment, matching, now, scope);
    const members = await recordSize(tx, segment, result, now, false);
    await tx.update(segments).set({ memberCount: members, computedAt: now }).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)));
    return { ...result, members };
  });
}
