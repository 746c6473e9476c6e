import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { countUsers } from "@/db/queries/users";
import { oauthProviders } from "@/lib/auth/auth";
import { currentUser } from "@/lib/auth/session";
import { AuthCard } from "@/components/shell/auth-card";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  if ((await countUsers(await getDb())) === 0) redirect("/setup");
  const { next, error } = await searchParams;
  if (await currentUser()) redirect(next?.startsWith("/") && !next.startsWith("//") ? next : "/");
  const t = await getTranslations("login");
  return (
    <AuthCard title={t("title")} description={t("description")}>
      <LoginForm next={next ?? "/"} providers={oauthProviders()} oauthError={error ? t("oauthFailed") : undefined} />
    </AuthCard>
  );
}
