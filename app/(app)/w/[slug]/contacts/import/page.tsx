import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ChevronLeftIcon, FileSpreadsheetIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listImports } from "@/lib/imports/queries";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { ImportSteps } from "@/components/imports/import-steps";
import { StatusBadge } from "@/components/imports/status-badge";
import { UploadDropzone } from "@/components/imports/upload-dropzone";

export const metadata: Metadata = { title: "Import contacts" };

export default async function ImportsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("imports");
  const format = await getFormatter();
  const past = await listImports(db, workspace.id);
  const canImport = hasRole(role, "marketer");

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6 p-6">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <Button asChild variant="ghost" size="sm" className="-ml-2">
            <Link href={`/w/${workspace.slug}/contacts`}>
              <ChevronLeftIcon />
              {t("backToContacts")}
            </Link>
          </Button>
          {canImport ? <ImportSteps current="upload" /> : null}
        </div>
        {canImport ? (
          <Card>
            <CardHeader>
              <CardTitle>{t("upload.title")}</CardTitle>
              <CardDescription>{t("upload.description")}</CardDescription>
            </CardHeader>
            <CardContent>
              <UploadDropzone workspaceId={workspace.id} slug={workspace.slug} />
            </CardContent>
          </Card>
        ) : (
          <p className="text-muted-foreground text-sm">{t("upload.viewerNote")}</p>
        )}
        <Card>
          <CardHeader>
            <CardTitle>{t("history.title")}</CardTitle>
          </CardHeader>
          <CardContent className={past.length > 0 ? "px-0" : undefined}>
            {past.length === 0 ? (
              <div className="text-muted-foreground flex flex-col items-center gap-2 rounded-lg border border-dashed p-8 text-center text-sm">
                <FileSpreadsheetIcon className="size-6" aria-hidden />
                {t("history.empty")}
              </div>
            ) : (
              <Table data-testid="import-history">
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-6">{t("history.file")}</TableHead>
                    <TableHead>{t("history.status")}</TableHead>
                    <TableHead className="text-right">{t("history.rows")}</TableHead>
                    <TableHead className="text-right">{t("history.created")}</TableHead>
                    <TableHead className="text-right">{t("history.updated")}</TableHead>
                    <TableHead className="text-right">{t("history.unchanged")}</TableHead>
                    <TableHead className="text-right">{t("history.skipped")}</TableHead>
                    <TableHead className="text-right">{t("history.errors")}</TableHead>
                    <TableHead>{t("history.by")}</TableHead>
                    <TableHead className="pr-6">{t("history.when")}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {past.map((item) => (
                    <TableRow key={item.id}>
                      <TableCell className="max-w-64 truncate pl-6 font-medium">
                        <Link className="hover:underline" href={`/w/${workspace.slug}/contacts/import/${item.id}`}>
                          {item.fileName}
                        </Link>
                      </TableCell>
                      <TableCell>
                        <StatusBadge status={item.status} />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{format.number(item.processedRows)}</TableCell>
                      <TableCell className="text-right tabular-nums">{format.number(item.createdCount)}</TableCell>
                      <TableCell className="text-right tabular-nums">{format.number(item.updatedCount)}</TableCell>
                      <TableCell className="text-right tabular-nums">{format.number(item.unchangedCount)}</TableCell>
                      <TableCell className="text-right tabular-nums">{format.number(item.skippedCount)}</TableCell>
                      <TableCell className="text-right tabular-nums">
                        {item.errorCount > 0 ? <Badge variant="destructive">{format.number(item.errorCount)}</Badge> : 0}
                      </TableCell>
                      <TableCell className="text-muted-foreground max-w-48 truncate">{item.createdBy ?? ""}</TableCell>
                      <TableCell className="pr-6">
                        <DateTime value={item.createdAt} timeZone={workspace.timezone} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
