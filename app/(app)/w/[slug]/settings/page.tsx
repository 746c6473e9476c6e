import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireWorkspace } from "@/lib/auth/session";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { WorkspaceForm } from "@/components/settings/workspace-form";
import { updateWorkspaceAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await requireWorkspace(slug, "admin");
  const t = await getTranslations("settings");
  return (
    <>
      <PageHeader title={t("title")} />
      <div className="grid gap-6 p-6">
        <Card>
          <CardHeader>
            <CardTitle>{t("generalTitle")}</CardTitle>
            <CardDescription>{t("generalDescription")}</CardDescription>
          </CardHeader>
          <CardContent>
            <WorkspaceForm
              workspace={{ id: workspace.id, name: workspace.name, timezone: workspace.timezone }}
              action={updateWorkspaceAction}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
