import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ArrowLeftIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { getBroadcast, listVariants } from "@/lib/broadcasts/manage";
import { broadcastProgress, broadcastStats } from "@/lib/broadcasts/stats";
import { audienceSize } from "@/lib/broadcasts/views";
import { getTemplate, listTemplates } from "@/lib/messages/templates";
import { getTopic } from "@/lib/messages/topics";
import { listSegments } from "@/lib/segments/manage";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { BroadcastActions } from "@/components/broadcasts/broadcast-actions";
import { BroadcastStatusBadge } from "@/components/broadcasts/status-badge";
import { LiveProgress } from "@/components/broadcasts/live-progress";
import { ActivityCard, ConversionCard, FunnelCard, KpiCards, TopLinksCard, VariantsCard } from "@/components/broadcasts/results";
import {
  broadcastProgressAction,
  cancelBroadcastAction,
  deleteBroadcastAction,
  duplicateBroadcastAction,
  pauseBroadcastAction,
  resumeBroadcastAction,
  sendBroadcastAction,
  unscheduleBroadcastAction,
} from "../actions";

export const metadata: Metadata = { title: "Broadcast" };

export default async function BroadcastPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const broadcast = await getBroadcast(db, workspace.id, id);
  if (!broadcast) notFound();
  const t = await getTranslations("broadcasts");
  const format = await getFormatter();
  const zone = workspace.timezone;
  const base = `/w/${workspace.slug}/broadcasts`;
  const started = broadcast.snapshotAt !== null;
  const active = broadcast.status === "scheduled" || broadcast.status === "sending" || broadcast.status === "paused";

  const [variants, template, segments, size, templates, archived] = await Promise.all([
    listVariants(db, workspace.id, broadcast.id),
    getTemplate(db, workspace.id, broadcast.templateId),
    listSegments(db, workspace.id),
    audienceSize(db, broadcast),
    listTemplates(db, workspace.id),
    listTemplates(db, workspace.id, { archived: true }),
  ]);
  const topicId = broadcast.topicId ?? template?.topicId ?? null;
  const [topic, stats, progress] = await Promise.all([
    topicId ? getTopic(db, workspace.id, topicId) : undefined,
    started ? broadcastStats(db, broadcast) : undefined,
    active ? broadcastProgress(db, broadcast) : undefined,
  ]);
  const templateNames = new Map([...templates, ...archived].map((option) => [option.id, option.name]));
  const segmentNames = new Map(segments.map((segment) => [segment.id, segment.name]));
  const names = (ids: string[]) => ids.map((segmentId) => segmentNames.get(segmentId) ?? t("detail.deletedSegment")).join(", ");
  const localTime = broadcast.localTime ? format.dateTime(new Date(`${broadcast.localTime}:00Z`), { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) : "";
  const atTime = broadcast.scheduledAt ? format.dateTime(broadcast.scheduledAt, { dateStyle: "medium", timeStyle: "short", timeZone: zone }) : "";
  const planned =
    broadcast.scheduleKind === "at" && broadcast.scheduledAt
      ? t("detail.plannedAt", { time: atTime, zone: zone.replaceAll("_", " ") })
      : broadcast.scheduleKind === "local" && broadcast.localTime
        ? t("detail.plannedLocal", { time: localTime })
        : null;
  const conversion = broadcast.conversion !== null;
  const ab = broadcast.abTest;
  const metricName = t(`form.metrics.${ab?.metric ?? "clicks"}`);

  const settings: Array<{ label: string; value: React.ReactNode }> = [
    {
      label: t("detail.template"),
      value: template ? (
        <Link href={`/w/${workspace.slug}/templates/${template.id}`} className="hover:underline">
          {template.name}
        </Link>
      ) : (
        t("list.unknownTemplate")
      ),
    },
    { label: t("detail.version"), value: broadcast.templateVersion ? t("form.versionN", { version: broadcast.templateVersion }) : t("detail.newestVersion", { version: template?.currentVersion ?? 1 }) },
    { label: t("detail.channel"), value: t(`channels.${broadcast.channel}`) },
    { label: t("detail.topic"), value: topic ? (broadcast.topicId ? topic.name : t("detail.templateTopic", { name: topic.name })) : t("detail.noTopic") },
    { label: t("detail.include"), value: names(broadcast.audience.include) },
    { label: t("detail.exclude"), value: broadcast.audience.exclude.length ? names(broadcast.audience.exclude) : t("detail.nobody") },
    {
      label: t("detail.schedule"),
      value:
        broadcast.scheduleKind === "local"
          ? t("detail.scheduleLocal", { time: localTime, zone: (broadcast.fallbackTimezone ?? zone).replaceAll("_", " ") })
          : broadcast.scheduleKind === "at"
            ? t("detail.scheduleAt", { time: atTime, zone: zone.replaceAll("_", " ") })
            : t("detail.scheduleNow"),
    },
    { label: t("detail.throttle"), value: broadcast.throttlePerMinute ? t("detail.throttleRate", { rate: format.number(broadcast.throttlePerMinute) }) : t("detail.noThrottle") },
    {
      label: t("detail.abTest"),
      value: ab
        ? ab.mode === "winner"
          ? t("detail.abWinner", { count: variants.length, percent: ab.testPercent ?? 10, hours: ab.waitHours ?? 4, metric: metricName })
          : t("detail.abSplit", { count: variants.length, weights: variants.map((variant) => `${variant.key} ${variant.weight}%`).join(" · "), metric: metricName })
        : t("detail.off"),
    },
    {
      label: t("detail.conversion"),
      value: broadcast.conversion ? t("detail.conversionOn", { event: broadcast.conversion.event, hours: broadcast.conversion.windowHours, property: broadcast.conversion.revenueProperty }) : t("detail.off"),
    },
  ];

  return (
    <>
      <PageHeader title={broadcast.name} description={t("detail.description", { channel: t(`channels.${broadcast.channel}`), template: template?.name ?? t("list.unknownTemplate") })} />
      <div className="grid gap-4 p-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <Button asChild variant="ghost" size="sm" className="-ml-2">
                <Link href={base}>
                  <ArrowLeftIcon />
                  {t("detail.back")}
                </Link>
              </Button>
              <BroadcastStatusBadge status={broadcast.status} />
              <span className="font-medium tabular-nums" data-testid="audience-size">
                {size.live
                  ? t("detail.audienceNow", { count: size.count, formatted: format.number(size.count) })
                  : t("detail.audienceSnapshot", { count: size.count, formatted: format.number(size.count) })}
              </span>
            </div>
            <span className="text-muted-foreground" data-testid="broadcast-timing">
              {broadcast.status === "scheduled"
                ? broadcast.scheduleKind === "local"
                  ? t("detail.startsLocal", { time: localTime })
                  : t.rich("detail.startsAt", { time: () => <DateTime value={broadcast.scheduledAt} timeZone={zone} /> })
                : broadcast.status === "sent"
                  ? t.rich("detail.sentAt", { time: () => <DateTime value={broadcast.startedAt} timeZone={zone} />, finished: () => <DateTime value={broadcast.finishedAt} timeZone={zone} /> })
                  : broadcast.status === "cancelled"
                    ? t.rich("detail.cancelledAt", { time: () => <DateTime value={broadcast.cancelledAt} timeZone={zone} /> })
                    : broadcast.startedAt
                      ? t.rich("detail.startedAt", { time: () => <DateTime value={broadcast.startedAt} timeZone={zone} /> })
                      : planned
                        ? t("detail.draftPlanned", { when: planned })
                        : t("detail.draftNow")}
            </span>
          </div>
          {hasRole(role, "marketer") ? (
            <BroadcastActions
              workspaceId={workspace.id}
              slug={workspace.slug}
              broadcast={{ id: broadcast.id, name: broadcast.name, status: broadcast.status, scheduleKind: broadcast.scheduleKind }}
              audience={format.number(size.count)}
              planned={planned}
              actions={{
                send: sendBroadcastAction,
                unschedule: unscheduleBroadcastAction,
                pause: pauseBroadcastAction,
                resume: resumeBroadcastAction,
                cancel: cancelBroadcastAction,
                remove: deleteBroadcastAction,
                duplicate: duplicateBroadcastAction,
              }}
            />
          ) : null}
        </div>

        {active && progress ? (
          <Card>
            <CardHeader>
              <CardTitle>{t("progress.title")}</CardTitle>
            </CardHeader>
            <CardContent>
              <LiveProgress
                key={`${broadcast.status}-${broadcast.updatedAt.getTime()}`}
                workspaceId={workspace.id}
                broadcastId={broadcast.id}
                initial={{ status: broadcast.status, progress, testEndsAt: broadcast.testEndsAt?.toISOString() ?? null, winnerVariant: broadcast.winnerVariant }}
                poll={broadcastProgressAction}
              />
            </CardContent>
          </Card>
        ) : null}

        {stats ? (
          <section className="grid gap-4" aria-label={t("results.title")} data-testid="results">
            <KpiCards stats={stats} conversion={conversion} />
            <div className="grid gap-4 xl:grid-cols-2">
              <FunnelCard stats={stats} conversion={conversion} />
              <ActivityCard stats={stats} startedAt={broadcast.startedAt ?? broadcast.snapshotAt!} timeZone={zone} />
            </div>
            <VariantsCard stats={stats} broadcast={broadcast} variants={variants} templateNames={templateNames} timeZone={zone} />
            {conversion ? (
              <div className="grid gap-4 xl:grid-cols-2">
                <TopLinksCard stats={stats} />
                <ConversionCard stats={stats} broadcast={broadcast} />
              </div>
            ) : (
              <TopLinksCard stats={stats} />
            )}
          </section>
        ) : null}

        <Card>
          <CardHeader>
            <CardTitle>{t("detail.settings")}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]" data-testid="broadcast-settings">
              {settings.map((row) => (
                <div key={row.label} className="contents">
                  <dt className="text-muted-foreground">{row.label}</dt>
                  <dd className="min-w-0 break-words">{row.value}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
