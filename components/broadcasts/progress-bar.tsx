"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { Progress } from "@/lib/broadcasts/stats";
import { cn } from "@/lib/utils";

const parts = [
  { key: "sent", className: "bg-emerald-500" },
  { key: "suppressed", className: "bg-amber-400" },
  { key: "failed", className: "bg-red-500" },
  { key: "cancelled", className: "bg-zinc-400" },
] as const;

/** How much of the audience is handled: sent, suppressed, failed and cancelled of the total; the rest is waiting. */
export function ProgressBar({ progress, compact = false, className }: { progress: Progress; compact?: boolean; className?: string }) {
  const t = useTranslations("broadcasts.progress");
  const format = useFormatter();
  const handled = progress.sent + progress.suppressed + progress.failed + progress.cancelled;
  const total = Math.max(progress.total ?? 0, handled + progress.queued);
  const done = total > 0 && progress.queued === 0;
  const share = (n: number) => (total > 0 ? (n / total) * 100 : 0);
  return (
    <div className={cn("grid gap-2", className)} data-testid="broadcast-progress" data-done={done} data-total={total} data-sent={progress.sent}>
      <div
        className={cn("bg-muted flex w-full overflow-hidden rounded-full", compact ? "h-1.5" : "h-3")}
        role="progressbar"
        aria-label={t("label")}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={handled}
      >
        {parts.map((part) =>
          progress[part.key] > 0 ? <div key={part.key} className={cn("h-full transition-all", part.className)} style={{ width: `${share(progress[part.key])}%` }} /> : null,
        )}
      </div>
      {compact ? (
        <span className="text-muted-foreground text-xs tabular-nums">{t("handledOf", { handled: format.number(handled), total: format.number(total) })}</span>
      ) : (
        <div className="text-muted-foreground flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <span className="text-foreground font-medium tabular-nums" data-testid="progress-summary">
            {done ? t("done", { total: format.number(total) }) : t("handledOf", { handled: format.number(handled), total: format.number(total) })}
          </span>
          <Legend className="bg-zinc-200 dark:bg-zinc-700" label={t("queued")} value={format.number(progress.queued)} />
          {parts.map((part) => (
            <Legend key={part.key} className={part.className} label={t(part.key)} value={format.number(progress[part.key])} testId={`progress-${part.key}`} />
          ))}
        </div>
      )}
    </div>
  );
}

function Legend({ className, label, value, testId }: { className: string; label: string; value: string; testId?: string }) {
  return (
    <span className="inline-flex items-center gap-1.5" data-testid={testId}>
      <span className={cn("size-2.5 rounded-[2px]", className)} aria-hidden />
      {label} <span className="text-foreground tabular-nums">{value}</span>
    </span>
  );
}
