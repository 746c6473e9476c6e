"use client";

import { useEffect, useState } from "react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { CircleAlertIcon, DownloadIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { JsonObject } from "@/db/schema";
import type { ImportStatusView } from "@/lib/imports/queries";
import { reasonKey } from "@/lib/imports/reasons";

export type ImportStatusReply = ImportStatusView & { errors: Array<{ row: number; reason: string; details: JsonObject }> };

const finished = (status: string) => status === "done" || status === "failed";

// Step 3: polls the status route every second until the job is done, then lists the bad rows.
export function ImportProgress({ workspaceId, slug, initial }: { workspaceId: string; slug: string; initial: ImportStatusReply }) {
  const t = useTranslations("imports");
  const format = useFormatter();
  const [status, setStatus] = useState(initial);
  const [pollFailed, setPollFailed] = useState(false);

  useEffect(() => {
    if (finished(status.status)) return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/ui/imports/${status.id}?workspace=${workspaceId}`, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        setStatus((await response.json()) as ImportStatusReply);
        setPollFailed(false);
      } catch {
        setPollFailed(true);
        setStatus((current) => ({ ...current }));
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [status, workspaceId]);

  const percent = Math.round(status.progress * 100);
  const counts = [
    { key: "created", value: status.counts.created },
    { key: "updated", value: status.counts.updated },
    { key: "unchanged", value: status.counts.unchanged },
    { key: "skipped", value: status.counts.skipped },
    { key: "errors", value: status.counts.errors },
  ] as const;
  const failure = status.error && t.has(`failures.${status.error}`) ? t(`failures.${status.error}`) : status.error;
  const reason = (row: ImportStatusReply["errors"][number]) => t(reasonKey(row.reason), row.details as Record<string, string>);

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle data-testid="import-state">{t(`progress.${status.status === "draft" || status.status === "uploading" ? "queued" : status.status}`)}</CardTitle>
          <CardDescription>
            {status.fileName} ·{" "}
            {t("progress.settings", { key: status.matchKey ?? "email", mode: status.onExisting ?? "update" })}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          <div className="grid gap-2">
            <Progress value={percent} aria-label={t("progress.progressLabel")} aria-valuetext={`${percent}%`} />
            <div className="text-muted-foreground flex justify-between text-sm" aria-live="polite">
              <span data-testid="import-rows">{t("progress.rows", { count: status.processedRows })}</span>
              <span data-testid="import-percent">{t("progress.percent", { value: format.number(status.progress, { style: "percent" }) })}</span>
            </div>
          </div>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            {counts.map((count) => (
              <div key={count.key} className="rounded-lg border p-3">
                <dt className="text-muted-foreground text-xs">{t(`progress.${count.key}`)}</dt>
                <dd className="text-xl font-semibold tabular-nums" data-testid={`import-count-${count.key}`}>
                  {format.number(count.value)}
                </dd>
              </div>
            ))}
          </dl>
          {pollFailed ? <p className="text-muted-foreground text-sm">{t("progress.pollFailed")}</p> : null}
          {status.status === "failed" ? (
            <Alert variant="destructive" role="alert">
              <CircleAlertIcon />
              <AlertTitle>{t("progress.failed")}</AlertTitle>
              <AlertDescription>{t("progress.failedBody", { error: failure ?? "" })}</AlertDescription>
            </Alert>
          ) : null}
        </CardContent>
        {finished(status.status) ? (
          <CardFooter className="flex flex-wrap gap-2 border-t">
            <Button asChild>
              <Link href={`/w/${slug}/contacts`}>{t("progress.viewContacts")}</Link>
            </Button>
            <Button asChild variant="outline">
              <Link href={`/w/${slug}/contacts/import`}>{t("progress.importAnother")}</Link>
            </Button>
          </CardFooter>
        ) : null}
      </Card>

      {finished(status.status) && status.counts.errors > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>{t("errorsList.title")}</CardTitle>
            <CardDescription>{t("errorsList.description")}</CardDescription>
          </CardHeader>
          <CardContent className="px-0">
            <Table data-testid="import-errors">
              <TableHeader>
                <TableRow>
                  <TableHead className="w-20 pl-6">{t("errorsList.row")}</TableHead>
                  <TableHead className="pr-6">{t("errorsList.reason")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {status.errors.map((row) => (
                  <TableRow key={row.row}>
                    <TableCell className="pl-6 tabular-nums">{row.row}</TableCell>
                    <TableCell className="pr-6 whitespace-normal">{reason(row)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
          <CardFooter className="flex flex-wrap items-center justify-between gap-2 border-t">
            <span className="text-muted-foreground text-sm">
              {status.counts.errors > status.errors.length
                ? t("errorsList.showing", { shown: format.number(status.errors.length), total: format.number(status.counts.errors) })
                : null}
            </span>
            <Button asChild variant="outline">
              <a href={`/api/ui/imports/${status.id}/errors?workspace=${workspaceId}`} download>
                <DownloadIcon />
                {t("errorsList.download")}
              </a>
            </Button>
          </CardFooter>
        </Card>
      ) : null}
    </div>
  );
}
