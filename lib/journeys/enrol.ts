import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { journeys, journeyVersions, type AttributeType, type Journey, type JsonObject } from "@/db/schema";
import { eventMatches } from "@/lib/segments/event-match";
import { loadRuleContext } from "@/lib/segments/membership";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/jobs/boss";
import { triggerOf, type JourneyGraph, type TriggerData } from "./graph";

// How contacts enter journeys. Every entry is one set-based INSERT of runs: an entry key per
// (journey, cause) makes a repeated cause (a retried event.process, a re-sent API call) enter
// once, the partial unique index on (journey, contact) among unfinished runs keeps a contact
// in a journey once unless the journey allows re-entry at any time, and "never" re-entry is a
// NOT EXISTS over the journey's runs.

// Published versions never change: a process keeps each graph it has read.
const versionCache = new Map<string, JourneyGraph>();

export async function versionGraph(db: Db, workspaceId: string, journeyId: string, version: number): Promise<JourneyGraph | undefined> {
  const key = `${journeyId}:${version}`;
  const cached = versionCache.get(key);
  if (cached) return cached;
  const [row] = await db
    .select({ graph: journeyVersions.graph })
    .from(journeyVersions)
    .where(and(eq(journeyVersions.workspaceId, workspaceId), eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)));
  if (!row) return undefined;
  if (versionCache.size > 5000) versionCache.clear();
  versionCache.set(key, row.graph);
  return row.graph;
}

export interface Entry {
  contactId: string;
  /** Unique per journey: the same key never enters twice (e.g. "event:<id>", "api:<idempotency key>"). */
  key?: string;
  /** Why the contact entered, and the trigger event's properties for personalisation. */
  entry: JsonObject;
}

export interface EnrolResult {
  /** Run ids of the contacts that entered, by contact. */
  runs: Array<{ runId: string; contactId: string }>;
}

/** Enters contacts into an active journey's current version, all in one statement. */
export async function enrol(db: Db, journey: Journey, entries: Entry[], now: Date): Promise<EnrolResult> {
  if (entries.length === 0 || journey.status !== "active" || journey.version === null) return { runs: [] };
  const graph = await versionGraph(db, journey.workspaceId, journey.id, journey.version);
  const trigger = graph && triggerOf(graph);
  if (!graph || !trigger) return { runs: [] };
  const ws = journey.workspaceId;
  const policy = trigger.data.reentry;
  const rows = entries.map((item) => ({ contact_id: item.contactId, entry: { ...item.entry, ...(item.key ? { key: item.key } : {}) } }));
  const never =
    policy === "never" ? sql`and not exists (select 1 from journey_runs r where r.workspace_id = ${ws} and r.journey_id = ${journey.id} and r.contact_id = x.contact_id)` : sql``;
  const filter = trigger.data.entrySegmentId
    ? sql`and exists (select 1 from segment_memberships m where m.workspace_id = ${ws} and m.segment_id = ${trigger.data.entrySegmentId}::uuid
                      and m.contact_id = x.contact_id and m.exited_at is null)`
    : sql``;
  const at = now.toISOString();
  const inserted = await queryRows<{ id: string; contact_id: string }>(
    db,
    sql`insert into journey_runs (workspace_id, journey_id, version, contact_id, node_id, node_entered_at, status, due_at, exclusive, entry, entered_at)
        select ${ws}, ${journey.id}, ${journey.version}, x.contact_id, ${trigger.node.id}, ${at}::timestamptz, 'active', ${at}::timestamptz, ${policy !== "always"}, x.entry, ${at}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(contact_id uuid, entry jsonb)
        where exists (select 1 from contacts c where c.workspace_id = ${ws} and c.id = x.contact_id) ${never} ${filter}
        on conflict do nothing
        returning id, contact_id`,
  );
  return { runs: inserted.map((row) => ({ runId: row.id, contactId: row.contact_id })) };
}

/** Active journeys of a workspace whose published trigger is of these kinds. */
export async function activeJourneys(db: Db, workspaceId: string, kinds: TriggerData["kind"][]): Promise<Journey[]> {
  return db
    .select()
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.status, "active"), inArray(journeys.triggerKind, kinds)));
}

export interface ProcessedEvent {
  id: number;
  contactId: string;
  name: string;
  properties: JsonObject;
}

// Called by event.process in the transaction that marks the events processed: the events
// that trigger journeys enrol their contacts (once per event and journey), and runs waiting
// for one of these events move on. Returns the runs that became due now.
export async function onEvents(db: Db, workspaceId: string, events: ProcessedEvent[], now: Date): Promise<number> {
  const named = events.filter((event) => event.name);
  if (named.length === 0) return 0;
  let due = 0;
  let catalogue: Map<string, AttributeType> | undefined;
  const attributes = async () => (catalogue ??= (await loadRuleContext(db, workspaceId)).attributes);
  const names = [...new Set(named.map((event) => event.name))];
  const candidates = (await activeJourneys(db, workspaceId, ["event", "form"])).filter((journey) => journey.triggerEvent && names.includes(journey.triggerEvent));
  for (const journey of candidates) {
    const graph = await versionGraph(db, workspaceId, journey.id, journey.version!);
    const trigger = graph && triggerOf(graph);
    if (!trigger) continue;
    const entries: Entry[] = [];
    for (const event of named) {
      if (event.name !== journey.triggerEvent) continue;
      if (trigger.data.kind === "form" && String(event.properties.form_id ?? "") !== trigger.data.formId) continue;
      if (trigger.data.kind === "event" && trigger.data.where != null && !eventMatches(event, trigger.data.where, await attributes(), now)) continue;
      entries.push({ contactId: event.contactId, key: `event:${event.id}`, entry: { source: trigger.data.kind, event_id: event.id, event: { name: event.name, properties: event.properties } } });
    }
    due += (await enrol(db, journey, entries, now)).runs.length;
  }
  due += await wakeEventWaiters(db, workspaceId, named, attributes, now);
  return due;
}

