"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Area, AreaChart, CartesianGrid, XAxis, YAxis } from "recharts";
import { ChartContainer, ChartTooltip, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";

const hour = 3600_000;

/** Unique human opens and clicks by hour (by day past three days), from the start of sending; hours without any show as zero. */
export function ActivityChart({ timeline, startedAt, timeZone }: { timeline: Array<{ at: string; opens: number; clicks: number }>; startedAt: string; timeZone: string }) {
  const t = useTranslations("broadcasts.results");
  const format = useFormatter();
  const config: ChartConfig = {
    opens: { label: t("opens"), color: "var(--chart-1, oklch(0.65 0.15 160))" },
    clicks: { label: t("clicks"), color: "var(--chart-2, oklch(0.6 0.18 260))" },
  };
  const start = Math.floor(Date.parse(startedAt) / hour) * hour;
  const last = Math.max(start + hour, ...timeline.map((point) => Date.parse(point.at)));
  const step = last - start > 72 * hour ? 24 * hour : hour;
  const buckets = new Map<number, { at: number; opens: number; clicks: number }>();
  for (let at = start; at <= last; at += step) buckets.set(at, { at, opens: 0, clicks: 0 });
  for (const point of timeline) {
    const at = start + Math.floor((Date.parse(point.at) - start) / step) * step;
    const bucket = buckets.get(at) ?? { at, opens: 0, clicks: 0 };
    bucket.opens += point.opens;
    bucket.clicks += point.clicks;
    buckets.set(at, bucket);
  }
  const data = [...buckets.values()].sort((a, b) => a.at - b.at);
  const label = (value: number) =>
    format.dateTime(new Date(value), step === hour ? { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone } : { month: "short", day: "numeric", timeZone });
  return (
    <div className="grid gap-2">
      <ChartContainer config={config} className="aspect-auto h-60 w-full" data-testid="activity-chart">
      <AreaChart data={data} margin={{ left: 4, right: 12, top: 8 }}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="at" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={label} tickLine={false} axisLine={false} minTickGap={48} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={40} />
        <ChartTooltip content={<ChartTooltipContent labelFormatter={(value) => label(Number(value))} />} />
        <Area dataKey="opens" type="monotone" stroke="var(--color-opens)" fill="var(--color-opens)" fillOpacity={0.15} strokeWidth={2} isAnimationActive={false} />
        <Area dataKey="clicks" type="monotone" stroke="var(--color-clicks)" fill="var(--color-clicks)" fillOpacity={0.15} strokeWidth={2} isAnimationActive={false} />
      </AreaChart>
      </ChartContainer>
      <div className="text-muted-foreground flex justify-center gap-4 text-xs">
        {Object.entries(config).map(([key, item]) => (
          <span key={key} className="inline-flex items-center gap-1.5">
            <span className="size-2.5 rounded-[2px]" style={{ background: item.color }} aria-hidden />
            {item.label}
          </span>
        ))}
      </div>
    </div>
  );
}
