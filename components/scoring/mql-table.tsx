import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { MqlRow } from "@/lib/scoring/views";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";

/** Contacts at stage MQL, newest first, with their hand-off task. */
export async function MqlTable({ rows, slug, timeZone }: { rows: MqlRow[]; slug: string; timeZone: string }) {
  const t = await getTranslations("scoring.mql");
  const format = await getFormatter();
  if (rows.length === 0) return <p className="text-muted-foreground text-sm">{t("empty")}</p>;
  return (
    <Table data-testid="mql-table">
      <TableHeader>
        <TableRow>
          <TableHead className="pl-6">{t("contact")}</TableHead>
          <TableHead className="text-right">{t("score")}</TableHead>
          <TableHead className="text-right">{t("parts")}</TableHead>
          <TableHead>{t("since")}</TableHead>
          <TableHead className="pr-6">{t("task")}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id}>
            <TableCell className="max-w-64 pl-6">
              <Link href={`/w/${slug}/contacts/${row.id}`} className="block truncate font-medium hover:underline">
                {row.name ?? row.email ?? row.externalId ?? row.id.slice(0, 8)}
              </Link>
              {row.name && row.email ? <span className="text-muted-foreground block truncate text-xs">{row.email}</span> : null}
            </TableCell>
            <TableCell className="text-right font-semibold tabular-nums">{format.number(row.score)}</TableCell>
            <TableCell className="text-muted-foreground text-right tabular-nums">
              {format.number(row.fit)} / {format.number(row.engagement)}
            </TableCell>
            <TableCell className="text-sm">{row.since ? <DateTime value={row.since} timeZone={timeZone} /> : "—"}</TableCell>
            <TableCell className="pr-6">
              {row.taskStatus ? <Badge variant={row.taskStatus === "open" ? "default" : "secondary"}>{t(`taskStatus.${row.taskStatus as "open" | "done" | "cancelled"}`)}</Badge> : t("noTask")}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
