"use client";

import { useFormatter } from "next-intl";
import { Bar, BarChart, Cell, LabelList, XAxis, YAxis } from "recharts";
import { ChartContainer, type ChartConfig } from "@/components/ui/chart";

export interface FunnelStage {
  key: string;
  label: string;
  value: number;
  color: string;
}

/** targeted → suppressed → sent → delivered → opened → clicked → converted, each bar with its count and share of the targeted. */
export function FunnelChart({ stages, total }: { stages: FunnelStage[]; total: number }) {
  const format = useFormatter();
  const config: ChartConfig = Object.fromEntries(stages.map((stage) => [stage.key, { label: stage.label, color: stage.color }]));
  const data = stages.map((stage) => ({
    ...stage,
    text: `${format.number(stage.value)} · ${format.number(total > 0 ? stage.value / total : 0, { style: "percent", maximumFractionDigits: 1 })}`,
  }));
  return (
    <ChartContainer config={config} className="aspect-auto w-full" style={{ height: stages.length * 40 + 8 }} data-testid="funnel-chart">
      <BarChart data={data} layout="vertical" margin={{ left: 0, right: 128, top: 4, bottom: 4 }} barCategoryGap={8}>
        <XAxis type="number" hide domain={[0, Math.max(total, 1)]} />
        <YAxis type="category" dataKey="label" tickLine={false} axisLine={false} width={104} />
        <Bar dataKey="value" radius={4} isAnimationActive={false} minPointSize={2}>
          {data.map((stage) => (
            <Cell key={stage.key} fill={stage.color} />
          ))}
          <LabelList dataKey="text" position="right" className="fill-foreground" fontSize={12} />
        </Bar>
      </BarChart>
    </ChartContainer>
  );
}
