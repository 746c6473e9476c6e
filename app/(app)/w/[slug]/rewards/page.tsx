import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ActivityIcon, CoinsIcon, SearchIcon, XIcon } from "lucide-react";
import { findContact } from "@/db/queries/contacts";
import { pointSources } from "@/db/schema";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { rewardSettingsOf, searchLedger } from "@/lib/rewards/points";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DateTime } from "@/components/settings/date-time";
import { NativeSelect } from "@/components/broadcasts/native-select";
import { AdjustPointsDialog } from "@/components/rewards/adjust-points-dialog";
import { PointsChange, SourceText } from "@/components/rewards/ledger-bits";
import { RewardSettingsForm } from "@/components/rewards/settings-form";
import { RewardsTabs } from "@/components/rewards/rewards-tabs";
import { findContactsAction } from "../monitors/actions";
import { adjustPointsAction, saveRewardSettingsAction } from "./actions";
import { ledgerSearchSchema } from "./schemas";

export const metadata: Metadata = { title: "Rewards" };

export default async function PointsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { slug } = await params;
  const query = ledgerSearchSchema.parse(await searchParams);
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("rewards");
  const format = await getFormatter();
  const canEdit = hasRole(role, "marketer");
  const base = `/w/${workspace.slug}/rewards`;
  const email = query.email?.trim() || undefined;
  const contact = email ? await findContact(db, workspace.id, { email }) : undefined;
  const [settings, ledger] = await Promise.all([
    rewardSettingsOf(db, workspace.id),
    email && !contact ? Promise.resolve({ transactions: [], nextBefore: null }) : searchLedger(db, workspace.id, { contactId: contact?.id, source: query.source, before: query.before, limit: 50 }),
  ]);
  const filtered = Boolean(email || query.source);
  const older = ledger.nextBefore ? `${base}?${new URLSearchParams({ ...(email ? { email } : {}), ...(query.source ? { source: query.source } : {}), before: String(ledger.nextBefore) })}` : null;
  const unit = settings.pointsName ?? t("points.defaultName");

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <RewardsTabs slug={workspace.slug} current="points" />
      <div className="grid gap-6 p-6 xl:grid-cols-[22rem_1fr]">
        <Card className="content-start self-start">
          <CardHeader>
            <CardTitle>{t("settings.title")}</CardTitle>
            <CardDescription>{t("settings.description")}</CardDescription>
          </CardHeader>
          <CardContent>
            <RewardSettingsForm key={JSON.stringify(settings)} workspaceId={workspace.id} settings={settings} save={saveRewardSettingsAction} disabled={!canEdit} />
          </CardContent>
        </Card>

        <Card className="min-w-0 pb-0">
          <CardHeader>
            <CardTitle>{t("ledger.title")}</CardTitle>
            <CardDescription>{t("ledger.description", { unit })}</CardDescription>
            {canEdit ? (
              <CardAction>
                <AdjustPointsDialog workspaceId={workspace.id} pointsName={settings.pointsName} adjust={adjustPointsAction} find={findContactsAction} />
              </CardAction>
            ) : null}
          </CardHeader>
          <CardContent className="grid gap-4 px-0">
            <Form key={`${email ?? ""}:${query.source ?? ""}`} action={base} role="search" className="flex flex-wrap items-end gap-2 px-6" data-testid="ledger-search">
              <div className="grid gap-1.5">
                <Label htmlFor="ledger-email">{t("ledger.email")}</Label>
                <div className="relative">
                  <SearchIcon className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2" aria-hidden />
                  <Input id="ledger-email" name="email" type="search" defaultValue={email} placeholder="ann@example.com" className="w-64 pl-8" autoComplete="off" />
                </div>
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor="ledger-source">{t("ledger.source")}</Label>
                <NativeSelect id="ledger-source" name="source" defaultValue={query.source ?? ""} className="w-44">
                  <option value="">{t("ledger.anySource")}</option>
                  {pointSources.map((source) => (
                    <option key={source} value={source}>
                      {t(`sources.${source}`)}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <Button type="submit" variant="secondary">
                {t("ledger.search")}
              </Button>
              {filtered ? (
                <Button asChild variant="ghost">
                  <Link href={base}>
                    <XIcon />
                    {t("ledger.clear")}
                  </Link>
                </Button>
              ) : null}
            </Form>
            {email && !contact ? (
              <p className="text-muted-foreground px-6 pb-6 text-sm" role="status" data-testid="ledger-no-contact">
                {t("ledger.noContact", { email })}
              </p>
            ) : ledger.transactions.length === 0 ? (
              <EmptyState bare testId="ledger-empty" icon={CoinsIcon} title={filtered ? t("ledger.noneFound") : t("ledger.emptyTitle")} body={filtered ? t("ledger.noneFoundBody") : t("ledger.emptyBody", { unit })}>
                {!filtered && canEdit ? (
                  <Button asChild variant="outline">
                    <Link href={`/w/${workspace.slug}/monitors`}>
                      <ActivityIcon />
                      {t("ledger.toMonitors")}
                    </Link>
                  </Button>
                ) : null}
              </EmptyState>
            ) : (
              <>
                <div className="overflow-x-auto">
                  <Table data-testid="ledger-table">
                    <TableHeader>
                      <TableRow>
                        <TableHead className="pl-6">{t("ledger.when")}</TableHead>
                        <TableHead>{t("ledger.contact")}</TableHead>
                        <TableHead className="text-right">{t("ledger.change")}</TableHead>
                        <TableHead className="text-right">{t("ledger.balance")}</TableHead>
                        <TableHead>{t("ledger.source")}</TableHead>
                        <TableHead className="pr-6">{t("ledger.reason")}</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {ledger.transactions.map((row) => (
                        <TableRow key={row.id} data-source={row.source}>
                          <TableCell className="text-muted-foreground pl-6 text-sm">
                            <DateTime value={new Date(row.createdAt)} timeZone={workspace.timezone} />
                          </TableCell>
                          <TableCell className="max-w-56">
                            <Link href={`/w/${workspace.slug}/contacts/${row.contactId}`} className="block truncate hover:underline">
                              {row.email ?? t("ledger.noEmail")}
                            </Link>
                          </TableCell>
                          <TableCell className="text-right">
                            <PointsChange amount={row.amount} />
                            {row.expiresAt && row.amount > 0 ? (
                              <span className="text-muted-foreground block text-xs">
                                {t("ledger.expires", { date: format.dateTime(new Date(row.expiresAt), { dateStyle: "medium", timeZone: workspace.timezone }) })}
                              </span>
                            ) : null}
                          </TableCell>
                          <TableCell className="text-right tabular-nums">{format.number(row.balanceAfter)}</TableCell>
                          <TableCell>
                            <SourceText source={row.source} />
                          </TableCell>
                          <TableCell className="text-muted-foreground max-w-64 truncate pr-6 text-sm">{row.reason === "expired" && row.source === "expiry" ? t("ledger.expired") : (row.reason ?? "—")}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
                {older || query.before ? (
                  <div className="flex justify-end gap-2 px-6 pb-4">
                    {query.before ? (
                      <Button asChild variant="ghost" size="sm">
                        <Link href={`${base}?${new URLSearchParams({ ...(email ? { email } : {}), ...(query.source ? { source: query.source } : {}) })}`}>{t("ledger.newest")}</Link>
                      </Button>
                    ) : null}
                    {older ? (
                      <Button asChild variant="outline" size="sm">
                        <Link href={older}>{t("ledger.older")}</Link>
                      </Button>
                    ) : null}
                  </div>
                ) : (
                  <div className="pb-2" />
                )}
              </>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
