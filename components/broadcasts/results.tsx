import { getFormatter, getTranslations } from "next-intl/server";
import type { Broadcast, BroadcastVariant } from "@/db/schema";
import type { BroadcastStats, VariantResult } from "@/lib/broadcasts/stats";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { ActivityChart } from "./activity-chart";
import { FunnelChart } from "./funnel-chart";
import { cn } from "@/lib/utils";

// What a broadcast did: KPI cards, the funnel, opens and clicks over time, the A/B variants
// with their significance, top links and conversions. Server components over broadcastStats.

type Format = Awaited<ReturnType<typeof getFormatter>>;

const percentOf = (format: Format, part: number, whole: number) => format.number(whole > 0 ? part / whole : 0, { style: "percent", maximumFractionDigits: 1 });
const rateText = (format: Format, rate: number) => format.number(rate, { style: "percent", maximumFractionDigits: 1 });
const money = (format: Format, value: number) => format.number(value, { minimumFractionDigits: 0, maximumFractionDigits: 2 });

function pValueText(format: Format, p: number) {
  return p < 0.001 ? "< 0.001" : format.number(p, { maximumSignificantDigits: 2 });
}

/** "= 0.012" or "< 0.001", for "(p {p})" in a sentence. */
function pClause(format: Format, p: number) {
  return p < 0.001 ? "< 0.001" : `= ${format.number(p, { maximumSignificantDigits: 2 })}`;
}

function Kpi({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <Card className="gap-1 py-4" data-testid={testId}>
      <CardHeader className="px-4">
        <CardDescription>{label}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-0.5 px-4">
        <span className="text-2xl font-semibold tabular-nums" data-testid={testId ? `${testId}-value` : undefined}>
          {value}
        </span>
        {detail ? <span className="text-muted-foreground text-xs">{detail}</span> : null}
      </CardContent>
    </Card>
  );
}

export async function KpiCards({ stats, conversion }: { stats: BroadcastStats; conversion: boolean }) {
  const t = await getTranslations("broadcasts.results");
  const format = await getFormatter();
  const { totals, rates } = stats;
  const targeted = stats.progress.total ?? totals.recipients;
  const notSent = totals.suppressed + totals.failed + totals.cancelled;
  return (
    <div className={cn("grid gap-3 sm:grid-cols-2", conversion ? "lg:grid-cols-3 xl:grid-cols-5" : "lg:grid-cols-4")} data-testid="kpi-cards">
      <Kpi testId="kpi-sent" label={t("sent")} value={format.number(totals.sent)} detail={t("ofTargeted", { rate: percentOf(format, totals.sent, targeted), total: format.number(targeted) })} />
      <Kpi testId="kpi-delivered" label={t("delivered")} value={format.number(totals.delivered)} detail={t("ofSent", { rate: rateText(format, rates.deliveredOfSent) })} />
      <Kpi testId="kpi-opened" label={t("openRate")} value={rateText(format, rates.openOfDelivered)} detail={t("uniqueOpens", { count: totals.opened, formatted: format.number(totals.opened) })} />
      <Kpi
        testId="kpi-clicked"
        label={t("clickRate")}
        value={rateText(format, rates.clickOfDelivered)}
        detail={t("uniqueClicks", { count: totals.clicked, formatted: format.number(totals.clicked), ctor: rateText(format, rates.clickOfOpened) })}
      />
      {conversion ? (
        <>
          <Kpi testId="kpi-converted" label={t("conversionRate")} value={rateText(format, rates.conversionOfDelivered)} detail={t("converted", { count: totals.converted, formatted: format.number(totals.converted) })} />
          <Kpi
            testId="kpi-revenue"
            label={t("revenue")}
            value={money(format, totals.revenue)}
            detail={t("revenuePerDelivered", { value: money(format, totals.delivered > 0 ? totals.revenue / totals.delivered : 0) })}
          />
        </>
      ) : null}
      <Kpi testId="kpi-bounced" label={t("bounced")} value={format.number(totals.bounced)} detail={t("ofSent", { rate: rateText(format, rates.bounceOfSent) })} />
      <Kpi testId="kpi-complaints" label={t("complaints")} value={format.number(totals.complained)} detail={t("ofDelivered", { rate: percentOf(format, totals.complained, totals.delivered) })} />
      <Kpi testId="kpi-unsubscribed" label={t("unsubscribed")} value={format.number(totals.unsubscribed)} detail={t("ofDelivered", { rate: rateText(format, rates.unsubscribeOfDelivered) })} />
      <Kpi
        testId="kpi-not-sent"
        label={t("notSent")}
        value={format.number(notSent)}
        detail={t("notSentDetail", { suppressed: format.number(totals.suppressed), failed: format.number(totals.failed), cancelled: format.number(totals.cancelled) })}
      />
    </div>
  );
}

