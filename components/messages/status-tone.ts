import type { MessageStatus } from "@/db/schema";

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
  cancelled: "border-border bg-muted text-muted-foreground line-through",
};

/** The badge colours of a status (a plain module: server pages use it too). */
export function statusTone(status: MessageStatus): string {
  return tone[status];
}

