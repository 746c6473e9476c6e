import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { listWorkspacesForUser } from "@/db/queries/workspaces";
import { requireUser } from "@/lib/auth/session";
import { AuthCard } from "@/components/shell/auth-card";
import { NewWorkspaceForm } from "./new-workspace-form";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  const user = await requireUser();
  const t = await getTranslations("newWorkspace");
  const existing = await listWorkspacesForUser(await getDb(), user.id);
  return (
    <AuthCard title={t("title")} description={existing.length === 0 ? t("noneYet") : t("description")}>
      <NewWorkspaceForm />
    </AuthCard>
  );
}
