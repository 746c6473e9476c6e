import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { couponCampaigns, journeyRuns, journeys, journeyVersions, members, segments, templates, type Journey, type JourneyStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { loadRuleContext } from "@/lib/segments/membership";
import { emptyGraph, formSubmittedEvent, journeyGraph, type JourneyGraph, type TriggerData } from "./graph";
import { checkGraph, type JourneyContext } from "./validate";
import { isUuid } from "@/lib/uuid";


export async function getJourney(db: Db, workspaceId: string, journeyId: string): Promise<Journey | undefined> {
  if (!isUuid(journeyId)) return undefined;
  const [row] = await db.select().from(journeys).where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
  return row;
}

export async function requireJourney(db: Db, workspaceId: string, journeyId: string): Promise<Journey> {
  const journey = await getJourney(db, workspaceId, journeyId);
  if (!journey) throw new AppError("not_found", `No journey ${journeyId} in this workspace.`);
  return journey;
}

/** Journeys newest first, with how many contacts are in each now and have ever entered. */
export async function listJourneys(db: Db, workspaceId: string, options: { status?: JourneyStatus } = {}) {
  const rows = await db
    .select({
      journey: journeys,
      // Spelled out: inside a one-table select drizzle writes a column bare, which the subquery would read as its own.
      inJourney: sql<number>`(select count(*)::int from journey_runs r where r.workspace_id = journeys.workspace_id and r.journey_id = journeys.id and r.ended_at is null)`,
      entered: sql<number>`(select count(*)::int from journey_runs r where r.workspace_id = journeys.workspace_id and r.journey_id = journeys.id)`,
      converted: sql<number>`(select count(*)::int from journey_runs r where r.workspace_id = journeys.workspace_id and r.journey_id = journeys.id and r.status = 'converted')`,
    })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), options.status ? eq(journeys.status, options.status) : undefined))
    .orderBy(desc(journeys.updatedAt), desc(journeys.id));
  return rows.map((row) => ({ ...row.journey, inJourney: Number(row.inJourney), entered: Number(row.entered), converted: Number(row.converted) }));
}

export async function createJourney(
  db: Db,
  workspaceId: string,
  input: { name: string; description?: string | null; graph?: JourneyGraph; createdBy?: string | null },
): Promise<Journey> {
  const graph = input.graph ? journeyGraph.parse(input.graph) : emptyGraph();
  const [row] = await db
    .insert(journeys)
    .values({ workspaceId, name: input.name, description: input.description ?? null, graph, createdBy: input.createdBy ?? null })
    .returning();
  return row;
}

/** Saves the draft (name, description, canvas). An active journey keeps running its published version until the next publish. */
export async function updateJourney(db: Db, workspaceId: string, journeyId: string, patch: { name?: string; description?: string | null; graph?: JourneyGraph }) {
  const journey = await requireJourney(db, workspaceId, journeyId);
  if (journey.status === "archived") throw new AppError("conflict", "This journey is archived; it cannot be changed.");
  const [row] = await db
    .update(journeys)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.graph !== undefined ? { graph: journeyGraph.parse(patch.graph) } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)))
    .returning();
  return row;
}

/** A draft that never ran can go; one with runs is archived instead (its history stays). */
export async function deleteJourney(db: Db, workspaceId: string, journeyId: string): Promise<void> {
  const journey = await requireJourney(db, workspaceId, journeyId);
  if (journey.version !== null) throw new AppError("conflict", "This journey has been published; archive it instead of deleting it.");
  await db.delete(journeys).where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)));
}

export async function loadJourneyContext(db: Db, workspaceId: string): Promise<JourneyContext> {
  const [rules, templateRows, segmentRows, memberRows, campaignRows] = await Promise.all([
    loadRuleContext(db, workspaceId),
    db.select({ id: templates.id, channel: templates.channel, archivedAt: templates.archivedAt }).from(templates).where(eq(templates.workspaceId, workspaceId)),
    db.select({ id: segments.id }).from(segments).where(eq(segments.workspaceId, workspaceId)),
    db.select({ userId: members.userId }).from(members).where(eq(members.workspaceId, workspaceId)),
    db.select({ id: couponCampaigns.id }).from(couponCampaigns).where(and(eq(couponCampaigns.workspaceId, workspaceId), eq(couponCampaigns.status, "active"))),
  ]);
  return {
    rules,
    templates: new Map(templateRows.map((row) => [row.id, { channel: row.channel, archived: row.archivedAt !== null }])),
    segmentIds: new Set(segmentRows.map((row) => row.id)),
    memberIds: new Set(memberRows.map((row) => row.userId)),
    campaignIds: new Set(campaignRows.map((row) => row.id)),
  };
}

