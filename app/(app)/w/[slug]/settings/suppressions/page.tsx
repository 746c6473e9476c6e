import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { BanIcon, DownloadIcon, SearchIcon, Trash2Icon } from "lucide-react";
import { requireWorkspace } from "@/lib/auth/session";
import { listSuppressions } from "@/lib/messages/suppressions";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ActionButton } from "@/components/form/action-button";
import { DateTime } from "@/components/settings/date-time";
import { AddSuppressionForm } from "@/components/suppressions/add-suppression-form";
import { addSuppressionAction, removeSuppressionAction } from "./actions";
import { EmptyState } from "@/components/shell/empty-state";

export const metadata: Metadata = { title: "Suppression list" };

const reasonVariant = { hard_bounce: "destructive", complaint: "destructive", unsubscribed: "secondary", manual: "outline" } as const;

export default async function SuppressionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ q?: string; cursor?: string }>;
}) {
  const { slug } = await params;
  const { q, cursor } = await searchParams;
  const { db, workspace } = await requireWorkspace(slug, "admin");
  const t = await getTranslations("topics");
  const base = `/w/${workspace.slug}/settings/suppressions`;
  let page;
  try {
    page = await listSuppressions(db, { workspaceId: workspace.id, q: q || undefined, cursor: cursor || undefined, limit: 50 });
  } catch {
    page = await listSuppressions(db, { workspaceId: workspace.id, q: q || undefined, limit: 50 });
  }
  const query = (extra: Record<string, string>) => `${base}?${new URLSearchParams({ ...(q ? { q } : {}), ...extra })}`;

  return (
    <>
      <PageHeader title={t("suppressions.title")} description={t("suppressions.description")} />
      <div className="grid gap-6 p-6">
        <Card>
          <CardHeader>
            <CardTitle>{t("suppressions.addTitle")}</CardTitle>
            <CardDescription>{t("suppressions.addDescription")}</CardDescription>
          </CardHeader>
          <CardContent>
            <AddSuppressionForm workspaceId={workspace.id} action={addSuppressionAction} />
          </CardContent>
        </Card>

        <Card>
          <CardHeader className="grid gap-3 sm:flex sm:flex-row sm:items-center sm:justify-between">
            <form method="get" action={base} role="search" className="flex w-full max-w-md items-center gap-2">
              <label htmlFor="suppression-search" className="sr-only">
                {t("suppressions.search")}
              </label>
              <Input id="suppression-search" name="q" type="search" defaultValue={q ?? ""} placeholder={t("suppressions.searchPlaceholder")} />
              <Button type="submit" variant="outline" size="icon" aria-label={t("suppressions.search")}>
                <SearchIcon />
              </Button>
            </form>
            <Button asChild variant="outline" size="sm">
              <a href={`${base}/export${q ? `?${new URLSearchParams({ q })}` : ""}`} download>
                <DownloadIcon />
                {t("suppressions.export")}
              </a>
            </Button>
          </CardHeader>
          <CardContent>
            {page.suppressions.length === 0 ? (
              <EmptyState
                bare
                testId="suppressions-empty"
                icon={BanIcon}
                title={q ? t("suppressions.noMatchTitle") : t("suppressions.emptyTitle")}
                body={q ? t("suppressions.noMatchBody", { q }) : t("suppressions.emptyBody")}
              >
                {q ? (
                  <Button asChild variant="outline" size="sm">
                    <Link href={base}>{t("suppressions.clearSearch")}</Link>
                  </Button>
                ) : null}
              </EmptyState>
            ) : (
              <Table data-testid="suppressions">
                <TableHeader>
                  <TableRow>
                    <TableHead>{t("suppressions.address")}</TableHead>
                    <TableHead>{t("suppressions.channel")}</TableHead>
                    <TableHead>{t("suppressions.reason")}</TableHead>
                    <TableHead>{t("suppressions.added")}</TableHead>
                    <TableHead className="text-right">
                      <span className="sr-only">{t("actions")}</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.suppressions.map((row) => (
                    <TableRow key={`${row.channel}:${row.address}`} data-address={row.address}>
                      <TableCell className="max-w-sm">
                        <div className="font-mono text-sm break-all whitespace-normal">{row.address}</div>
                        {row.details ? <div className="text-muted-foreground text-xs whitespace-normal">{row.details}</div> : null}
                      </TableCell>
                      <TableCell>{t(`suppressions.channels.${row.channel}` as "suppressions.channels.email")}</TableCell>
                      <TableCell>
                        <Badge variant={reasonVariant[row.reason]}>{t(`suppressions.reasons.${row.reason}` as "suppressions.reasons.manual")}</Badge>
                      </TableCell>
                      <TableCell className="text-muted-foreground">
                        <DateTime value={row.createdAt} timeZone={workspace.timezone} />
                      </TableCell>
                      <TableCell className="text-right">
                        <ActionButton
                          action={removeSuppressionAction}
                          fields={{ workspaceId: workspace.id, channel: row.channel, address: row.address }}
                          successMessage={t("suppressions.removedToast")}
                          confirm={t(row.reason === "hard_bounce" || row.reason === "complaint" ? "suppressions.removeRiskyConfirm" : "suppressions.removeConfirm", { address: row.address })}
                          variant="ghost"
                          size="sm"
                          aria-label={t("suppressions.removeNamed", { address: row.address })}
                        >
                          <Trash2Icon />
                          {t("suppressions.remove")}
                        </ActionButton>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {cursor || page.nextCursor ? (
              <nav className="mt-4 flex justify-end gap-2" aria-label={t("suppressions.pages")}>
                {cursor ? (
                  <Button asChild variant="outline" size="sm">
                    <Link href={query({})}>{t("suppressions.firstPage")}</Link>
                  </Button>
                ) : null}
                {page.nextCursor ? (
                  <Button asChild variant="outline" size="sm">
                    <Link href={query({ cursor: page.nextCursor })}>{t("suppressions.nextPage")}</Link>
                  </Button>
                ) : null}
              </nav>
            ) : null}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
