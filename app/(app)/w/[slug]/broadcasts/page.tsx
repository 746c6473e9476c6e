import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ChevronRightIcon, PlusIcon } from "lucide-react";
import { decodeCursor } from "@/db/queries/contacts";
import { broadcastStatuses, type Broadcast, type BroadcastStatus } from "@/db/schema";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listBroadcasts } from "@/lib/broadcasts/manage";
import { audienceSize, listFigures, progressOf, type ListFigures } from "@/lib/broadcasts/views";
import { listTemplates } from "@/lib/messages/templates";
import { listSegments } from "@/lib/segments/manage";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { BroadcastStatusBadge } from "@/components/broadcasts/status-badge";
import { MissingParts } from "@/components/broadcasts/missing-parts";
import { ProgressBar } from "@/components/broadcasts/progress-bar";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Broadcasts" };

const pageSize = 25;

export default async function BroadcastsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ cursor?: string; status?: string }> }) {
  const { slug } = await params;
  const query = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("broadcasts");
  const format = await getFormatter();
  const base = `/w/${workspace.slug}/broadcasts`;
  const canEdit = hasRole(role, "marketer");
  const status = (broadcastStatuses as readonly string[]).includes(query.status ?? "") ? (query.status as BroadcastStatus) : undefined;
  // A hand-edited cursor starts the list over instead of failing the page.
  const parts = decodeCursor(query.cursor);
  const cursor = parts && typeof parts[0] === "string" && !Number.isNaN(Date.parse(parts[0])) && typeof parts[1] === "string" && /^[0-9a-f-]{36}$/i.test(parts[1]) ? query.cursor : undefined;

  const [page, templates, archived, segments] = await Promise.all([
    listBroadcasts(db, workspace.id, { limit: pageSize, cursor, status }),
    listTemplates(db, workspace.id),
    listTemplates(db, workspace.id, { archived: true }),
    listSegments(db, workspace.id),
  ]);
  const [figures, sizes] = await Promise.all([
    listFigures(db, workspace.id, page.broadcasts.map((broadcast) => broadcast.id)),
    Promise.all(page.broadcasts.map((broadcast) => audienceSize(db, broadcast))),
  ]);
  const templateNames = new Map([...templates, ...archived].map((template) => [template.id, template.name]));
  const hasTemplates = templates.some((template) => template.currentVersion >= 1);
  const nothingYet = page.broadcasts.length === 0 && !status && !cursor;
  const filterHref = (value?: BroadcastStatus) => (value ? `${base}?status=${value}` : base);
  const percent = (part: number, whole: number) => format.number(whole > 0 ? part / whole : 0, { style: "percent", maximumFractionDigits: 1 });

  const newButton = (
    <Button asChild>
      <Link href={`${base}/new`}>
        <PlusIcon />
        {t("list.new")}
      </Link>
    </Button>
  );

  function when(broadcast: Broadcast) {
    const time = (value: Date | null) =>
      function Time() {
        return <DateTime value={value} timeZone={workspace.timezone} />;
      };
    const local = broadcast.localTime ? format.dateTime(new Date(`${broadcast.localTime}:00Z`), { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) : "";
    switch (broadcast.status) {
      case "draft":
        if (broadcast.scheduleKind === "at" && broadcast.scheduledAt) return t.rich("when.plannedAt", { time: time(broadcast.scheduledAt) });
        if (broadcast.scheduleKind === "local") return t("when.plannedLocal", { time: local });
        return <span className="text-muted-foreground">{t("when.notScheduled")}</span>;
      case "scheduled":
        return broadcast.scheduleKind === "local" ? t("when.scheduledLocal", { time: local }) : t.rich("when.scheduledAt", { time: time(broadcast.scheduledAt) });
      case "sending":
        return t.rich("when.started", { time: time(broadcast.startedAt) });
      case "paused":
        return t.rich("when.paused", { time: time(broadcast.pausedAt) });
      case "sent":
        return t.rich("when.sent", { time: time(broadcast.startedAt ?? broadcast.finishedAt) });
      case "cancelled":
        return t.rich("when.cancelled", { time: time(broadcast.cancelledAt) });
    }
  }

  function results(broadcast: Broadcast, figure: ListFigures) {
    if (broadcast.status === "sending" || broadcast.status === "paused") return <ProgressBar progress={progressOf(broadcast, figure)} compact className="w-40" />;
    if (figure.sent === 0) return <span className="text-muted-foreground">—</span>;
    return (
      <span className="grid gap-0.5 text-sm tabular-nums" data-testid="broadcast-results">
        <span>{t("list.sentCount", { count: figure.sent, formatted: format.number(figure.sent) })}</span>
        <span className="text-muted-foreground text-xs">
          {t("list.rates", { opened: percent(figure.opened, figure.delivered), clicked: percent(figure.clicked, figure.delivered) })}
        </span>
      </span>
    );
  }

  return (
    <>
      <PageHeader title={t("list.title")} description={t("list.description")} />
      <div className="grid gap-4 p-6">
        {nothingYet ? (
          <MissingParts slug={workspace.slug} templates={hasTemplates} segments={segments.length > 0} canEdit={canEdit} />
        ) : (
          <>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <nav className="flex flex-wrap gap-1" aria-label={t("list.filter")}>
                {[undefined, ...broadcastStatuses].map((value) => (
                  <Button key={value ?? "all"} asChild size="sm" variant={status === value ? "secondary" : "ghost"}>
                    <Link href={filterHref(value)} aria-current={status === value ? "page" : undefined}>
                      {value ? t(`statuses.${value}`) : t("list.all")}
                    </Link>
                  </Button>
                ))}
              </nav>
              {canEdit ? newButton : null}
            </div>
            <Card className="py-0">
              <CardContent className="px-0">
                {page.broadcasts.length === 0 ? (
                  <p className="text-muted-foreground p-6 text-sm" data-testid="broadcasts-none">
                    {status ? t("list.noneWithStatus", { status: t(`statuses.${status}`) }) : t("list.noneHere")}
                  </p>
                ) : (
                  <Table data-testid="broadcasts-table">
                    <TableHeader>
                      <TableRow>
                        <TableHead className="pl-4">{t("list.name")}</TableHead>
                        <TableHead>{t("list.status")}</TableHead>
                        <TableHead className="text-right">{t("list.audience")}</TableHead>
                        <TableHead>{t("list.when")}</TableHead>
                        <TableHead className="pr-4">{t("list.results")}</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {page.broadcasts.map((broadcast, index) => {
                        const size = sizes[index];
                        return (
                          <TableRow key={broadcast.id} data-broadcast={broadcast.id}>
                            <TableCell className="max-w-72 pl-4">
                              <Link href={`${base}/${broadcast.id}`} className="block truncate font-medium hover:underline">
                                {broadcast.name}
                              </Link>
                              <span className="text-muted-foreground block truncate text-xs">
                                {t(`channels.${broadcast.channel}`)} · {templateNames.get(broadcast.templateId) ?? t("list.unknownTemplate")}
                              </span>
                            </TableCell>
                            <TableCell>
                              <BroadcastStatusBadge status={broadcast.status} />
                            </TableCell>
                            <TableCell className="text-right tabular-nums">
                              <span className="grid">
                                <span>{format.number(size.count)}</span>
                                <span className="text-muted-foreground text-xs">{size.live ? t("list.audienceNow") : t("list.audienceSnapshot")}</span>
                              </span>
                            </TableCell>
                            <TableCell className={cn("text-sm", broadcast.status === "cancelled" && "text-muted-foreground")}>{when(broadcast)}</TableCell>
                            <TableCell className="pr-4">{results(broadcast, figures.get(broadcast.id)!)}</TableCell>
                          </TableRow>
                        );
                      })}
                    </TableBody>
                  </Table>
                )}
                {cursor || page.nextCursor ? (
                  <div className="flex justify-end gap-2 border-t px-4 py-3">
                    {cursor ? (
                      <Button asChild variant="outline" size="sm">
                        <Link href={filterHref(status)}>{t("list.firstPage")}</Link>
                      </Button>
                    ) : null}
                    {page.nextCursor ? (
                      <Button asChild variant="outline" size="sm">
                        <Link href={`${base}?${new URLSearchParams({ ...(status ? { status } : {}), cursor: page.nextCursor })}`}>
                          {t("list.more")}
                          <ChevronRightIcon />
                        </Link>
                      </Button>
                    ) : null}
                  </div>
                ) : null}
              </CardContent>
            </Card>
          </>
        )}
      </div>
    </>
  );
}
