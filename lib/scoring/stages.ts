import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { ScoringThresholds } from "@/db/schema";
import { handOff } from "./handoff";
import type { ScoringConfig } from "./settings";

// Lifecycle thresholds: when a contact's score crosses a stage's threshold upward, the contact
// moves up to that stage, never back (a lead that cools down stays a lead: decay lowers the
// score, not the stage). Only an empty stage or one on the ladder moves; a stage the team set
// by hand outside it ("other", "partner"…) is left alone. Reaching MQL or beyond from below
// hands the contact to sales, once per contact whatever the score does afterwards.

export const stageLadder = ["subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist"] as const;
export const thresholdStages = ["lead", "mql", "sql", "customer"] as const;
export type ThresholdStage = (typeof thresholdStages)[number];

export interface ScoreChange {
  contactId: string;
  before: number;
  after: number;
  /** The contact's stage when the score changed. */
  stage: string | null;
}

/** The stage's place on the ladder: -1 when empty, undefined when the stage is not on it. */
export function stageRank(stage: string | null): number | undefined {
  if (stage === null || stage === "") return -1;
  const index = (stageLadder as readonly string[]).indexOf(stage);
  return index === -1 ? undefined : index;
}

/** Where a score change takes a contact: the new stage (if it moves) and whether sales gets it now. */
export function stageAfter(change: Pick<ScoreChange, "before" | "after" | "stage">, thresholds: ScoringThresholds): { stage?: ThresholdStage; handOff: boolean } {
  const current = stageRank(change.stage);
  if (current === undefined || change.after <= change.before) return { handOff: false };
  let reached: ThresholdStage | undefined;
  for (const stage of thresholdStages) {
    const threshold = thresholds[stage];
    if (threshold === null || threshold === undefined) continue;
    if (change.before < threshold && threshold <= change.after) reached = stage;
  }
  if (!reached) return { handOff: false };
  const target = stageRank(reached)!;
  if (target <= current) return { handOff: false };
  const mql = stageRank("mql")!;
  // Sales hears of a contact that scoring moves from below MQL to MQL or SQL (a "customer"
  // threshold is the team's own business).
  const handOffNow = current < mql && (reached === "mql" || reached === "sql") && thresholds.mql !== null && thresholds.mql !== undefined;
  return { stage: reached, handOff: handOffNow };
}

export interface ThresholdOutcome {
  moved: Array<{ contactId: string; stage: ThresholdStage }>;
  handedOff: string[];
}

/** Applies the thresholds to score changes inside the caller's transaction: stages, history rows, the MQL hand-off. */
export async function applyThresholds(db: Db, workspaceId: string, settings: ScoringConfig, changes: ScoreChange[], now: Date): Promise<ThresholdOutcome> {
  const outcome: ThresholdOutcome = { moved: [], handedOff: [] };
  if (changes.length === 0 || !thresholdStages.some((stage) => typeof settings.thresholds[stage] === "number")) return outcome;
  const scores = new Map<string, number>();
  for (const change of changes) {
    const next = stageAfter(change, settings.thresholds);
    if (!next.stage) continue;
    outcome.moved.push({ contactId: change.contactId, stage: next.stage });
    scores.set(change.contactId, change.after);
    if (next.handOff) outcome.handedOff.push(change.contactId);
  }
  if (outcome.moved.length === 0) return outcome;
  const moves = JSON.stringify(outcome.moved.map((move) => ({ id: move.contactId, stage: move.stage, score: scores.get(move.contactId) ?? 0 })));
  const at = now.toISOString();
  await db.execute(sql`
    with moved as (
      update contacts c set lifecycle_stage = x.stage, updated_at = ${at}::timestamptz
      from jsonb_to_recordset(${moves}::jsonb) as x(id uuid, stage text, score int)
      where c.workspace_id = ${workspaceId} and c.id = x.id
      returning c.id, x.stage, c.score)
    insert into score_events (workspace_id, contact_id, kind, delta, score_after, reason, idempotency_key, at)
    select ${workspaceId}, m.id, 'stage', 0, m.score, m.stage, concat('stage:', m.id::text, ':', m.stage, ':', ${at}::text), ${at}::timestamptz from moved m
    on conflict (workspace_id, idempotency_key) do nothing`);
  if (outcome.handedOff.length > 0) await handOff(db, workspaceId, settings, outcome.handedOff, now);
  return outcome;
}
