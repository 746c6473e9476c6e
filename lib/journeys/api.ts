import type { Db } from "@/db/client";
import type { Journey } from "@/db/schema";
import { findContactIdsByRefs } from "@/lib/contacts/refs";
import { AppError } from "@/lib/errors";
import type { TaskRow } from "@/lib/tasks/manage";
import type { JourneyEnroll } from "@/lib/validation/journeys";
import { enrolContacts } from "./enrol";
import type { contactJourneys, JourneyTotals, NodeStats, RunRow } from "./stats";
import type { JourneyProblem } from "./validate";

// The journeys and tasks REST API's shapes: snake_case fields and ISO times, like the other
// *Json helpers. The graph is the canvas's own JSON and is passed through as it is.

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** A journey as the REST API shows it: with its graph (single-journey replies) or its counts (the list). */
export function journeyJson(journey: Journey, extra: { graph?: boolean; counts?: { inJourney: number; entered: number; converted: number } } = {}) {
  return {
    id: journey.id,
    name: journey.name,
    description: journey.description,
    status: journey.status,
    /** The newest published version; null until the first publish. */
    version: journey.version,
    trigger: journey.triggerKind
      ? { kind: journey.triggerKind, event: journey.triggerEvent, segment_id: journey.triggerSegmentId }
      : null,
    created_at: journey.createdAt.toISOString(),
    updated_at: journey.updatedAt.toISOString(),
    published_at: iso(journey.publishedAt),
    ...(extra.counts ? { in_journey: extra.counts.inJourney, entered: extra.counts.entered, converted: extra.counts.converted } : {}),
    ...(extra.graph ? { graph: journey.graph } : {}),
  };
}

export function problemJson(problem: JourneyProblem) {
  return {
    node_id: problem.nodeId ?? null,
    edge_id: problem.edgeId ?? null,
    path: problem.path ?? null,
    code: problem.code,
    message: problem.message,
    ...(problem.params ? { params: problem.params } : {}),
  };
}

/** publishJourney's refusal with its problems in the API's snake_case; any other error as it is. */
export function publishError(error: unknown): unknown {
  if (error instanceof AppError && error.code === "validation_failed" && Array.isArray(error.details)) {
    return new AppError(error.code, error.message, (error.details as JourneyProblem[]).map(problemJson));
  }
  return error;
}

export function runJson(run: RunRow) {
  return {
    id: run.id,
    contact_id: run.contactId,
    email: run.email,
    name: run.name,
    version: run.version,
    node_id: run.nodeId,
    node_entered_at: run.nodeEnteredAt.toISOString(),
    status: run.status,
    wait_until: iso(run.waitUntil),
    entered_at: run.enteredAt.toISOString(),
    ended_at: iso(run.endedAt),
    end_reason: run.endReason,
  };
}

/** GET /api/v1/journeys/:id/stats: every node of the draft graph (zeros where nobody went yet), then nodes only older versions had. */
export function journeyStatsJson(journey: Journey, nodes: NodeStats[], totals: JourneyTotals) {
  const byNode = new Map(nodes.map((node) => [node.nodeId, node]));
  const inGraph = new Map(journey.graph.nodes.map((node) => [node.id, node.type]));
  const ids = [...inGraph.keys(), ...nodes.map((node) => node.nodeId).filter((id) => !inGraph.has(id))];
  return {
    id: journey.id,
    status: journey.status,
    version: journey.version,
    totals: {
      entered: totals.entered,
      in_journey: totals.inJourney,
      completed: totals.completed,
      converted: totals.converted,
      exited: totals.exited,
      failed: totals.failed,
    },
    nodes: ids.map((id) => {
      const stats = byNode.get(id);
      return {
        node_id: id,
        type: inGraph.get(id) ?? null,
        entered: stats?.entered ?? 0,
        waiting: stats?.waiting ?? 0,
        completed: stats?.completed ?? 0,
        failed: stats?.failed ?? 0,
        converted: stats?.converted ?? 0,
      };
    }),
  };
}

/** GET /api/v1/contacts/:id/journeys: one row a run, with the path it took. */
export function contactJourneyJson(row: Awaited<ReturnType<typeof contactJourneys>>[number]) {
  return {
    run_id: row.runId,
    journey_id: row.journeyId,
    journey_name: row.journeyName,
    version: row.version,
    node_id: row.nodeId,
    status: row.status,
    entered_at: row.enteredAt.toISOString(),
    ended_at: iso(row.endedAt),
    end_reason: row.endReason,
    path: row.path.map((step) => ({
      node_id: step.nodeId,
      outcome: step.outcome,
      handle: step.handle,
      left_at: new Date(step.leftAt).toISOString(),
    })),
  };
}

export function taskJson(task: TaskRow) {
  return {
    id: task.id,
    title: task.title,
    notes: task.notes,
    status: task.status,
    assignee: task.assignee,
    contact: task.contact
      ? { id: task.contact.id, email: task.contact.email, external_id: task.contact.externalId, name: task.contact.name }
      : task.contactId
        ? { id: task.contactId, email: null, external_id: null, name: null }
        : null,
    /** What made it: "journey" (source_id is the journey's id), … */
    source: task.source,
    source_id: task.sourceId,
    due_at: iso(task.dueAt),
    notified_at: iso(task.notifiedAt),
    done_at: iso(task.doneAt),
    created_at: task.createdAt.toISOString(),
  };
}

const notActive: Record<Exclude<Journey["status"], "active">, string> = {
  draft: "This journey is a draft; publish it before enrolling contacts.",
  paused: "This journey is paused; resume it before enrolling contacts.",
  archived: "This journey is archived; nobody can enter it any more.",
};

// POST /api/v1/journeys/:id/enroll's work: the references are found in a few queries, the
// contacts enter in one statement, and the reply says who entered, who did not (already in the
// journey, not allowed back by its re-entry policy or entry filter, or entered before under
// the same idempotency key) and which references found nobody.
export async function enrollByRefs(db: Db, journey: Journey, body: JourneyEnroll, now = new Date()) {
  if (journey.status !== "active") throw new AppError("conflict", notActive[journey.status], { status: journey.status });
  const refs = [...new Set(body.contacts)];
  const found = await findContactIdsByRefs(db, journey.workspaceId, refs);
  const contactIds = [...new Set(found.values())];
  // enrolContacts prefixes the source ("api:"); with the contact in it, one key covers each contact of the call once.
  const key = body.idempotency_key;
  const entries = contactIds.map((contactId) => ({ contactId, ...(key ? { key: `${key}:${contactId}` } : {}) }));
  // enrolContacts queues journey.advance, so the runs start moving now, not at the next tick.
  const result = await enrolContacts(db, journey.workspaceId, journey.id, entries, "api", now);
  const runOf = new Map(result.runs.map((run) => [run.contactId, run.runId]));
  const entered: Array<{ ref: string; contact_id: string; run_id: string }> = [];
  const notEntered: Array<{ ref: string; contact_id: string }> = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const contactId = found.get(ref);
    if (!contactId) unknown.push(ref);
    else if (runOf.has(contactId)) entered.push({ ref, contact_id: contactId, run_id: runOf.get(contactId)! });
    else notEntered.push({ ref, contact_id: contactId });
  }
  return { entered, not_entered: notEntered, unknown };
}
