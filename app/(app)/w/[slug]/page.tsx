import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ChevronDownIcon, SparklesIcon, UploadIcon } from "lucide-react";
import { firstActiveWriteKey } from "@/db/queries/api-keys";
import { listMembers } from "@/db/queries/workspaces";
import { roles, type Role, type Workspace } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { dashboardRange, parseRangeDays, type RangeDays } from "@/lib/dashboard/range";
import { dashboardStats, hasActivity, type DashboardStats } from "@/lib/dashboard/stats";
import { loaderSnippet } from "@/lib/tracking/snippet";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/shell/empty-state";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { DailyChart } from "@/components/dashboard/daily-chart";
import { GettingStartedSteps } from "@/components/dashboard/getting-started";
import { KpiCard } from "@/components/dashboard/kpi-card";
import { RangePicker } from "@/components/dashboard/range-picker";
import { RecentBroadcasts } from "@/components/dashboard/recent-broadcasts";

export const metadata: Metadata = { title: "Home" };

// The dashboard once contacts or events have arrived; until then, the getting-started guide.
export default async function HomePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ denied?: string; range?: string | string[] }>;
}) {
  const { slug } = await params;
  const { denied, range } = await searchParams;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("home");
  const tDashboard = await getTranslations("dashboard");
  const tRoles = await getTranslations("roles");
  const days = parseRangeDays(range);
  const active = await hasActivity(db, workspace.id);
  const stats = active ? await dashboardStats(db, workspace.id, { ...dashboardRange(days, workspace.timezone), timezone: workspace.timezone }) : undefined;
  const [writeKey, members, origin] = await Promise.all([firstActiveWriteKey(db, workspace.id), listMembers(db, workspace.id), appUrl()]);
  const snippet = writeKey?.publicToken ? loaderSnippet({ appUrl: origin, writeKey: writeKey.publicToken }) : undefined;
  const admin = hasRole(role, "admin");
  const deniedRole = (roles as readonly string[]).includes(denied ?? "") ? (denied as Role) : undefined;
  const base = `/w/${workspace.slug}`;
  const steps = <GettingStartedSteps writeKey={writeKey?.publicToken} snippet={snippet} admin={admin} base={base} />;
  const facts = <WorkspaceFacts workspace={workspace} role={role} memberCount={members.length} />;
  const deniedAlert = deniedRole ? (
    <Alert variant="destructive" role="alert">
      <AlertDescription>{t("denied", { role: tRoles(deniedRole) })}</AlertDescription>
    </Alert>
  ) : null;

  if (!stats) {
    return (
      <>
        <PageHeader title={t("title", { workspace: workspace.name })} description={t("description")} />
        <div className="grid items-start gap-6 p-6 lg:grid-cols-3">
          {deniedAlert ? <div className="lg:col-span-3">{deniedAlert}</div> : null}
          <div className="lg:col-span-3">
            <EmptyState icon={SparklesIcon} title={tDashboard("empty.title")} body={tDashboard("empty.body")} testId="dashboard-empty">
              {hasRole(role, "marketer") ? (
                <Button asChild size="sm" variant="outline">
                  <Link href={`${base}/contacts/import`}>
                    <UploadIcon />
                    {tDashboard("empty.importContacts")}
                  </Link>
                </Button>
              ) : null}
            </EmptyState>
          </div>
          <Card className="min-w-0 lg:col-span-2">
            <CardHeader>
              <CardTitle>{t("gettingStarted")}</CardTitle>
            </CardHeader>
            <CardContent>{steps}</CardContent>
          </Card>
          {facts}
        </div>
      </>
    );
  }

  return (
    <>
      <PageHeader title={tDashboard("title")} description={tDashboard("description", { workspace: workspace.name, timezone: workspace.timezone })} />
      <div className="grid gap-6 p-6">
        {deniedAlert}
        <Dashboard stats={stats} days={days} base={base} workspace={workspace} canImport={hasRole(role, "marketer")} />
        <div className="grid items-start gap-6 lg:grid-cols-3">
          <Card className="min-w-0 py-0 lg:col-span-2">
            <details className="group" data-testid="getting-started">
              <summary className="flex cursor-pointer list-none items-center justify-between gap-3 rounded-xl px-6 py-5 font-semibold [&::-webkit-details-marker]:hidden">
                {tDashboard("gettingStartedAgain")}
                <ChevronDownIcon className="text-muted-foreground size-4 shrink-0 transition-transform group-open:rotate-180" aria-hidden />
              </summary>
              <div className="px-6 pb-6">{steps}</div>
            </details>
          </Card>
          {facts}
        </div>
      </div>
    </>
  );
}