async function wakeEventWaiters(db: Db, workspaceId: string, events: ProcessedEvent[], attributes: () => Promise<Map<string, AttributeType>>, now: Date): Promise<number> {
  const contactIds = [...new Set(events.map((event) => event.contactId))];
  if (contactIds.length === 0) return 0;
  const waiting = await queryRows<{ id: string; journey_id: string; version: number; node_id: string; contact_id: string; wait_event: string }>(
    db,
    sql`select id, journey_id, version, node_id, contact_id, wait_event
        from journey_runs
        where workspace_id = ${workspaceId} and status = 'waiting' and wait_event is not null and resume_handle is null
          and contact_id in (${sql.join(contactIds.map((id) => sql`${id}::uuid`), sql`, `)})
        order by id
        for update`,
  );
  const woken: string[] = [];
  for (const run of waiting) {
    const graph = await versionGraph(db, workspaceId, run.journey_id, run.version);
    const node = graph?.nodes.find((candidate) => candidate.id === run.node_id);
    const where = node?.type === "wait" ? (node.data as { where?: unknown }).where : undefined;
    for (const event of events) {
      if (event.contactId !== run.contact_id || event.name !== run.wait_event) continue;
      if (where == null || eventMatches(event, where, await attributes(), now)) {
        woken.push(run.id);
        break;
      }
    }
  }
  if (woken.length === 0) return 0;
  await db.execute(sql`update journey_runs set resume_handle = 'matched', due_at = ${now.toISOString()}::timestamptz
    where workspace_id = ${workspaceId} and id in (${sql.join(woken.map((id) => sql`${id}::uuid`), sql`, `)})`);
  return woken.length;
}

// Called where segment membership changes (real-time checks, recomputes, list edits), in the
// same transaction: the entrants enter the journeys this segment triggers, and runs waiting for
// it move on. One statement each, whatever the number of entrants.
export async function onSegmentEntered(db: Db, workspaceId: string, segmentId: string, contactIds: string[], now: Date): Promise<number> {
  if (contactIds.length === 0) return 0;
  let due = 0;
  const triggered = await db
    .select()
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.status, "active"), eq(journeys.triggerKind, "segment"), eq(journeys.triggerSegmentId, segmentId)));
  const stamp = now.toISOString();
  for (const journey of triggered) {
    const entries = contactIds.map((contactId) => ({ contactId, key: `segment:${contactId}:${stamp}`, entry: { source: "segment", segment_id: segmentId } }));
    due += (await enrol(db, journey, entries, now)).runs.length;
  }
  const woken = await queryRows<{ id: string }>(
    db,
    sql`update journey_runs set resume_handle = 'matched', due_at = ${stamp}::timestamptz
        where workspace_id = ${workspaceId} and status = 'waiting' and wait_segment_id = ${segmentId}::uuid and resume_handle is null
          and contact_id in (select x from unnest(${`{${contactIds.join(",")}}`}::uuid[]) as x)
        returning id`,
  );
  return due + woken.length;
}

// Waiting runs of these contacts in journeys with a goal or exit rule are looked at now: a
// change to the contact may have reached the goal, which ends the run from any node.
export async function nudgeForGoals(db: Db, workspaceId: string, contactIds: string[], now: Date): Promise<number> {
  if (contactIds.length === 0) return 0;
  const active = await db.select().from(journeys).where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.status, "active")));
  const watched: string[] = [];
  for (const journey of active) {
    const graph = journey.version === null ? undefined : await versionGraph(db, workspaceId, journey.id, journey.version);
    const trigger = graph && triggerOf(graph);
    if (trigger && (trigger.data.goal != null || trigger.data.exitRule != null)) watched.push(journey.id);
  }
  if (watched.length === 0) return 0;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update journey_runs set due_at = ${now.toISOString()}::timestamptz
        where workspace_id = ${workspaceId} and status = 'waiting' and (due_at is null or due_at > ${now.toISOString()}::timestamptz)
          and journey_id in (select unnest(${`{${watched.join(",")}}`}::uuid[]))
          and contact_id in (select unnest(${`{${contactIds.join(",")}}`}::uuid[]))
        returning id`,
  );
  return rows.length;
}

/** API and manual enrolment: contacts (ids checked to be this workspace's) enter an active journey now. */
export async function enrolContacts(
  db: Db,
  workspaceId: string,
  journeyId: string,
  contacts: Array<{ contactId: string; key?: string }>,
  source: "api" | "manual",
  now = new Date(),
): Promise<EnrolResult> {
  const [journey] = await db.select().from(journeys).where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
  if (!journey) throw new AppError("not_found", `No journey ${journeyId} in this workspace.`);
  if (journey.status !== "active") throw new AppError("conflict", `This journey is ${journey.status}; only an active journey takes contacts in.`);
  const result = await enrol(db, journey, contacts.map((item) => ({ contactId: item.contactId, key: item.key ? `${source}:${item.key}` : undefined, entry: { source } })), now);
  // Imported here: the job module imports the engine, which imports this file.
  const { journeyAdvance } = await import("@/jobs/journey-advance");
  if (result.runs.length > 0) await enqueue(journeyAdvance, { workspaceId });
  return result;
}
