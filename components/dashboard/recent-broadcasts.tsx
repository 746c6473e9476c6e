import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { MegaphoneIcon } from "lucide-react";
import type { BroadcastStatus } from "@/db/schema";
import type { RecentBroadcast } from "@/lib/dashboard/stats";
import { EmptyState } from "@/components/shell/empty-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";

const tone: Record<BroadcastStatus, string> = {
  draft: "border-border bg-muted text-muted-foreground",
  scheduled: "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300",
  sending: "border-amber-500/40 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  paused: "border-amber-500/40 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  sent: "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  cancelled: "border-border bg-muted text-muted-foreground line-through",
};

export async function RecentBroadcasts({ broadcasts, base, timeZone }: { broadcasts: RecentBroadcast[]; base: string; timeZone: string }) {
  const t = await getTranslations("dashboard.broadcasts");
  const format = await getFormatter();
  if (broadcasts.length === 0) {
    return (
      <EmptyState bare icon={MegaphoneIcon} title={t("empty")} body={t("emptyBody")} testId="recent-broadcasts-empty">
        <Button asChild size="sm" variant="outline">
          <Link href={`${base}/broadcasts`}>{t("all")}</Link>
        </Button>
      </EmptyState>
    );
  }
  const percent = (value: number, sent: number) => (sent > 0 ? format.number(value, { style: "percent", maximumFractionDigits: 1 }) : "—");
  return (
    <Table data-testid="recent-broadcasts">
      <TableHeader>
        <TableRow>
          <TableHead>{t("name")}</TableHead>
          <TableHead>{t("status")}</TableHead>
          <TableHead className="text-right">{t("sent")}</TableHead>
          <TableHead className="text-right">{t("openRate")}</TableHead>
          <TableHead className="text-right">{t("clickRate")}</TableHead>
          <TableHead>{t("date")}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {broadcasts.map((broadcast) => (
          <TableRow key={broadcast.id}>
            <TableCell className="max-w-72 truncate font-medium">
              <Link href={`${base}/broadcasts/${broadcast.id}`} className="hover:underline" title={broadcast.name}>
                {broadcast.name}
              </Link>
            </TableCell>
            <TableCell>
              <Badge variant="outline" className={tone[broadcast.status]} data-status={broadcast.status}>
                {t(`statuses.${broadcast.status}`)}
              </Badge>
            </TableCell>
            <TableCell className="text-right tabular-nums">{format.number(broadcast.sent)}</TableCell>
            <TableCell className="text-right tabular-nums">{percent(broadcast.openRate, broadcast.delivered)}</TableCell>
            <TableCell className="text-right tabular-nums">{percent(broadcast.clickRate, broadcast.delivered)}</TableCell>
            <TableCell className="text-muted-foreground whitespace-nowrap">
              <DateTime value={broadcast.at} timeZone={timeZone} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
