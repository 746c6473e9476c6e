import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { getSegment } from "@/lib/segments/manage";
import { PageHeader } from "@/components/shell/page-header";
import { SegmentForm } from "@/components/segments/segment-form";
import { loadCatalogue } from "@/components/segments/load-catalogue";
import { previewRuleAction, updateSegmentAction } from "../../actions";

export const metadata: Metadata = { title: "Edit segment" };

export default async function EditSegmentPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { db, workspace } = await requireWorkspace(slug, "marketer");
  const segment = await getSegment(db, workspace.id, id);
  if (!segment) notFound();
  const t = await getTranslations("segments");
  const catalogue = await loadCatalogue(db, workspace.id, segment.id);
  return (
    <>
      <PageHeader title={t("form.editTitle", { name: segment.name })} />
      <div className="p-6">
        <SegmentForm
          workspaceId={workspace.id}
          slug={workspace.slug}
          segment={{ id: segment.id, name: segment.name, description: segment.description, kind: segment.kind, rule: segment.rule }}
          catalogue={catalogue}
          save={updateSegmentAction}
          preview={previewRuleAction}
        />
      </div>
    </>
  );
}