async function Dashboard({ stats, days, base, workspace, canImport }: { stats: DashboardStats; days: RangeDays; base: string; workspace: Workspace; canImport: boolean }) {
  const t = await getTranslations("dashboard");
  const format = await getFormatter();
  const { current, previous } = stats;
  const delivered = current.delivered > 0;
  const count = (value: number) => format.number(value);
  const percent = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  const span = format.dateTimeRange(stats.range.from, stats.range.to, { year: "numeric", month: "short", day: "numeric", timeZone: workspace.timezone });
  const emptyChart = (title: string, hint: string, action?: { href: string; label: string }) => (
    <>
      <p className="text-foreground font-medium">{title}</p>
      <p className="max-w-md">{hint}</p>
      {action ? (
        <Button asChild size="sm" variant="outline">
          <Link href={action.href}>{action.label}</Link>
        </Button>
      ) : null}
    </>
  );

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <RangePicker href={base} current={days} />
        <p className="text-muted-foreground text-sm" data-testid="range-span">
          {t("range.span", { range: span, days })}
        </p>
      </div>

      <section aria-label={t("title")} className="grid grid-cols-2 gap-3 sm:gap-4 xl:grid-cols-4">
        <KpiCard testId="kpi-contacts" label={t("kpis.contacts")} value={count(current.contacts)} days={days} change={{ current: current.contacts, previous: previous.contacts, kind: "percent" }} />
        <KpiCard testId="kpi-new-contacts" label={t("kpis.newContacts")} value={count(current.newContacts)} days={days} change={{ current: current.newContacts, previous: previous.newContacts, kind: "percent" }} />
        <KpiCard
          testId="kpi-events-today"
          label={t("kpis.eventsToday")}
          value={count(stats.eventsToday)}
          days={days}
          hint={t("kpis.eventsTodayHint", { count: current.events, days })}
          change={{ current: current.events, previous: previous.events, kind: "percent" }}
        />
        <KpiCard testId="kpi-sent" label={t("kpis.sent")} value={count(current.sent)} days={days} change={{ current: current.sent, previous: previous.sent, kind: "percent" }} />
        {/* A rate of nothing delivered is no rate at all: a dash, not 0%. */}
        <KpiCard
          testId="kpi-open-rate"
          label={t("kpis.openRate")}
          value={delivered ? percent(current.openRate) : "—"}
          days={days}
          hint={delivered ? t("kpis.openRateHint", { opened: count(current.opened), delivered: count(current.delivered) }) : t("kpis.noDelivered", { days })}
          change={delivered ? { current: current.openRate, previous: previous.openRate, kind: "points", nothingBefore: previous.delivered === 0 } : undefined}
        />
        <KpiCard
          testId="kpi-click-rate"
          label={t("kpis.clickRate")}
          value={delivered ? percent(current.clickRate) : "—"}
          days={days}
          hint={delivered ? t("kpis.clickRateHint", { clicked: count(current.clicked), delivered: count(current.delivered) }) : t("kpis.noDelivered", { days })}
          change={delivered ? { current: current.clickRate, previous: previous.clickRate, kind: "points", nothingBefore: previous.delivered === 0 } : undefined}
        />
        <KpiCard testId="kpi-unsubscribed" label={t("kpis.unsubscribed")} value={count(current.unsubscribed)} days={days} change={{ current: current.unsubscribed, previous: previous.unsubscribed, kind: "percent", upIsGood: false }} />
        <KpiCard
          testId="kpi-revenue"
          label={t("kpis.revenue")}
          value={stats.conversionTracked ? format.number(current.revenue, { maximumFractionDigits: 2 }) : "—"}
          days={days}
          hint={stats.conversionTracked ? t("kpis.revenueHint", { count: current.conversions }) : t("kpis.revenueUntracked")}
          change={stats.conversionTracked ? { current: current.revenue, previous: previous.revenue, kind: "percent" } : undefined}
        />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>{t("charts.contacts")}</CardTitle>
          </CardHeader>
          <CardContent>
            <DailyChart
              testId="chart-contacts"
              title={t("charts.contacts")}
              days={stats.days}
              series={["newContacts"]}
              empty={emptyChart(t("charts.noContacts", { days }), t("charts.noContactsHint"), canImport ? { href: `${base}/contacts/import`, label: t("charts.importContacts") } : undefined)}
            />
          </CardContent>
        </Card>
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>{t("charts.events")}</CardTitle>
          </CardHeader>
          <CardContent>
            <DailyChart testId="chart-events" title={t("charts.events")} days={stats.days} series={["events"]} empty={emptyChart(t("charts.noEvents", { days }), t("charts.noEventsHint"))} />
          </CardContent>
        </Card>
      </div>

      <Card className="min-w-0">
        <CardHeader>
          <CardTitle>{t("charts.messages")}</CardTitle>
          <CardDescription>{t("charts.messagesDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <DailyChart
            testId="chart-messages"
            title={t("charts.messages")}
            days={stats.days}
            series={["sent", "opened", "clicked"]}
            empty={emptyChart(t("charts.noMessages", { days }), t("charts.noMessagesHint"), { href: `${base}/broadcasts`, label: t("charts.openBroadcasts") })}
          />
        </CardContent>
      </Card>

      <Card className="min-w-0">
        <CardHeader>
          <CardTitle>{t("broadcasts.title")}</CardTitle>
        </CardHeader>
        <CardContent>
          <RecentBroadcasts broadcasts={stats.recentBroadcasts} base={base} timeZone={workspace.timezone} />
        </CardContent>
      </Card>
    </>
  );
}

async function WorkspaceFacts({ workspace, role, memberCount }: { workspace: Workspace; role: Role; memberCount: number }) {
  const t = await getTranslations("home");
  const tRoles = await getTranslations("roles");
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("workspaceFacts")}</CardTitle>
        <CardDescription>{workspace.name}</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted-foreground">{t("yourRole")}</dt>
          <dd>{tRoles(role)}</dd>
          <dt className="text-muted-foreground">{t("members")}</dt>
          <dd>{t("team", { count: memberCount })}</dd>
          <dt className="text-muted-foreground">{t("timezone")}</dt>
          <dd>{workspace.timezone}</dd>
          <dt className="text-muted-foreground">{t("created")}</dt>
          <dd>
            <DateTime value={workspace.createdAt} timeZone={workspace.timezone} />
          </dd>
        </dl>
      </CardContent>
    </Card>
  );
}
