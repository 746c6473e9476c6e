"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Area, AreaChart, CartesianGrid, XAxis, YAxis } from "recharts";
import { ChartContainer, ChartTooltip, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";

/** Members after each change, over time. */
export function SizeChart({ sizes, timeZone }: { sizes: Array<{ at: string; members: number }>; timeZone: string }) {
  const t = useTranslations("segments.page");
  const format = useFormatter();
  const config: ChartConfig = { members: { label: t("members"), color: "var(--chart-1, var(--primary))" } };
  // One point is a dot, not a line: repeat it so the area shows the current size.
  const points = sizes.length === 1 ? [sizes[0], { ...sizes[0], at: new Date().toISOString() }] : sizes;
  const data = points.map((point) => ({ at: Date.parse(point.at), members: point.members }));
  const short = (value: number) => format.dateTime(new Date(value), { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone });
  return (
    <ChartContainer config={config} className="h-56 w-full" data-testid="size-chart">
      <AreaChart data={data} margin={{ left: 4, right: 12, top: 8 }}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="at" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={short} tickLine={false} axisLine={false} minTickGap={48} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={40} />
        <ChartTooltip content={<ChartTooltipContent labelFormatter={(value) => short(Number(value))} />} />
        <Area dataKey="members" type="stepAfter" stroke="var(--color-members)" fill="var(--color-members)" fillOpacity={0.2} strokeWidth={2} isAnimationActive={false} />
      </AreaChart>
    </ChartContainer>
  );
}
