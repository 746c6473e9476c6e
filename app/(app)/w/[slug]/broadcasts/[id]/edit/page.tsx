import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { getBroadcast, listVariants } from "@/lib/broadcasts/manage";
import { PageHeader } from "@/components/shell/page-header";
import { BroadcastForm } from "@/components/broadcasts/broadcast-form";
import { draftOf } from "@/components/broadcasts/draft";
import { loadFormOptions } from "@/components/broadcasts/load-options";
import { audienceCountAction, saveBroadcastAction } from "../../actions";

export const metadata: Metadata = { title: "Edit broadcast" };

export default async function EditBroadcastPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace } = await requireWorkspace(slug, "marketer");
  const broadcast = await getBroadcast(db, workspace.id, id);
  if (!broadcast) notFound();
  // Only drafts change; the page of a scheduled or sent one says what can be done instead.
  if (broadcast.status !== "draft") redirect(`/w/${workspace.slug}/broadcasts/${broadcast.id}`);
  const t = await getTranslations("broadcasts");
  const [options, variants] = await Promise.all([loadFormOptions(db, workspace), listVariants(db, workspace.id, broadcast.id)]);
  // An archived template still shows as chosen, so saving says what is wrong with it.
  if (!options.templates.some((template) => template.id === broadcast.templateId)) {
    options.templates.push({ id: broadcast.templateId, name: t("form.unavailableTemplate"), channel: broadcast.channel, currentVersion: broadcast.templateVersion ?? 1 });
  }
  return (
    <>
      <PageHeader title={t("form.editTitle", { name: broadcast.name })} />
      <div className="p-6">
        <BroadcastForm
          workspaceId={workspace.id}
          slug={workspace.slug}
          broadcastId={broadcast.id}
          initial={draftOf(broadcast, variants, options)}
          options={options}
          save={saveBroadcastAction}
          count={audienceCountAction}
        />
      </div>
    </>
  );
}
