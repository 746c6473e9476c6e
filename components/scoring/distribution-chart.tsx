"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, ReferenceLine, XAxis, YAxis } from "recharts";
import { ChartContainer, ChartTooltip, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";

const stages = ["lead", "mql", "sql", "customer"] as const;

/** Contacts per score range, with the lifecycle thresholds marked on the ranges they fall in. */
export function DistributionChart({
  buckets,
  thresholds,
}: {
  buckets: Array<{ from: number; to: number; contacts: number }>;
  thresholds: Partial<Record<(typeof stages)[number], number | null>>;
}) {
  const t = useTranslations("scoring");
  const format = useFormatter();
  if (buckets.length === 0) {
    return <p className="text-muted-foreground flex h-56 items-center justify-center rounded-lg border border-dashed text-sm">{t("distribution.empty")}</p>;
  }
  const config: ChartConfig = { contacts: { label: t("distribution.contacts"), color: "var(--chart-1, var(--primary))" } };
  const data = buckets.map((bucket) => ({ ...bucket, label: format.number(bucket.from) }));
  const marks = stages
    .map((stage) => ({ stage, value: thresholds[stage] }))
    .filter((mark): mark is { stage: (typeof stages)[number]; value: number } => typeof mark.value === "number")
    .map((mark) => ({ ...mark, bucket: data.find((bucket) => bucket.from <= mark.value && mark.value <= bucket.to) }))
    .filter((mark) => mark.bucket);
  const summary = t("distribution.summary", { buckets: buckets.length, from: format.number(buckets[0].from), to: format.number(buckets[buckets.length - 1].to) });
  return (
    <ChartContainer config={config} className="aspect-auto h-56 w-full" data-testid="score-distribution" role="img" aria-label={`${t("distribution.title")}. ${summary}`}>
      <BarChart data={data} margin={{ left: 0, right: 8, top: 20 }}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="label" tickLine={false} axisLine={false} tickMargin={8} minTickGap={8} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={44} tickFormatter={(value: number) => format.number(value, { notation: "compact" })} />
        <ChartTooltip
          cursor={{ fill: "var(--muted)", opacity: 0.6 }}
          content={
            <ChartTooltipContent
              labelFormatter={(_label, payload) => {
                const bucket = payload?.[0]?.payload as { from: number; to: number } | undefined;
                return bucket ? t("distribution.range", { from: format.number(bucket.from), to: format.number(bucket.to) }) : "";
              }}
            />
          }
        />
        <Bar dataKey="contacts" fill="var(--color-contacts)" radius={[3, 3, 0, 0]} maxBarSize={40} isAnimationActive={false} />
        {marks.map((mark) => (
          <ReferenceLine
            key={mark.stage}
            x={mark.bucket!.label}
            stroke="var(--chart-4, var(--muted-foreground))"
            strokeDasharray="4 3"
            label={{ value: `${t(`stages.${mark.stage}`)} ≥ ${format.number(mark.value)}`, position: "top", fontSize: 11, fill: "var(--muted-foreground)" }}
          />
        ))}
      </BarChart>
    </ChartContainer>
  );
}
