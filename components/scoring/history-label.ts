import type { ScoreHistoryRow } from "@/lib/scoring/views";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** What one score change was, in the reader's language (the `scoring` namespace's translator). */
export function historyLabel(row: Pick<ScoreHistoryRow, "kind" | "reason" | "ruleName">, t: Translate & { has: (key: string) => boolean }): string {
  const rule = row.ruleName ?? row.reason ?? t("card.deletedRule");
  switch (row.kind) {
    case "fit":
      return row.reason ? `${t("card.kinds.fit")}: ${row.reason}` : t("card.kinds.fitNone");
    case "engagement":
      return t("card.kinds.engagement", { rule });
    case "expire":
      return t("card.kinds.expire", { rule });
    case "decay":
      return t("card.kinds.decay");
    case "stage":
      return t("card.kinds.stage", { stage: stageLabel(row.reason, t) });
    case "recalculation":
      return t("card.kinds.recalculation");
    default:
      return t("card.kinds.manual");
  }
}

export function stageLabel(stage: string | null, t: Translate & { has: (key: string) => boolean }): string {
  if (!stage) return t("card.noStage");
  return t.has(`stages.${stage}`) ? t(`stages.${stage}`) : stage;
}
