import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ActivityIcon, PlusIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listMonitors } from "@/lib/monitors/manage";
import { listTemplates } from "@/lib/messages/templates";
import { listCampaigns } from "@/lib/rewards/coupons";
import { rewardSettingsOf } from "@/lib/rewards/points";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { describeAction, describeLimit, describeMonitor, type ActionNames } from "@/components/monitors/describe";
import { ExampleCards } from "@/components/monitors/example-cards";
import { MonitorStatusBadge } from "@/components/monitors/status-badge";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Monitors" };

export default async function MonitorsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("monitors");
  const format = await getFormatter();
  const base = `/w/${workspace.slug}/monitors`;
  const canEdit = hasRole(role, "marketer");
  const [monitors, campaigns, templates, settings] = await Promise.all([
    listMonitors(db, workspace.id),
    listCampaigns(db, workspace.id),
    listTemplates(db, workspace.id),
    rewardSettingsOf(db, workspace.id),
  ]);
  const names: ActionNames = {
    campaigns: new Map(campaigns.map((campaign) => [campaign.id, campaign.name])),
    templates: new Map(templates.map((template) => [template.id, template.name])),
    pointsName: settings.pointsName,
  };
  // Archived ones go last: they no longer watch anything.
  const shown = [...monitors.filter((monitor) => monitor.status !== "archived"), ...monitors.filter((monitor) => monitor.status === "archived")];

  return (
    <>
      <PageHeader title={t("list.title")} description={t("list.description")} />
      <div className="grid gap-4 p-6">
        {monitors.length === 0 ? (
          <EmptyState testId="monitors-empty" icon={ActivityIcon} title={t("empty.title")} body={t("empty.body")}>
            {canEdit ? (
              <>
                <ExampleCards slug={workspace.slug} />
                <Button asChild variant="outline">
                  <Link href={`${base}/new`}>
                    <PlusIcon />
                    {t("empty.scratch")}
                  </Link>
                </Button>
              </>
            ) : (
              <p className="text-muted-foreground text-sm">{t("empty.askMarketer")}</p>
            )}
          </EmptyState>
        ) : (
          <>
            {canEdit ? (
              <div className="flex flex-wrap items-center justify-end gap-2">
                <Button asChild>
                  <Link href={`${base}/new`}>
                    <PlusIcon />
                    {t("list.new")}
                  </Link>
                </Button>
              </div>
            ) : null}
            <Card className="py-0">
              <CardContent className="overflow-x-auto px-0">
                <Table data-testid="monitors-table">
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">{t("list.name")}</TableHead>
                      <TableHead>{t("list.status")}</TableHead>
                      <TableHead>{t("list.event")}</TableHead>
                      <TableHead>{t("list.rule")}</TableHead>
                      <TableHead>{t("list.actions")}</TableHead>
                      <TableHead className="text-right">{t("list.today")}</TableHead>
                      <TableHead className="pr-4 text-right">{t("list.total")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {shown.map((monitor) => (
                      <TableRow key={monitor.id} data-monitor={monitor.id} className={cn(monitor.status === "archived" && "opacity-60")}>
                        <TableCell className="max-w-72 pl-4">
                          <Link href={`${base}/${monitor.id}`} className="block truncate font-medium hover:underline">
                            {monitor.name}
                          </Link>
                          {monitor.description ? <span className="text-muted-foreground block truncate text-xs">{monitor.description}</span> : null}
                        </TableCell>
                        <TableCell>
                          <MonitorStatusBadge status={monitor.status} />
                        </TableCell>
                        <TableCell>
                          <code className="bg-muted rounded px-1.5 py-0.5 font-mono text-xs">{monitor.event}</code>
                          {monitor.where ? <span className="text-muted-foreground block text-xs">{t("list.filtered")}</span> : null}
                        </TableCell>
                        <TableCell className="max-w-80 text-sm whitespace-normal" data-testid="monitor-rule">
                          {describeMonitor(t, monitor)}
                          <span className="text-muted-foreground block text-xs">{describeLimit(t, monitor.limit)}</span>
                        </TableCell>
                        <TableCell className="max-w-64 text-sm whitespace-normal">
                          {monitor.actions.map((action, index) => (
                            <span key={index} className="block truncate">
                              {describeAction(t, action, names)}
                            </span>
                          ))}
                        </TableCell>
                        <TableCell className="text-right tabular-nums" data-testid="monitor-today">
                          {format.number(monitor.matchesToday)}
                        </TableCell>
                        <TableCell className="pr-4 text-right tabular-nums" data-testid="monitor-total">
                          {format.number(monitor.matches)}
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
