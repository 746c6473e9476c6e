import type { ReactNode } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";

export interface Change {
  current: number;
  previous: number;
  /** percent: relative to the previous figure; points: the difference of two rates. */
  kind: "percent" | "points";
  /** Unsubscribes going up is bad news: shown in red. */
  upIsGood?: boolean;
  /** The previous range had nothing to compare with (a rate of no messages): "new", not a change from 0. */
  nothingBefore?: boolean;
}

/** One figure of the range with its change against the range before. */
export async function KpiCard({ label, value, change, days, hint, testId }: { label: string; value: string; change?: Change; days: number; hint?: ReactNode; testId: string }) {
  return (
    <Card className="gap-2 py-5" data-testid={testId}>
      <CardHeader className="px-5">
        <CardDescription>{label}</CardDescription>
        <CardTitle className="text-2xl font-semibold tabular-nums" data-testid={`${testId}-value`}>
          {value}
        </CardTitle>
      </CardHeader>
      <CardContent className="text-muted-foreground grid gap-1 px-5 text-xs">
        {hint ? <p>{hint}</p> : null}
        {change ? <ChangeLine change={change} days={days} /> : null}
      </CardContent>
    </Card>
  );
}

async function ChangeLine({ change, days }: { change: Change; days: number }) {
  const t = await getTranslations("dashboard.change");
  const format = await getFormatter();
  const { current, previous, kind, upIsGood = true, nothingBefore = previous === 0 } = change;
  const difference = current - previous;
  // Rates are compared in points, to one decimal: a change that rounds to 0.0 is no change.
  const rounded = kind === "points" ? Math.round(difference * 1000) / 10 : difference;
  if (rounded === 0) return <p data-testid="kpi-change">{t("none", { days })}</p>;
  const up = rounded > 0;
  const tone = up === upIsGood ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400";
  const arrow = (
    <>
      <span aria-hidden>{up ? "▲" : "▼"}</span>
      <span className="sr-only">{up ? t("up") : t("down")}</span>
    </>
  );
  const marked = (chunks: ReactNode) => (
    <span className={cn("font-medium", tone)}>
      {arrow} {chunks}
    </span>
  );
  let text: ReactNode;
  if (nothingBefore) text = t.rich("fromZero", { days, change: marked });
  else if (kind === "points") text = t.rich("points", { value: format.number(Math.abs(rounded), { maximumFractionDigits: 1 }), days, change: marked });
  else text = t.rich("percent", { value: format.number(Math.abs(difference) / previous, { style: "percent", maximumFractionDigits: 1 }), days, change: marked });
  return <p data-testid="kpi-change">{text}</p>;
}

