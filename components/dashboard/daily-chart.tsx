"use client";

import type { ReactNode } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Line, LineChart, XAxis, YAxis } from "recharts";
import { ChartContainer, ChartTooltip, type ChartConfig } from "@/components/ui/chart";

export interface ChartDay {
  /** The workspace's local date, YYYY-MM-DD. */
  day: string;
  newContacts: number;
  events: number;
  sent: number;
  opened: number;
  clicked: number;
}

type Series = Exclude<keyof ChartDay, "day">;

const colors: Record<Series, string> = {
  newContacts: "var(--chart-2)",
  events: "var(--chart-3)",
  sent: "var(--chart-3)",
  opened: "var(--chart-2)",
  clicked: "var(--chart-1)",
};

/** Figures per local day: bars for one series, lines for several. With nothing to show, `empty` instead of a flat chart. */
export function DailyChart({ days, series, title, empty, testId }: { days: ChartDay[]; series: Series[]; title: string; empty: ReactNode; testId: string }) {
  const t = useTranslations("dashboard.charts");
  const format = useFormatter();
  const labels: Record<Series, string> = { newContacts: t("newContacts"), events: t("eventsSeries"), sent: t("sent"), opened: t("opened"), clicked: t("clicked") };
  const config: ChartConfig = Object.fromEntries(series.map((key) => [key, { label: labels[key], color: colors[key] }]));
  const total = days.reduce((sum, day) => sum + series.reduce((n, key) => n + day[key], 0), 0);
  if (total === 0) {
    return (
      <div data-testid={`${testId}-empty`} className="text-muted-foreground flex h-56 flex-col items-center justify-center gap-3 rounded-lg border border-dashed p-6 text-center text-sm">
        {empty}
      </div>
    );
  }
  // Dates as UTC midnight, formatted in UTC: the day is already the workspace's local one.
  const date = (value: string) => new Date(`${value}T00:00:00Z`);
  const short = (value: string) => format.dateTime(date(value), { month: "short", day: "numeric", timeZone: "UTC" });
  const long = (value: string) => format.dateTime(date(value), { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
  const compact = (value: number) => format.number(value, { notation: "compact", maximumFractionDigits: 1 });
  const summary = series.map((key) => t("summary", { title: labels[key], total: format.number(days.reduce((n, entry) => n + entry[key], 0)), days: days.length })).join("; ");
  const axes = (
    <>
      <CartesianGrid vertical={false} />
      <XAxis dataKey="day" tickFormatter={short} tickLine={false} axisLine={false} minTickGap={24} tickMargin={8} />
      <YAxis allowDecimals={false} tickFormatter={compact} tickLine={false} axisLine={false} width={44} />
      <ChartTooltip
        cursor={series.length === 1 ? { fill: "var(--muted)", opacity: 0.6 } : { stroke: "var(--border)" }}
        content={({ active, payload, label }) => <DayTooltip active={active} payload={payload} config={config} label={long(String(label))} />}
      />
    </>
  );
  return (
    <div className="grid gap-3">
      <ChartContainer config={config} className="aspect-auto h-56 w-full" data-testid={testId} role="img" aria-label={`${title}. ${summary}`}>
        {series.length === 1 ? (
          <BarChart data={days} margin={{ left: 0, right: 8, top: 8 }}>
            {axes}
            <Bar dataKey={series[0]} fill={`var(--color-${series[0]})`} radius={[3, 3, 0, 0]} maxBarSize={32} isAnimationActive={false} />
          </BarChart>
        ) : (
          <LineChart data={days} margin={{ left: 0, right: 8, top: 8 }}>
            {axes}
            {series.map((key) => (
              <Line key={key} dataKey={key} type="linear" stroke={`var(--color-${key})`} strokeWidth={2} dot={days.length <= 14 ? { r: 2 } : false} isAnimationActive={false} />
            ))}
          </LineChart>
        )}
      </ChartContainer>
      {series.length > 1 ? (
        <ul className="flex flex-wrap justify-center gap-4 text-xs" aria-hidden>
          {series.map((key) => (
            <li key={key} className="flex items-center gap-1.5">
              <span className="size-2.5 rounded-[2px]" style={{ background: colors[key] }} />
              {labels[key]}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function DayTooltip({ active, payload, label, config }: { active?: boolean; payload?: ReadonlyArray<{ dataKey?: unknown; value?: unknown }>; config: ChartConfig; label: string }) {
  const format = useFormatter();
  if (!active || !payload?.length) return null;
  return (
    <div className="bg-background grid min-w-36 gap-1 rounded-lg border px-2.5 py-1.5 text-xs shadow-xl">
      <div className="font-medium">{label}</div>
      {payload.map((item) => {
        const key = String(item.dataKey);
        return (
          <div key={key} className="flex items-center gap-2">
            <span className="size-2.5 rounded-[2px]" style={{ background: config[key]?.color }} />
            <span className="text-muted-foreground">{config[key]?.label}</span>
            <span className="ml-auto font-mono font-medium tabular-nums">{format.number(Number(item.value ?? 0))}</span>
          </div>
        );
      })}
    </div>
  );
}
