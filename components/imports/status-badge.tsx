import { useTranslations } from "next-intl";
import type { ImportStatus } from "@/db/schema";
import { Badge } from "@/components/ui/badge";

const variant: Record<ImportStatus, "default" | "secondary" | "destructive" | "outline"> = {
  uploading: "outline",
  draft: "outline",
  queued: "secondary",
  running: "secondary",
  done: "default",
  failed: "destructive",
};

export function StatusBadge({ status }: { status: ImportStatus }) {
  const t = useTranslations("imports.status");
  return <Badge variant={variant[status]}>{t(status)}</Badge>;
}
