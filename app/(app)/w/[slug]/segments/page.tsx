import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { FilterIcon, PlusIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listSegments } from "@/lib/segments/manage";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { EmptyState } from "@/components/shell/empty-state";

export const metadata: Metadata = { title: "Segments" };

export default async function SegmentsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("segments");
  const format = await getFormatter();
  const segments = await listSegments(db, workspace.id);
  const base = `/w/${workspace.slug}/segments`;
  const canEdit = hasRole(role, "marketer");

  return (
    <>
      <PageHeader title={t("list.title")} description={t("list.description")} />
      <div className="grid gap-4 p-6">
        {segments.length === 0 ? (
          <EmptyState
            testId="segments-empty"
            icon={FilterIcon}
            title={t("empty.title")}
            body={
              <>
                <p>{t("empty.body")}</p>
                <p>{t("empty.examples")}</p>
              </>
            }
          >
              {canEdit ? (
                <Button asChild>
                  <Link href={`${base}/new`}>
                    <PlusIcon />
                    {t("list.new")}
                  </Link>
                </Button>
              ) : (
                <p className="text-muted-foreground text-sm">{t("empty.askMarketer")}</p>
              )}
          </EmptyState>
        ) : (
          <>
            {canEdit ? (
              <div className="flex justify-end">
                <Button asChild>
                  <Link href={`${base}/new`}>
                    <PlusIcon />
                    {t("list.new")}
                  </Link>
                </Button>
              </div>
            ) : null}
            <Card className="py-0">
              <CardContent className="px-0">
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">{t("list.name")}</TableHead>
                      <TableHead>{t("list.kind")}</TableHead>
                      <TableHead className="text-right">{t("list.members")}</TableHead>
                      <TableHead className="pr-4">{t("list.computed")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {segments.map((segment) => (
                      <TableRow key={segment.id}>
                        <TableCell className="pl-4">
                          <Link href={`${base}/${segment.id}`} className="font-medium hover:underline">
                            {segment.name}
                          </Link>
                          {segment.description ? <p className="text-muted-foreground max-w-md truncate text-xs">{segment.description}</p> : null}
                          {segment.error ? <p className="text-destructive text-xs">{t("list.error", { error: segment.error })}</p> : null}
                        </TableCell>
                        <TableCell>
                          <Badge variant={segment.kind === "dynamic" ? "secondary" : "outline"}>{t(`kinds.${segment.kind}`)}</Badge>
                        </TableCell>
                        <TableCell className="text-right tabular-nums">{format.number(segment.memberCount)}</TableCell>
                        <TableCell className="text-muted-foreground pr-4 text-sm">
                          {segment.computedAt ? <DateTime value={segment.computedAt} timeZone={workspace.timezone} /> : t("list.pending")}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </CardContent>
            </Card>
          </>
        )}
      </div>
    </>
  );
}
