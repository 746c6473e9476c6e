import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { getMonitor } from "@/lib/monitors/manage";
import { rewardSettingsOf } from "@/lib/rewards/points";
import { PageHeader } from "@/components/shell/page-header";
import { draftOf } from "@/components/monitors/draft";
import { loadMonitorOptions } from "@/components/monitors/load-options";
import { MonitorForm } from "@/components/monitors/monitor-form";
import { checkWhereAction, eventPropertiesAction, findContactsAction, saveMonitorAction, testMonitorAction } from "../../actions";

export const metadata: Metadata = { title: "Edit monitor" };

export default async function EditMonitorPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace } = await requireWorkspace(slug, "marketer");
  const monitor = await getMonitor(db, workspace.id, id);
  if (!monitor) notFound();
  // An archived monitor no longer changes; its page says so.
  if (monitor.status === "archived") redirect(`/w/${workspace.slug}/monitors/${monitor.id}`);
  const t = await getTranslations("monitors");
  const [options, settings] = await Promise.all([loadMonitorOptions(db, workspace), rewardSettingsOf(db, workspace.id)]);
  return (
    <>
      <PageHeader title={t("form.editTitle", { name: monitor.name })} description={monitor.status === "active" ? t("form.editActive") : undefined} />
      <div className="p-6">
        <MonitorForm
          workspaceId={workspace.id}
          slug={workspace.slug}
          monitorId={monitor.id}
          initial={draftOf(monitor, options)}
          options={options}
          pointsName={settings.pointsName}
          actions={{ save: saveMonitorAction, test: testMonitorAction, checkWhere: checkWhereAction, eventProperties: eventPropertiesAction, findContacts: findContactsAction }}
        />
      </div>
    </>
  );
}
