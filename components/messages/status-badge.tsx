"use client";

import { useTranslations } from "next-intl";
import type { MessageStatus } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

const tone: Record<MessageStatus, string> = {
  queued: "border-border bg-muted text-muted-foreground",
  sending: "border-border bg-muted text-muted-foreground",
  suppressed: "border-amber-500/40 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  sent: "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300",
  delivered: "border-teal-500/40 bg-teal-500/10 text-teal-800 dark:text-teal-300",
  opened: "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  clicked: "border-emerald-600/50 bg-emerald-600/15 text-emerald-900 dark:text-emerald-200",
  bounced: "border-red-500/40 bg-red-500/10 text-red-800 dark:text-red-300",
  complained: "border-red-500/40 bg-red-500/10 text-red-800 dark:text-red-300",
  failed: "border-red-500/40 bg-red-500/10 text-red-800 dark:text-red-300",
};

export function statusTone(status: MessageStatus): string {
  return tone[status];
}

/** A reason code (`suppressed:hard_bounce`, `quiet_hours`) in words, or as given when it is a provider's text. */
export function useReasonText() {
  const t = useTranslations("messages.reasons");
  return (reason: string | null | undefined) => {
    if (!reason) return undefined;
    const key = reason.replaceAll(":", "_").replaceAll(".", "_");
    return t.has(key as never) ? t(key as never) : reason;
  };
}

export function StatusBadge({ status, reason, className }: { status: MessageStatus; reason?: string | null; className?: string }) {
  const t = useTranslations("messages.statuses");
  const reasonText = useReasonText()(reason);
  return (
    <span className={cn("inline-flex max-w-full flex-col gap-0.5", className)}>
      <Badge variant="outline" className={tone[status]} data-testid="status-badge" data-status={status}>
        {t(status)}
      </Badge>
      {reasonText ? (
        <span className="text-muted-foreground max-w-56 truncate text-xs" title={reasonText} data-testid="status-reason">
          {reasonText}
        </span>
      ) : null}
    </span>
  );
}
