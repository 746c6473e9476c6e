import type { ScoringRule } from "@/db/schema";
import type { ScoringConfig } from "./settings";
import type { ContactScore } from "./views";

// The lead-scoring REST API's shapes: snake_case fields and ISO times, like the other *Json helpers.

export function scoringRuleJson(rule: ScoringRule & { scored30d?: number }) {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    ...(rule.kind === "attribute" ? { rule: rule.rule } : { event: rule.event, where: rule.where, cap: rule.cap }),
    points: rule.points,
    active: rule.active,
    ...(rule.scored30d !== undefined && rule.kind === "behaviour" ? { scored_30d: rule.scored30d } : {}),
    created_at: rule.createdAt.toISOString(),
    updated_at: rule.updatedAt.toISOString(),
  };
}

export function scoringSettingsJson(settings: ScoringConfig) {
  return {
    decay: settings.decay,
    thresholds: { lead: settings.thresholds.lead ?? null, mql: settings.thresholds.mql ?? null, sql: settings.thresholds.sql ?? null, customer: settings.thresholds.customer ?? null },
    owner: settings.owner,
    handoff_webhook_url: settings.handoffWebhookUrl,
    recalculation: settings.recalculation
      ? {
          started_at: settings.recalculation.startedAt,
          done: settings.recalculation.done,
          total: settings.recalculation.total,
          finished_at: settings.recalculation.finishedAt ?? null,
        }
      : null,
    updated_at: settings.updatedAt?.toISOString() ?? null,
  };
}

export function contactScoreJson(score: ContactScore) {
  return {
    contact_id: score.contactId,
    score: score.score,
    fit: score.fit,
    engagement: score.engagement,
    lifecycle_stage: score.stage,
    history: score.history.map((row) => ({
      id: row.id,
      kind: row.kind,
      delta: row.delta,
      score_after: row.scoreAfter,
      reason: row.reason,
      rule_id: row.ruleId,
      rule_name: row.ruleName,
      event_id: row.eventId,
      at: row.at.toISOString(),
    })),
  };
}