export async function FunnelCard({ stats, conversion }: { stats: BroadcastStats; conversion: boolean }) {
  const t = await getTranslations("broadcasts.results");
  const { totals } = stats;
  const targeted = stats.progress.total ?? totals.recipients;
  const stages = [
    { key: "targeted", label: t("targeted"), value: targeted, color: "var(--muted-foreground)" },
    { key: "suppressed", label: t("suppressed"), value: totals.suppressed, color: "oklch(0.8 0.15 85)" },
    { key: "sent", label: t("sent"), value: totals.sent, color: "oklch(0.62 0.13 230)" },
    { key: "delivered", label: t("delivered"), value: totals.delivered, color: "oklch(0.62 0.12 195)" },
    { key: "opened", label: t("opened"), value: totals.opened, color: "oklch(0.63 0.15 160)" },
    { key: "clicked", label: t("clicked"), value: totals.clicked, color: "oklch(0.55 0.15 150)" },
    ...(conversion ? [{ key: "converted", label: t("convertedStage"), value: totals.converted, color: "oklch(0.5 0.16 290)" }] : []),
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("funnel")}</CardTitle>
        <CardDescription>{t("funnelHint")}</CardDescription>
      </CardHeader>
      <CardContent>
        <FunnelChart stages={stages} total={targeted} />
      </CardContent>
    </Card>
  );
}

export async function ActivityCard({ stats, startedAt, timeZone }: { stats: BroadcastStats; startedAt: Date; timeZone: string }) {
  const t = await getTranslations("broadcasts.results");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("overTime")}</CardTitle>
        <CardDescription>{t("overTimeHint", { zone: timeZone.replaceAll("_", " ") })}</CardDescription>
      </CardHeader>
      <CardContent>
        {stats.timeline.length === 0 ? (
          <p className="text-muted-foreground text-sm">{t("noActivity")}</p>
        ) : (
          <ActivityChart timeline={stats.timeline} startedAt={startedAt.toISOString()} timeZone={timeZone} />
        )}
      </CardContent>
    </Card>
  );
}

