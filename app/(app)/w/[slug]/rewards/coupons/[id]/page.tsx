import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ArrowLeftIcon, TicketIcon, TriangleAlertIcon } from "lucide-react";
import { campaignActivity, campaignCounts } from "@/db/queries/reward-views";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { getCampaign } from "@/lib/rewards/coupons";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { AddCodes } from "@/components/rewards/add-codes";
import { CouponValueText } from "@/components/rewards/coupon-value";
import { RewardsTabs } from "@/components/rewards/rewards-tabs";
import { StockBar } from "@/components/rewards/stock-bar";
import { uploadCodesAction } from "../../actions";

export const metadata: Metadata = { title: "Coupon campaign" };

export default async function CampaignPage({ params, searchParams }: { params: Promise<{ slug: string; id: string }>; searchParams: Promise<{ stopped?: string }> }) {
  const { slug, id } = await params;
  const { stopped } = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const campaign = await getCampaign(db, workspace.id, id);
  if (!campaign) notFound();
  const t = await getTranslations("rewards");
  const format = await getFormatter();
  const zone = workspace.timezone;
  const canEdit = hasRole(role, "marketer");
  const [counts, activity] = await Promise.all([campaignCounts(db, workspace.id, campaign.id), campaignActivity(db, workspace.id, campaign.id, 50)]);
  const total = counts.available + counts.issued;
  const rate = (part: number, whole: number) => (whole > 0 ? format.number(part / whole, { style: "percent", maximumFractionDigits: 1 }) : "—");

  const facts: Array<{ label: string; value: React.ReactNode }> = [
    { label: t("campaign.value"), value: <CouponValueText value={campaign.value} /> },
    {
      label: t("campaign.codes"),
      value: campaign.source === "generated" ? t.rich("campaign.generated", { pattern: () => <code className="bg-muted rounded px-1 font-mono text-xs">{campaign.pattern}</code> }) : t("campaign.pool"),
    },
    {
      label: t("campaign.validity"),
      value:
        campaign.validFrom || campaign.validUntil ? (
          <span>
            {campaign.validFrom ? t.rich("campaign.from", { time: () => <DateTime value={campaign.validFrom} timeZone={zone} /> }) : null}
            {campaign.validFrom && campaign.validUntil ? " · " : null}
            {campaign.validUntil ? t.rich("campaign.until", { time: () => <DateTime value={campaign.validUntil} timeZone={zone} /> }) : null}
          </span>
        ) : (
          t("campaign.always")
        ),
    },
    { label: t("campaign.perContact"), value: t("campaign.perContactN", { count: campaign.perContactLimit }) },
    { label: t("campaign.created"), value: <DateTime value={campaign.createdAt} timeZone={zone} /> },
  ];

  return (
    <>
      <PageHeader title={campaign.name} description={campaign.description ?? undefined} />
      <RewardsTabs slug={workspace.slug} current="coupons" />
      <div className="grid gap-4 p-6">
        <div>
          <Button asChild variant="ghost" size="sm" className="-ml-2">
            <Link href={`/w/${workspace.slug}/rewards/coupons`}>
              <ArrowLeftIcon />
              {t("campaign.back")}
            </Link>
          </Button>
        </div>
        {stopped ? (
          <Alert variant="destructive" role="alert">
            <TriangleAlertIcon />
            <AlertDescription>{t("campaign.uploadStopped", { reason: stopped.slice(0, 300) })}</AlertDescription>
          </Alert>
        ) : null}
        <div className="grid gap-4 md:grid-cols-4" data-testid="campaign-counts">
          <Figure label={t("campaign.total")} value={format.number(total)} testId="count-total" />
          <Figure label={t("stock.available")} value={format.number(counts.available)} testId="count-available" note={counts.available === 0 && campaign.status === "active" ? t("campaigns.outOfStock") : undefined} />
          <Figure label={t("stock.issued")} value={format.number(counts.issued)} testId="count-issued" note={t("campaign.ofTotal", { rate: rate(counts.issued, total) })} />
          <Figure label={t("stock.redeemed")} value={format.number(counts.redeemed)} testId="count-redeemed" note={t("campaign.ofIssued", { rate: rate(counts.redeemed, counts.issued) })} />
        </div>
        <Card>
          <CardContent>
            <StockBar available={counts.available} issued={counts.issued} redeemed={counts.redeemed} />
          </CardContent>
        </Card>

        <div className="grid gap-4 xl:grid-cols-[1fr_26rem]">
          <Card className="min-w-0 pb-0">
            <CardHeader>
              <CardTitle>{t("campaign.activity")}</CardTitle>
              <CardDescription>{t("campaign.activityHint")}</CardDescription>
            </CardHeader>
            <CardContent className="overflow-x-auto px-0">
              {activity.length === 0 ? (
                <EmptyState bare testId="activity-empty" icon={TicketIcon} title={t("campaign.noActivity")} body={t("campaign.noActivityBody")}>
                  {canEdit ? (
                    <Button asChild variant="outline">
                      <Link href={`/w/${workspace.slug}/monitors`}>{t("campaign.toMonitors")}</Link>
                    </Button>
                  ) : null}
                </EmptyState>
              ) : (
                <Table data-testid="activity-table">
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-6">{t("campaign.code")}</TableHead>
                      <TableHead>{t("campaign.contact")}</TableHead>
                      <TableHead>{t("campaign.status")}</TableHead>
                      <TableHead>{t("campaign.issuedAt")}</TableHead>
                      <TableHead className="pr-6">{t("campaign.redeemedAt")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {activity.map((row) => (
                      <TableRow key={row.id}>
                        <TableCell className="pl-6">
                          <code className="font-mono text-xs">{row.code}</code>
                        </TableCell>
                        <TableCell className="max-w-56">
                          {row.contactId ? (
                            <Link href={`/w/${workspace.slug}/contacts/${row.contactId}`} className="block truncate hover:underline">
                              {row.email ?? t("campaign.noEmail")}
                            </Link>
                          ) : (
                            "—"
                          )}
                        </TableCell>
                        <TableCell>
                          <CouponStatusBadge status={row.status} label={t(`couponStatuses.${row.status}`)} />
                        </TableCell>
                        <TableCell className="text-muted-foreground text-sm">
                          <DateTime value={row.issuedAt} timeZone={zone} />
                        </TableCell>
                        <TableCell className="text-muted-foreground pr-6 text-sm">
                          {row.redeemedAt ? <DateTime value={row.redeemedAt} timeZone={zone} /> : "—"}
                          {row.redeemedRef ? <span className="block text-xs">{row.redeemedRef}</span> : null}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </CardContent>
          </Card>
          <Card className="self-start">
            <CardHeader>
              <CardTitle>{t("campaign.details")}</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-6">
              <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]" data-testid="campaign-facts">
                {facts.map((row) => (
                  <div key={row.label} className="contents">
                    <dt className="text-muted-foreground">{row.label}</dt>
                    <dd className="min-w-0 break-words">{row.value}</dd>
                  </div>
                ))}
              </dl>
              {campaign.source === "pool" && canEdit ? (
                <section className="grid gap-2 border-t pt-4" aria-labelledby="add-codes-heading">
                  <h3 id="add-codes-heading" className="text-sm font-semibold">
                    {t("campaign.addCodes")}
                  </h3>
                  <AddCodes workspaceId={workspace.id} campaignId={campaign.id} upload={uploadCodesAction} />
                </section>
              ) : null}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

function Figure({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <Card className="gap-1 py-4">
      <CardContent className="grid gap-1">
        <span className="text-muted-foreground text-sm">{label}</span>
        <span className="text-2xl font-semibold tabular-nums" data-testid={testId}>
          {value}
        </span>
        {note ? <span className="text-muted-foreground text-xs">{note}</span> : null}
      </CardContent>
    </Card>
  );
}

function CouponStatusBadge({ status, label }: { status: string; label: string }) {
  const tone =
    status === "redeemed"
      ? "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300"
      : status === "issued"
        ? "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300"
        : "border-border bg-muted text-muted-foreground";
  return (
    <Badge variant="outline" className={tone} data-status={status}>
      {label}
    </Badge>
  );
}