/** Checks the draft as publishing would, without publishing. */
export async function checkJourney(db: Db, workspaceId: string, graph: JourneyGraph) {
  return checkGraph(graph, await loadJourneyContext(db, workspaceId));
}

/** The event name whose arrival enrols into a journey with this trigger (forms submit as an event). */
export function triggerEventName(trigger: TriggerData): string | null {
  if (trigger.kind === "event") return trigger.event ?? null;
  if (trigger.kind === "form") return formSubmittedEvent;
  return null;
}

// Freezes the draft as the next version and starts (or keeps) the journey running on it.
// Runs already in the journey stay on the version they entered.
export async function publishJourney(db: Db, workspaceId: string, journeyId: string, userId?: string | null) {
  const journey = await requireJourney(db, workspaceId, journeyId);
  if (journey.status === "archived") throw new AppError("conflict", "This journey is archived; duplicate it to run it again.");
  const checked = await checkJourney(db, workspaceId, journey.graph);
  if (!checked.ok) {
    const [first] = checked.problems;
    throw new AppError("validation_failed", `The journey cannot be published: ${first.message}${first.nodeId ? ` (node ${first.nodeId})` : ""}.`, checked.problems);
  }
  const trigger = checked.trigger;
  return db.transaction(async (tx) => {
    // Locks the journey row so two publishes never take the same version number.
    const [locked] = await queryRows<{ version: number | null }>(tx, sql`select version from journeys where workspace_id = ${workspaceId} and id = ${journeyId} for update`);
    const version = (locked?.version ?? 0) + 1;
    const now = new Date();
    await tx.insert(journeyVersions).values({ workspaceId, journeyId, version, graph: journey.graph, publishedBy: userId ?? null, publishedAt: now });
    const [row] = await tx
      .update(journeys)
      .set({
        version,
        status: journey.status === "paused" ? "paused" : "active",
        triggerKind: trigger.kind,
        triggerEvent: triggerEventName(trigger),
        triggerSegmentId: trigger.kind === "segment" ? (trigger.segmentId ?? null) : null,
        publishedAt: now,
        updatedAt: now,
      })
      .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId)))
      .returning();
    return row;
  });
}

async function setStatus(db: Db, workspaceId: string, journeyId: string, from: JourneyStatus[], to: JourneyStatus, refusal: string) {
  const journey = await requireJourney(db, workspaceId, journeyId);
  if (!from.includes(journey.status)) throw new AppError("conflict", refusal.replace("{status}", journey.status));
  const [row] = await db
    .update(journeys)
    .set({ status: to, updatedAt: new Date() })
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.id, journeyId), inArray(journeys.status, from)))
    .returning();
  if (!row) throw new AppError("conflict", "The journey changed meanwhile; reload and try again.");
  return row;
}

/** Freezes every run where it is: nobody enters, moves or is messaged until resumed. */
export function pauseJourney(db: Db, workspaceId: string, journeyId: string) {
  return setStatus(db, workspaceId, journeyId, ["active"], "paused", "Only an active journey can be paused; this one is {status}.");
}

/** Runs go on from where they were; delays that ended meanwhile move at once. */
export function resumeJourney(db: Db, workspaceId: string, journeyId: string) {
  return setStatus(db, workspaceId, journeyId, ["paused"], "active", "Only a paused journey can be resumed; this one is {status}.");
}

/** Stops the journey for good: contacts still in it leave (exited: archived). */
export async function archiveJourney(db: Db, workspaceId: string, journeyId: string) {
  return db.transaction(async (tx) => {
    const row = await setStatus(tx, workspaceId, journeyId, ["draft", "active", "paused"], "archived", "This journey is already {status}.");
    await tx
      .update(journeyRuns)
      .set({ status: "exited", endedAt: new Date(), endReason: "archived", dueAt: null })
      .where(and(eq(journeyRuns.workspaceId, workspaceId), eq(journeyRuns.journeyId, journeyId), sql`${journeyRuns.endedAt} is null`));
    return row;
  });
}
