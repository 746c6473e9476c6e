"use client";

import { useTranslations } from "next-intl";
import type { BroadcastStatus } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

const tone: Record<BroadcastStatus, string> = {
  draft: "border-border bg-muted text-muted-foreground",
  scheduled: "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300",
  sending: "border-indigo-500/40 bg-indigo-500/10 text-indigo-800 dark:text-indigo-300",
  paused: "border-amber-500/40 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  sent: "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  cancelled: "border-border bg-muted text-muted-foreground line-through",
};

export function BroadcastStatusBadge({ status, className }: { status: BroadcastStatus; className?: string }) {
  const t = useTranslations("broadcasts.statuses");
  return (
    <Badge variant="outline" className={cn(tone[status], className)} data-testid="broadcast-status" data-status={status}>
      {status === "sending" ? <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
      {t(status)}
    </Badge>
  );
}
