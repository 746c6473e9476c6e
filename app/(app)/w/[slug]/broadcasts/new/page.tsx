import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { BroadcastForm } from "@/components/broadcasts/broadcast-form";
import { newDraft } from "@/components/broadcasts/draft";
import { loadFormOptions } from "@/components/broadcasts/load-options";
import { MissingParts } from "@/components/broadcasts/missing-parts";
import { audienceCountAction, saveBroadcastAction } from "../actions";

export const metadata: Metadata = { title: "New broadcast" };

export default async function NewBroadcastPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ segment?: string }> }) {
  const { slug } = await params;
  const { segment } = await searchParams;
  const { db, workspace } = await requireWorkspace(slug, "marketer");
  const t = await getTranslations("broadcasts");
  const options = await loadFormOptions(db, workspace);
  const ready = options.templates.length > 0 && options.segments.length > 0;
  return (
    <>
      <PageHeader title={t("form.newTitle")} description={t("form.newDescription")} />
      <div className="p-6">
        {ready ? (
          <BroadcastForm workspaceId={workspace.id} slug={workspace.slug} initial={newDraft(options, { include: segment })} options={options} save={saveBroadcastAction} count={audienceCountAction} />
        ) : (
          <MissingParts slug={workspace.slug} templates={options.templates.length > 0} segments={options.segments.length > 0} />
        )}
      </div>
    </>
  );
}
