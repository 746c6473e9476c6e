import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LayoutTemplateIcon, PlusIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listTemplates } from "@/lib/messages/templates";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { EmptyState } from "@/components/shell/empty-state";

export const metadata: Metadata = { title: "Templates" };

export default async function TemplatesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("templates");
  const templates = await listTemplates(db, workspace.id);
  const base = `/w/${workspace.slug}/templates`;
  const canEdit = hasRole(role, "marketer");
  const newButton = (
    <Button asChild>
      <Link href={`${base}/new`}>
        <PlusIcon />
        {t("list.new")}
      </Link>
    </Button>
  );

  return (
    <>
      <PageHeader title={t("list.title")} description={t("list.description")} />
      <div className="grid gap-4 p-6">
        {templates.length === 0 ? (
          <EmptyState testId="templates-empty" icon={LayoutTemplateIcon} title={t("empty.title")} body={t("empty.body")}>
            {canEdit ? newButton : <p className="text-muted-foreground text-sm">{t("empty.askMarketer")}</p>}
          </EmptyState>
        ) : (
          <>
            {canEdit ? <div className="flex justify-end">{newButton}</div> : null}
            <Card className="py-0">
              <CardContent className="px-0">
                <Table data-testid="templates-table">
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">{t("list.name")}</TableHead>
                      <TableHead>{t("list.channel")}</TableHead>
                      <TableHead>{t("list.kind")}</TableHead>
                      <TableHead className="text-right">{t("list.version")}</TableHead>
                      <TableHead className="pr-4">{t("list.updated")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {templates.map((template) => (
                      <TableRow key={template.id}>
                        <TableCell className="pl-4">
                          <Link href={`${base}/${template.id}`} className="font-medium hover:underline">
                            {template.name}
                          </Link>
                        </TableCell>
                        <TableCell>
                          <span className="flex items-center gap-2">
                            {t(`channels.${template.channel}`)}
                            <Badge variant="outline">{t(`formats.${template.format}`)}</Badge>
                          </span>
                        </TableCell>
                        <TableCell>
                          <Badge variant={template.kind === "marketing" ? "secondary" : "outline"}>{t(`kinds.${template.kind}`)}</Badge>
                        </TableCell>
                        <TableCell className="text-right tabular-nums">v{template.currentVersion}</TableCell>
                        <TableCell className="text-muted-foreground pr-4 text-sm">
                          <DateTime value={template.updatedAt} timeZone={workspace.timezone} />
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
