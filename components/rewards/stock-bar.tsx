"use client";

import { useFormatter, useTranslations } from "next-intl";
import { cn } from "@/lib/utils";

/** A campaign's codes: redeemed, issued and not yet redeemed, and still available, as one bar and a legend. */
export function StockBar({ available, issued, redeemed, compact = false, className }: { available: number; issued: number; redeemed: number; compact?: boolean; className?: string }) {
  const t = useTranslations("rewards.stock");
  const format = useFormatter();
  const total = available + issued;
  const share = (n: number) => (total > 0 ? (n / total) * 100 : 0);
  const parts = [
    { key: "redeemed", value: redeemed, className: "bg-emerald-500" },
    { key: "issued", value: issued - redeemed, className: "bg-sky-500" },
  ] as const;
  return (
    <div className={cn("grid gap-1.5", className)} data-testid="stock" data-available={available} data-issued={issued} data-redeemed={redeemed}>
      <div
        className={cn("bg-muted flex w-full overflow-hidden rounded-full", compact ? "h-1.5" : "h-3")}
        role="progressbar"
        aria-label={t("label")}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={issued}
        aria-valuetext={t("summary", { issued: format.number(issued), total: format.number(total) })}
      >
        {parts.map((part) => (part.value > 0 ? <div key={part.key} className={cn("h-full", part.className)} style={{ width: `${share(part.value)}%` }} /> : null))}
      </div>
      <div className={cn("text-muted-foreground flex flex-wrap gap-x-3 gap-y-0.5 tabular-nums", compact ? "text-xs" : "text-sm")}>
        <Legend className="bg-muted-foreground/30" label={t("available")} value={format.number(available)} testId="stock-available" />
        <Legend className="bg-sky-500" label={t("issued")} value={format.number(issued)} testId="stock-issued" />
        <Legend className="bg-emerald-500" label={t("redeemed")} value={format.number(redeemed)} testId="stock-redeemed" />
      </div>
    </div>
  );
}

function Legend({ className, label, value, testId }: { className: string; label: string; value: string; testId: string }) {
  return (
    <span className="inline-flex items-center gap-1.5" data-testid={testId}>
      <span className={cn("size-2.5 rounded-[2px]", className)} aria-hidden />
      {label} <span className="text-foreground">{value}</span>
    </span>
  );
}
