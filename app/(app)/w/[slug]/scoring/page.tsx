import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { listMembers } from "@/db/queries/workspaces";
import { hasRole } from "@/lib/auth/roles";
import { requireWorkspace } from "@/lib/auth/session";
import { recalculationStatus } from "@/lib/scoring/recalculate";
import { listScoringRules, rulesChangedSince } from "@/lib/scoring/rules";
import { scoringSettingsOf } from "@/lib/scoring/settings";
import { mqlContacts, scoreDistribution } from "@/lib/scoring/views";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { loadCatalogue } from "@/components/segments/load-catalogue";
import { DistributionChart } from "@/components/scoring/distribution-chart";
import { MqlTable } from "@/components/scoring/mql-table";
import { RecalculationPanel } from "@/components/scoring/recalculation-panel";
import { RulesCard } from "@/components/scoring/rules-card";
import { SettingsForm } from "@/components/scoring/settings-form";
import { previewRuleAction } from "../segments/actions";
import { deleteRuleAction, recalculateAction, recalculationProgressAction, saveRuleAction, saveSettingsAction, toggleRuleAction } from "./actions";

export const metadata: Metadata = { title: "Lead scoring" };

export default async function ScoringPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace, role } = await requireWorkspace(slug);
  const t = await getTranslations("scoring");
  const format = await getFormatter();
  const [rules, settings, recalculation, distribution, mqls, catalogue, members] = await Promise.all([
    listScoringRules(db, workspace.id),
    scoringSettingsOf(db, workspace.id),
    recalculationStatus(db, workspace.id),
    scoreDistribution(db, workspace.id),
    mqlContacts(db, workspace.id),
    loadCatalogue(db, workspace.id),
    listMembers(db, workspace.id),
  ]);
  const finishedAt = settings.recalculation?.finishedAt ? new Date(settings.recalculation.finishedAt) : null;
  const stale = rules.length > 0 && (await rulesChangedSince(db, workspace.id, finishedAt));
  const canEdit = hasRole(role, "marketer");

  return (
    <>
      <PageHeader title={t("page.title")} description={t("page.description")} />
      <div className="grid gap-6 p-6 lg:grid-cols-3">
        <Card className="min-w-0 lg:col-span-2">
          <CardHeader>
            <CardTitle>{t("distribution.title")}</CardTitle>
            <CardDescription>{t("distribution.description", { scored: format.number(distribution.scored), contacts: format.number(distribution.contacts) })}</CardDescription>
          </CardHeader>
          <CardContent>
            <DistributionChart buckets={distribution.buckets} thresholds={settings.thresholds} />
          </CardContent>
        </Card>
        <RecalculationPanel
          initial={recalculation}
          stale={stale}
          canEdit={canEdit}
          workspaceId={workspace.id}
          actions={{ start: recalculateAction, progress: recalculationProgressAction }}
        />
        <div className="grid min-w-0 content-start gap-6 lg:col-span-2">
          <RulesCard
            rules={rules.map((rule) => ({
              id: rule.id,
              kind: rule.kind,
              name: rule.name,
              rule: rule.rule,
              event: rule.event,
              where: rule.where,
              points: rule.points,
              cap: rule.cap,
              active: rule.active,
              scored30d: rule.scored30d,
            }))}
            canEdit={canEdit}
            workspaceId={workspace.id}
            tools={{ workspaceId: workspace.id, slug: workspace.slug, catalogue, preview: previewRuleAction }}
            actions={{ save: saveRuleAction, toggle: toggleRuleAction, remove: deleteRuleAction }}
          />
        </div>
        <div className="grid min-w-0 content-start gap-6">
          <SettingsForm
            settings={{ decay: settings.decay, thresholds: settings.thresholds, ownerId: settings.ownerId, handoffWebhookUrl: settings.handoffWebhookUrl }}
            members={members.map((member) => ({ id: member.userId, email: member.email, name: member.name }))}
            canEdit={hasRole(role, "admin")}
            workspaceId={workspace.id}
            save={saveSettingsAction}
          />
        </div>
        <Card className="min-w-0 lg:col-span-3" data-testid="scoring-mqls">
          <CardHeader>
            <CardTitle>{t("mql.title")}</CardTitle>
            <CardDescription>{t("mql.description")}</CardDescription>
          </CardHeader>
          <CardContent className={mqls.length > 0 ? "px-0" : undefined}>
            <MqlTable rows={mqls} slug={workspace.slug} timeZone={workspace.timezone} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
