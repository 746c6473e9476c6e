import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PlusIcon, TicketIcon } from "lucide-react";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/rewards/coupons";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { CouponValueText } from "@/components/rewards/coupon-value";
import { RewardsTabs } from "@/components/rewards/rewards-tabs";
import { StockBar } from "@/components/rewards/stock-bar";

export const metadata: Metadata = { title: "Coupons" };

export default async function CouponsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("rewards");
  const canEdit = hasRole(role, "marketer");
  const base = `/w/${workspace.slug}/rewards/coupons`;
  const campaigns = await listCampaigns(db, workspace.id);
  const now = new Date();
  const newButton = (label: string) => (
    <Button asChild>
      <Link href={`${base}/new`}>
        <PlusIcon />
        {label}
      </Link>
    </Button>
  );

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <RewardsTabs slug={workspace.slug} current="coupons" />
      <div className="grid gap-4 p-6">
        {campaigns.length === 0 ? (
          <EmptyState testId="campaigns-empty" icon={TicketIcon} title={t("campaigns.emptyTitle")} body={t("campaigns.emptyBody")}>
            {canEdit ? newButton(t("campaigns.emptyCreate")) : <p className="text-muted-foreground text-sm">{t("campaigns.askMarketer")}</p>}
          </EmptyState>
        ) : (
          <>
            {canEdit ? <div className="flex justify-end">{newButton(t("campaigns.new"))}</div> : null}
            <Card className="py-0">
              <CardContent className="overflow-x-auto px-0">
                <Table data-testid="campaigns-table">
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">{t("campaigns.name")}</TableHead>
                      <TableHead>{t("campaigns.value")}</TableHead>
                      <TableHead>{t("campaigns.source")}</TableHead>
                      <TableHead className="w-80">{t("campaigns.stock")}</TableHead>
                      <TableHead className="pr-4">{t("campaigns.validUntil")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {campaigns.map((campaign) => {
                      const ended = campaign.validUntil !== null && campaign.validUntil <= now;
                      return (
                        <TableRow key={campaign.id} data-campaign={campaign.id}>
                          <TableCell className="max-w-72 pl-4">
                            <Link href={`${base}/${campaign.id}`} className="block truncate font-medium hover:underline">
                              {campaign.name}
                            </Link>
                            {campaign.status === "archived" ? <span className="text-muted-foreground text-xs">{t("campaigns.archived")}</span> : null}
                            {campaign.available === 0 && campaign.status === "active" ? (
                              <span className="block text-xs text-amber-700 dark:text-amber-400" data-testid="out-of-stock">
                                {t("campaigns.outOfStock")}
                              </span>
                            ) : null}
                          </TableCell>
                          <TableCell className="text-sm">
                            <CouponValueText value={campaign.value} />
                          </TableCell>
                          <TableCell className="text-muted-foreground text-sm">
                            {campaign.source === "generated" ? <code className="font-mono text-xs">{campaign.pattern}</code> : t("campaigns.pool")}
                          </TableCell>
                          <TableCell>
                            <StockBar available={campaign.available} issued={campaign.issued} redeemed={campaign.redeemed} compact />
                          </TableCell>
                          <TableCell className="text-muted-foreground pr-4 text-sm">
                            {campaign.validUntil ? (
                              <span className={ended ? "text-destructive" : undefined}>
                                {ended ? `${t("campaigns.ended")} ` : null}
                                <DateTime value={campaign.validUntil} timeZone={workspace.timezone} />
                              </span>
                            ) : (
                              t("campaigns.noEnd")
                            )}
                          </TableCell>
                        </TableRow>
                      );
                    })}
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
