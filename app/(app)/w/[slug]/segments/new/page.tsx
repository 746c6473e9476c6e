import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { SegmentForm } from "@/components/segments/segment-form";
import { loadCatalogue } from "@/components/segments/load-catalogue";
import { createSegmentAction, previewRuleAction } from "../actions";

export const metadata: Metadata = { title: "New segment" };

export default async function NewSegmentPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await requireWorkspace(slug, "marketer");
  const t = await getTranslations("segments");
  const catalogue = await loadCatalogue(db, workspace.id);
  return (
    <>
      <PageHeader title={t("form.newTitle")} description={t("form.newDescription")} />
      <div className="p-6">
        <SegmentForm workspaceId={workspace.id} slug={workspace.slug} catalogue={catalogue} save={createSegmentAction} preview={previewRuleAction} />
      </div>
    </>
  );
}