export async function TopLinksCard({ stats }: { stats: BroadcastStats }) {
  const t = await getTranslations("broadcasts.results");
  const format = await getFormatter();
  return (
    <Card className="pb-0">
      <CardHeader>
        <CardTitle>{t("topLinks")}</CardTitle>
      </CardHeader>
      <CardContent className="px-0">
        {stats.topLinks.length === 0 ? (
          <p className="text-muted-foreground px-6 pb-6 text-sm">{t("noClicks")}</p>
        ) : (
          <Table data-testid="top-links" className="table-fixed">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-6">{t("link")}</TableHead>
                <TableHead className="w-24 text-right">{t("clicks")}</TableHead>
                <TableHead className="w-28 pr-6 text-right">{t("uniqueClickers")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {stats.topLinks.map((link) => (
                <TableRow key={link.url}>
                  <TableCell className="truncate pl-6 font-mono text-xs" title={link.url}>
                    <a href={link.url} target="_blank" rel="noreferrer noopener" className="hover:underline">
                      {link.url}
                    </a>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{format.number(link.clicks)}</TableCell>
                  <TableCell className="pr-6 text-right tabular-nums">{format.number(link.uniqueClicks)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

export async function ConversionCard({ stats, broadcast }: { stats: BroadcastStats; broadcast: Broadcast }) {
  const t = await getTranslations("broadcasts.results");
  const format = await getFormatter();
  const conversion = broadcast.conversion;
  if (!conversion) return null;
  const { totals, rates } = stats;
  const rows = [
    { label: t("convertedContacts"), value: format.number(totals.converted) },
    { label: t("conversionRate"), value: rateText(format, rates.conversionOfDelivered) },
    { label: t("revenue"), value: money(format, totals.revenue) },
    { label: t("revenuePerConversion"), value: money(format, totals.converted > 0 ? totals.revenue / totals.converted : 0) },
  ];
  return (
    <Card data-testid="conversions">
      <CardHeader>
        <CardTitle>{t("conversions")}</CardTitle>
        <CardDescription>{t("conversionsHint", { event: conversion.event, hours: conversion.windowHours, property: conversion.revenueProperty })}</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-2 gap-4">
          {rows.map((row) => (
            <div key={row.label} className="grid gap-0.5">
              <dt className="text-muted-foreground text-xs">{row.label}</dt>
              <dd className="text-lg font-semibold tabular-nums">{row.value}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}

export async function VariantsCard({
  stats,
  broadcast,
  variants,
  templateNames,
  timeZone,
}: {
  stats: BroadcastStats;
  broadcast: Broadcast;
  variants: BroadcastVariant[];
  templateNames: Map<string, string>;
  timeZone: string;
}) {
  const t = await getTranslations("broadcasts.results");
  const tForm = await getTranslations("broadcasts.form");
  const format = await getFormatter();
  const ab = broadcast.abTest;
  if (!ab) return null;
  const metric = ab.metric ?? "clicks";
  const metricName = tForm(`metrics.${metric}`);
  const conversion = broadcast.conversion !== null;
  const byKey = new Map(stats.variants.map((variant) => [variant.key, variant]));
  const leaders = new Set(stats.variants.filter((variant) => variant.test).map((variant) => variant.test!.against));
  const decision = broadcast.winnerDecision;

  const differs = (variant: BroadcastVariant) =>
    [
      variant.subject ? t("differsSubject", { subject: variant.subject }) : null,
      variant.fromName || variant.fromEmail ? t("differsSender", { sender: [variant.fromName, variant.fromEmail && `<${variant.fromEmail}>`].filter(Boolean).join(" ") }) : null,
      variant.templateId !== broadcast.templateId ? t("differsTemplate", { template: templateNames.get(variant.templateId) ?? variant.templateId }) : null,
    ].filter(Boolean) as string[];

  function verdict(result: VariantResult | undefined) {
    if (!result) return <span className="text-muted-foreground">{t("verdictNoData")}</span>;
    if (result.test) {
      const p = pClause(format, result.test.pValue);
      return result.test.significant ? (
        <span className="font-medium text-emerald-700 dark:text-emerald-300">{t("verdictBeats", { winner: result.test.against, loser: result.key, p })}</span>
      ) : (
        <span className="text-muted-foreground">{t("verdictNoise", { leader: result.test.against, key: result.key, p })}</span>
      );
    }
    if (leaders.has(result.key)) return <span className="font-medium">{t("verdictLeader", { metric: metricName })}</span>;
    return <span className="text-muted-foreground">{t("verdictNoData")}</span>;
  }

  return (
    <Card className="pb-0" data-testid="variants">
      <CardHeader>
        <CardTitle>{t("abTitle")}</CardTitle>
        <CardDescription>
          {ab.mode === "winner" ? t("abWinnerHint", { percent: ab.testPercent ?? 10, hours: ab.waitHours ?? 4, metric: metricName }) : t("abSplitHint", { metric: metricName })}
        </CardDescription>
        {ab.mode === "winner" ? (
          <div className="text-sm" data-testid="winner">
            {broadcast.winnerVariant ? (
              <p>
                {t.rich("winnerChosen", {
                  key: broadcast.winnerVariant,
                  metric: metricName,
                  time: () => <DateTime value={broadcast.winnerChosenAt} timeZone={timeZone} />,
                  strong: (chunks) => <strong>{chunks}</strong>,
                })}{" "}
                {decision
                  ? decision.significant
                    ? t("winnerSignificant", { p: pClause(format, decision.pValue ?? 0) })
                    : decision.pValue === null
                      ? t("winnerNoTest")
                      : t("winnerNoise", { p: pClause(format, decision.pValue) })
                  : null}
              </p>
            ) : broadcast.testEndsAt ? (
              <p>{t.rich("winnerPending", { time: () => <DateTime value={broadcast.testEndsAt} timeZone={timeZone} />, metric: metricName, rest: 100 - (ab.testPercent ?? 10) })}</p>
            ) : null}
          </div>
        ) : null}
      </CardHeader>
      <CardContent className="overflow-x-auto px-0">
        <Table data-testid="variants-table">
          <TableHeader>
            <TableRow>
              <TableHead className="pl-6">{t("variant")}</TableHead>
              <TableHead className="text-right">{t("recipients")}</TableHead>
              <TableHead className="text-right">{t("delivered")}</TableHead>
              <TableHead className="text-right">{t("opened")}</TableHead>
              <TableHead className="text-right">{t("clicked")}</TableHead>
              {conversion ? <TableHead className="text-right">{t("convertedStage")}</TableHead> : null}
              {conversion ? <TableHead className="text-right">{t("revenue")}</TableHead> : null}
              <TableHead className="text-right">{t("pValue")}</TableHead>
              <TableHead className="pr-6">{t("verdict")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {variants.map((variant) => {
              const result = byKey.get(variant.key);
              const lines = differs(variant);
              return (
                <TableRow key={variant.key} data-variant={variant.key}>
                  <TableCell className="max-w-64 pl-6 align-top">
                    <div className="flex items-center gap-2">
                      <span className="font-semibold">{variant.key}</span>
                      <span className="text-muted-foreground text-xs">{t("weight", { weight: variant.weight })}</span>
                      {broadcast.winnerVariant === variant.key ? <Badge className="bg-emerald-600 text-white">{t("winner")}</Badge> : null}
                    </div>
                    {(lines.length ? lines : [t("differsNothing")]).map((line) => (
                      <div key={line} className="text-muted-foreground truncate text-xs" title={line}>
                        {line}
                      </div>
                    ))}
                  </TableCell>
                  <TableCell className="text-right align-top tabular-nums">{format.number(result?.recipients ?? 0)}</TableCell>
                  <TableCell className="text-right align-top tabular-nums">{format.number(result?.delivered ?? 0)}</TableCell>
                  <TableCell className="text-right align-top tabular-nums">
                    {format.number(result?.opened ?? 0)}
                    <div className="text-muted-foreground text-xs">{rateText(format, result?.openRate ?? 0)}</div>
                  </TableCell>
                  <TableCell className="text-right align-top tabular-nums">
                    {format.number(result?.clicked ?? 0)}
                    <div className="text-muted-foreground text-xs">{rateText(format, result?.clickRate ?? 0)}</div>
                  </TableCell>
                  {conversion ? (
                    <TableCell className="text-right align-top tabular-nums">
                      {format.number(result?.converted ?? 0)}
                      <div className="text-muted-foreground text-xs">{rateText(format, result?.conversionRate ?? 0)}</div>
                    </TableCell>
                  ) : null}
                  {conversion ? <TableCell className="text-right align-top tabular-nums">{money(format, result?.revenue ?? 0)}</TableCell> : null}
                  <TableCell className="text-right align-top tabular-nums">{result?.test ? pValueText(format, result.test.pValue) : "—"}</TableCell>
                  <TableCell className="max-w-72 pr-6 align-top text-sm whitespace-normal">{verdict(result)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
