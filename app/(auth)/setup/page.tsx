import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { countUsers } from "@/db/queries/users";
import { AuthCard } from "@/components/shell/auth-card";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Setup" };

export default async function SetupPage() {
  if ((await countUsers(await getDb())) > 0) redirect("/login");
  const t = await getTranslations("setup");
  return (
    <AuthCard title={t("title")} description={t("description")}>
      <SetupForm />
    </AuthCard>
  );
}
