"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { JourneyTotals } from "@/lib/journeys/stats";
import { cn } from "@/lib/utils";

/** The journey's totals over the canvas while it shows results. */
export function TotalsBar({ totals, live, stale }: { totals: JourneyTotals; live: boolean; stale: boolean }) {
  const t = useTranslations("journeys.totals");
  const format = useFormatter();
  const rate = (part: number) => format.number(totals.entered > 0 ? part / totals.entered : 0, { style: "percent", maximumFractionDigits: 1 });
  const cells: Array<{ key: keyof JourneyTotals; note?: string; tone?: string }> = [
    { key: "entered" },
    { key: "inJourney" },
    { key: "completed", note: rate(totals.completed) },
    { key: "converted", note: rate(totals.converted), tone: totals.converted > 0 ? "text-emerald-700 dark:text-emerald-300" : undefined },
    { key: "exited", note: rate(totals.exited) },
    { key: "failed", note: rate(totals.failed), tone: totals.failed > 0 ? "text-destructive" : undefined },
  ];
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b px-4 py-3" data-testid="journey-totals">
      <dl className="grid flex-1 grid-cols-3 gap-3 md:grid-cols-6">
        {cells.map((cell) => (
          <div key={cell.key} className="flex flex-col-reverse" data-testid={`total-${cell.key}`}>
            <dt className="text-muted-foreground text-xs">{t(cell.key)}</dt>
            <dd className={cn("text-xl font-semibold tabular-nums", cell.tone)}>
              <span data-testid={`total-${cell.key}-value`}>{format.number(totals[cell.key])}</span>
              {cell.note && totals.entered > 0 ? <span className="text-muted-foreground ml-1.5 text-xs font-normal">{cell.note}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
      <p className="text-muted-foreground flex items-center gap-1.5 text-xs" aria-live="polite">
        {live ? <span className="size-1.5 animate-pulse rounded-full bg-emerald-500" aria-hidden /> : null}
        {stale ? t("stale") : live ? t("live") : t("frozen")}
      </p>
    </div>
  );
}
