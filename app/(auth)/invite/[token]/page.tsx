import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { findInviteByToken, inviteProblem } from "@/db/queries/invites";
import { currentUser } from "@/lib/auth/session";
import { AuthCard } from "@/components/shell/auth-card";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { AcceptInviteForm, SignUpInviteForm } from "./invite-forms";

export const metadata: Metadata = { title: "Invite" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations("invite");
  const tRoles = await getTranslations("roles");
  const found = await findInviteByToken(await getDb(), token);
  const problem = inviteProblem(found?.invite);
  if (!found || problem) {
    return (
      <AuthCard title={t("title", { workspace: found?.workspace.name ?? "Tideline" })}>
        <Alert variant="destructive" role="alert">
          <AlertDescription>{t(`problem.${problem ?? "unknown"}`)}</AlertDescription>
        </Alert>
      </AuthCard>
    );
  }
  const user = await currentUser();
  const description = t("description", { workspace: found.workspace.name, role: tRoles(found.invite.role) });
  return (
    <AuthCard title={t("title", { workspace: found.workspace.name })} description={description}>
      {user ? (
        <div className="grid gap-4">
          <p className="text-muted-foreground text-sm">{t("signedInAs", { email: user.email })}</p>
          <AcceptInviteForm token={token} />
        </div>
      ) : (
        <div className="grid gap-4">
          <SignUpInviteForm token={token} />
          <p className="text-muted-foreground text-center text-sm">
            {t("haveAccount")}{" "}
            <Link className="text-primary underline-offset-4 hover:underline" href={`/login?next=/invite/${token}`}>
              {t("signInFirst")}
            </Link>
          </p>
        </div>
      )}
    </AuthCard>
  );
}
