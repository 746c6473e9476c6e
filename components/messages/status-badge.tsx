"use client";

import { useTranslations } from "next-intl";
import type { MessageStatus } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { statusTone } from "./status-tone";

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
      <Badge variant="outline" className={statusTone(status)} data-testid="status-badge" data-status={status}>
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
