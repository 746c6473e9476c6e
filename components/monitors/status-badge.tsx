"use client";

import { useTranslations } from "next-intl";
import type { MonitorStatus } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

const tone: Record<MonitorStatus, string> = {
  draft: "border-border bg-muted text-muted-foreground",
  active: "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  paused: "border-amber-500/40 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  archived: "border-border bg-muted text-muted-foreground line-through",
};

export function MonitorStatusBadge({ status, className }: { status: MonitorStatus; className?: string }) {
  const t = useTranslations("monitors.statuses");
  return (
    <Badge variant="outline" className={cn(tone[status], className)} data-testid="monitor-status" data-status={status}>
      {status === "active" ? <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
      {t(status)}
    </Badge>
  );
}
