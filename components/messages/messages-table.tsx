import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { MessageLogRow } from "@/lib/messages/log";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { contactLabel } from "@/components/contacts/contact-label";
import { StatusBadge } from "./status-badge";

export async function MessagesTable({ rows, slug, timeZone, compact }: { rows: MessageLogRow[]; slug: string; timeZone: string; compact?: boolean }) {
  const t = await getTranslations("messages");
  const format = await getFormatter();
  const base = `/w/${slug}`;
  return (
    <Table data-testid="messages-table">
      <TableHeader>
        <TableRow>
          <TableHead className="pl-4">{t("columns.time")}</TableHead>
          {!compact ? <TableHead>{t("columns.contact")}</TableHead> : null}
          <TableHead>{t("columns.channel")}</TableHead>
          <TableHead>{t("columns.template")}</TableHead>
          <TableHead>{t("columns.subject")}</TableHead>
          <TableHead className="pr-4">{t("columns.status")}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const label = row.contact ? contactLabel(row.contact) : undefined;
          const contactText = label ? (label.kind === "anonymous" ? `${t("anonymous")} ${label.shortId}` : label.text) : undefined;
          return (
            <TableRow key={row.id} data-testid="message-row" data-message-id={row.id}>
              <TableCell className="pl-4 align-top whitespace-nowrap">
                <Link href={`${base}/messages/${row.id}`} className="hover:underline" title={`${row.createdAt.toISOString()} (${timeZone})`}>
                  <time dateTime={row.createdAt.toISOString()}>
                    {format.dateTime(row.createdAt, { dateStyle: "medium", timeStyle: "short", timeZone })}
                  </time>
                </Link>
              </TableCell>
              {!compact ? (
                <TableCell className="max-w-56 align-top">
                  {row.contact ? (
                    <Link href={`${base}/contacts/${row.contact.id}`} className="block truncate font-medium hover:underline">
                      {contactText}
                    </Link>
                  ) : null}
                  {row.toAddress && row.toAddress !== contactText ? (
                    <span className="text-muted-foreground block truncate text-xs">{row.toAddress}</span>
                  ) : null}
                  {!row.contact && !row.toAddress ? <span className="text-muted-foreground">—</span> : null}
                </TableCell>
              ) : null}
              <TableCell className="align-top">{t(`channels.${row.channel}`)}</TableCell>
              <TableCell className="max-w-48 align-top">
                {row.templateId ? (
                  <Link href={`${base}/templates/${row.templateId}`} className="block truncate hover:underline">
                    {row.templateName ?? t("deletedTemplate")}
                    {row.templateVersion ? <span className="text-muted-foreground"> · v{row.templateVersion}</span> : null}
                  </Link>
                ) : (
                  <span className="text-muted-foreground">—</span>
                )}
              </TableCell>
              <TableCell className="max-w-72 align-top">
                <Link href={`${base}/messages/${row.id}`} className="block truncate hover:underline">
                  {row.subject || <span className="text-muted-foreground">{t("noSubject")}</span>}
                </Link>
              </TableCell>
              <TableCell className="pr-4 align-top">
                <StatusBadge status={row.status} reason={row.statusReason} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
