import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ArrowLeftIcon, ListChecksIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listMatches, listMonitors } from "@/lib/monitors/manage";
import { listTemplates } from "@/lib/messages/templates";
import { listCampaigns } from "@/lib/rewards/coupons";
import { rewardSettingsOf } from "@/lib/rewards/points";
import { listSegments } from "@/lib/segments/manage";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { describeAction, describeLimit, describeMonitor, describeRule, describeWindow, type ActionNames } from "@/components/monitors/describe";
import { MatchResults } from "@/components/monitors/match-results";
import { MonitorActions } from "@/components/monitors/monitor-actions";
import { MonitorStatusBadge } from "@/components/monitors/status-badge";
import { TestPanel } from "@/components/monitors/test-panel";
import { deleteMonitorAction, findContactsAction, monitorStatusAction, testMonitorAction } from "../actions";

export const metadata: Metadata = { title: "Monitor" };

export default async function MonitorPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const all = await listMonitors(db, workspace.id);
  const monitor = all.find((candidate) => candidate.id === id);
  if (!monitor) notFound();
  const t = await getTranslations("monitors");
  const format = await getFormatter();
  const zone = workspace.timezone;
  const canEdit = hasRole(role, "marketer");
  const [matches, campaigns, templates, segments, settings] = await Promise.all([
    listMatches(db, workspace.id, { monitorId: monitor.id, limit: 50 }),
    listCampaigns(db, workspace.id),
    listTemplates(db, workspace.id),
    listSegments(db, workspace.id),
    rewardSettingsOf(db, workspace.id),
  ]);
  const names: ActionNames = {
    campaigns: new Map(campaigns.map((campaign) => [campaign.id, campaign.name])),
    templates: new Map(templates.map((template) => [template.id, template.name])),
    pointsName: settings.pointsName,
  };
  const segment = monitor.segmentId ? segments.find((candidate) => candidate.id === monitor.segmentId) : undefined;
  // The saved monitor in the form's shape, for the test (its times are instants already).
  const body = {
    name: monitor.name,
    description: monitor.description,
    event: monitor.event,
    where: monitor.where,
    statistic: monitor.statistic,
    property: monitor.property,
    threshold: monitor.threshold,
    window: monitor.window,
    segmentId: monitor.segmentId,
    limit: monitor.limit,
    activeFrom: monitor.activeFrom?.toISOString() ?? null,
    activeUntil: monitor.activeUntil?.toISOString() ?? null,
    actions: monitor.actions,
    template: monitor.template,
  };

  const settingsRows: Array<{ label: string; value: React.ReactNode }> = [
    { label: t("detail.event"), value: <code className="bg-muted rounded px-1.5 py-0.5 font-mono text-xs">{monitor.event}</code> },
    {
      label: t("detail.where"),
      value: monitor.where ? <code className="bg-muted block rounded px-2 py-1 font-mono text-xs break-all">{JSON.stringify(monitor.where)}</code> : t("detail.anyEvent"),
    },
    { label: t("detail.rule"), value: describeRule(t, monitor) },
    { label: t("detail.window"), value: describeWindow(t, monitor.window) },
    { label: t("detail.limit"), value: describeLimit(t, monitor.limit) },
    {
      label: t("detail.segment"),
      value: segment ? (
        <Link href={`/w/${workspace.slug}/segments/${segment.id}`} className="hover:underline">
          {segment.name}
        </Link>
      ) : monitor.segmentId ? (
        t("detail.deletedSegment")
      ) : (
        t("detail.everyone")
      ),
    },
    {
      label: t("detail.active"),
      value:
        monitor.activeFrom || monitor.activeUntil ? (
          <span>
            {monitor.activeFrom ? t.rich("detail.from", { time: () => <DateTime value={monitor.activeFrom} timeZone={zone} /> }) : null}
            {monitor.activeFrom && monitor.activeUntil ? " · " : null}
            {monitor.activeUntil ? t.rich("detail.until", { time: () => <DateTime value={monitor.activeUntil} timeZone={zone} /> }) : null}
          </span>
        ) : (
          t("detail.always")
        ),
    },
    {
      label: t("detail.actions"),
      value: (
        <ul className="grid gap-0.5">
          {monitor.actions.map((action, index) => (
            <li key={index}>{describeAction(t, action, names)}</li>
          ))}
        </ul>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={monitor.name} description={monitor.description ?? undefined} />
      <div className="grid gap-4 p-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <Button asChild variant="ghost" size="sm" className="-ml-2">
                <Link href={`/w/${workspace.slug}/monitors`}>
                  <ArrowLeftIcon />
                  {t("detail.back")}
                </Link>
              </Button>
              <MonitorStatusBadge status={monitor.status} />
              <span className="font-medium tabular-nums" data-testid="monitor-counts">
                {t("detail.counts", { today: monitor.matchesToday, total: monitor.matches, todayText: format.number(monitor.matchesToday), totalText: format.number(monitor.matches) })}
              </span>
            </div>
            <p className="text-muted-foreground" data-testid="monitor-sentence">
              {describeMonitor(t, monitor)}
            </p>
            {monitor.status === "draft" ? <p className="text-muted-foreground">{t("detail.draftHint")}</p> : null}
          </div>
          {canEdit ? (
            <MonitorActions
              workspaceId={workspace.id}
              slug={workspace.slug}
              monitor={{ id: monitor.id, name: monitor.name, status: monitor.status, matches: monitor.matches }}
              actions={{ status: monitorStatusAction, remove: deleteMonitorAction }}
            />
          ) : null}
        </div>

        <div className="grid gap-4 xl:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>{t("detail.settings")}</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]" data-testid="monitor-settings">
                {settingsRows.map((row) => (
                  <div key={row.label} className="contents">
                    <dt className="text-muted-foreground">{row.label}</dt>
                    <dd className="min-w-0 break-words">{row.value}</dd>
                  </div>
                ))}
              </dl>
            </CardContent>
          </Card>
          {canEdit ? (
            <Card>
              <CardHeader>
                <CardTitle>{t("form.testTitle")}</CardTitle>
                <CardDescription>{t("form.testHint")}</CardDescription>
              </CardHeader>
              <CardContent>
                <TestPanel workspaceId={workspace.id} body={body} event={monitor.event} timeZone={zone} find={findContactsAction} test={testMonitorAction} canTest />
              </CardContent>
            </Card>
          ) : null}
        </div>

        <Card className="pb-0">
          <CardHeader>
            <CardTitle>{t("detail.matches")}</CardTitle>
            <CardDescription>{t("detail.matchesHint")}</CardDescription>
          </CardHeader>
          <CardContent className="overflow-x-auto px-0">
            {matches.length === 0 ? (
              <EmptyState
                bare
                testId="matches-empty"
                icon={ListChecksIcon}
                title={t("detail.noMatches")}
                body={monitor.status === "active" ? t("detail.noMatchesActive", { event: monitor.event }) : t("detail.noMatchesInactive")}
              />
            ) : (
              <Table data-testid="matches-table">
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-6">{t("detail.contact")}</TableHead>
                    <TableHead className="text-right">{t("detail.value")}</TableHead>
                    <TableHead>{t("detail.did")}</TableHead>
                    <TableHead className="pr-6">{t("detail.matchedAt")}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {matches.map((match) => (
                    <TableRow key={match.id}>
                      <TableCell className="max-w-64 pl-6">
                        <Link href={`/w/${workspace.slug}/contacts/${match.contact_id}`} className="block truncate hover:underline">
                          {match.email ?? t("detail.contactWithoutEmail")}
                        </Link>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{format.number(Number(match.value))}</TableCell>
                      <TableCell className="whitespace-normal">
                        <MatchResults results={match.results} slug={workspace.slug} pointsName={settings.pointsName} />
                      </TableCell>
                      <TableCell className="text-muted-foreground pr-6 text-sm">
                        <DateTime value={new Date(match.matched_at)} timeZone={zone} />
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
