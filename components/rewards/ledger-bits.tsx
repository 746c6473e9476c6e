"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { PointSource } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

/** +500 in green, -30 in red. */
export function PointsChange({ amount, className }: { amount: number; className?: string }) {
  const format = useFormatter();
  return (
    <span className={cn("font-medium tabular-nums", amount >= 0 ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400", className)}>
      {format.number(amount, { signDisplay: "always" })}
    </span>
  );
}

const tone: Record<PointSource, string> = {
  monitor: "border-violet-500/40 bg-violet-500/10 text-violet-800 dark:text-violet-300",
  journey: "border-indigo-500/40 bg-indigo-500/10 text-indigo-800 dark:text-indigo-300",
  api: "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300",
  manual: "border-amber-500/40 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  redeem: "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  expiry: "border-border bg-muted text-muted-foreground",
};

export function SourceText({ source }: { source: PointSource }) {
  const t = useTranslations("rewards.sources");
  return (
    <Badge variant="outline" className={tone[source]} data-testid="point-source">
      {t(source)}
    </Badge>
  );
}
