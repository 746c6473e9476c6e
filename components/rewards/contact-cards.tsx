import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { HourglassIcon } from "lucide-react";
import type { CouponCampaign, CouponCode, PointTransaction } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { CouponValueText } from "./coupon-value";
import { PointsChange, SourceText } from "./ledger-bits";

export interface ContactPointsView {
  balance: number;
  earned: number;
  spent: number;
  expired: number;
  expiring: { points: number; first: Date | null };
  transactions: PointTransaction[];
}

/** The contact's points: balance, what will expire and when, the newest changes, and (for marketers) an adjust button. */
export async function PointsCard({
  points,
  pointsName,
  ledgerHref,
  timeZone,
  adjust,
}: {
  points: ContactPointsView;
  pointsName: string | null;
  ledgerHref: string | null;
  timeZone: string;
  adjust: React.ReactNode;
}) {
  const t = await getTranslations("rewards.profile");
  const format = await getFormatter();
  const unit = pointsName ?? t("points");
  const recent = points.transactions.slice(0, 5);
  return (
    <Card data-testid="points-card">
      <CardHeader>
        <CardTitle>{pointsName ?? t("pointsTitle")}</CardTitle>
        <CardDescription>{t("pointsHint")}</CardDescription>
        {adjust ? <CardAction>{adjust}</CardAction> : null}
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <span className="text-3xl font-semibold tabular-nums" data-testid="points-balance">
            {format.number(points.balance)}
          </span>
          <span className="text-muted-foreground">{unit}</span>
        </div>
        <dl className="text-muted-foreground grid grid-cols-3 gap-2 text-xs">
          <div>
            <dt>{t("earned")}</dt>
            <dd className="text-foreground text-sm tabular-nums">{format.number(points.earned)}</dd>
          </div>
          <div>
            <dt>{t("spent")}</dt>
            <dd className="text-foreground text-sm tabular-nums">{format.number(points.spent)}</dd>
          </div>
          <div>
            <dt>{t("expired")}</dt>
            <dd className="text-foreground text-sm tabular-nums">{format.number(points.expired)}</dd>
          </div>
        </dl>
        {points.expiring.points > 0 && points.expiring.first ? (
          <p className="flex items-start gap-2 rounded-md border border-amber-500/40 bg-amber-500/5 p-2" data-testid="points-expiring">
            <HourglassIcon className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
            <span>
              {t.rich("expiring", {
                points: format.number(points.expiring.points),
                unit,
                date: () => <DateTime value={points.expiring.first} timeZone={timeZone} />,
              })}
            </span>
          </p>
        ) : null}
        {recent.length > 0 ? (
          <ul className="grid gap-2" data-testid="points-transactions">
            {recent.map((row) => (
              <li key={row.id} className="flex items-start justify-between gap-3">
                <span className="grid min-w-0 gap-0.5">
                  <span className="truncate">{row.source === "expiry" ? t("expiredReason") : (row.reason ?? "—")}</span>
                  <span className="text-muted-foreground flex flex-wrap items-center gap-1.5 text-xs">
                    <SourceText source={row.source} />
                    <DateTime value={row.createdAt} timeZone={timeZone} />
                  </span>
                </span>
                <span className="grid shrink-0 justify-items-end">
                  <PointsChange amount={row.amount} />
                  <span className="text-muted-foreground text-xs tabular-nums">{t("after", { balance: format.number(row.balanceAfter) })}</span>
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-muted-foreground" data-testid="points-none">
            {t("noPoints")}
          </p>
        )}
        {ledgerHref && points.transactions.length > 0 ? (
          <Button asChild variant="link" size="sm" className="justify-self-start px-0">
            <Link href={ledgerHref}>{t("allTransactions")}</Link>
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}

/** The coupons issued to the contact: code, campaign, status and dates. */
export async function CouponsCard({ coupons, slug, timeZone }: { coupons: Array<{ code: CouponCode; campaign: CouponCampaign }>; slug: string; timeZone: string }) {
  const t = await getTranslations("rewards.profile");
  const tStatus = await getTranslations("rewards.couponStatuses");
  const now = new Date();
  return (
    <Card data-testid="coupons-card">
      <CardHeader>
        <CardTitle>{t("couponsTitle")}</CardTitle>
        <CardDescription>{t("couponsHint")}</CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        {coupons.length === 0 ? (
          <p className="text-muted-foreground" data-testid="coupons-none">
            {t("noCoupons")}
          </p>
        ) : (
          <ul className="grid gap-3" data-testid="contact-coupons">
            {coupons.map(({ code, campaign }) => {
              const expired = code.status === "issued" && campaign.validUntil !== null && campaign.validUntil <= now;
              const status = expired ? "expired" : code.status;
              return (
                <li key={code.id} className="grid gap-1" data-code={code.code}>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <code className="bg-muted rounded px-1.5 py-0.5 font-mono text-xs font-semibold" data-testid="coupon-code">
                      {code.code}
                    </code>
                    <Badge
                      variant="outline"
                      data-status={status}
                      className={
                        status === "redeemed"
                          ? "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300"
                          : status === "expired"
                            ? "border-border bg-muted text-muted-foreground"
                            : "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300"
                      }
                    >
                      {tStatus(status)}
                    </Badge>
                  </div>
                  <Link href={`/w/${slug}/rewards/coupons/${campaign.id}`} className="truncate hover:underline">
                    {campaign.name} · <CouponValueText value={campaign.value} />
                  </Link>
                  <span className="text-muted-foreground text-xs">
                    {code.issuedAt ? t.rich("issuedOn", { time: () => <DateTime value={code.issuedAt} timeZone={timeZone} /> }) : null}
                    {code.redeemedAt ? <> · {t.rich("redeemedOn", { time: () => <DateTime value={code.redeemedAt} timeZone={timeZone} /> })}</> : null}
                    {!code.redeemedAt && campaign.validUntil ? <> · {t.rich("validUntil", { time: () => <DateTime value={campaign.validUntil} timeZone={timeZone} /> })}</> : null}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
