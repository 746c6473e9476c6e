import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { NewTemplateForm } from "@/components/templates/new-template-form";
import { createTemplateAction } from "../actions";

export const metadata: Metadata = { title: "New template" };

export default async function NewTemplatePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await requireWorkspace(slug, "marketer");
  const t = await getTranslations("templates");
  return (
    <>
      <PageHeader title={t("new.title")} description={t("new.description")} />
      <div className="p-6">
        <NewTemplateForm workspaceId={workspace.id} slug={workspace.slug} create={createTemplateAction} />
      </div>
    </>
  );
}
