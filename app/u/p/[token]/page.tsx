import type { Metadata } from "next";
import { CircleCheckIcon, FlaskConicalIcon } from "lucide-react";
import { getDb } from "@/db/client";
import { linkSubject, preferenceCentre } from "@/lib/messages/unsubscribe";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { InvalidLink } from "@/components/preferences/invalid-link";
import { PreferenceForm } from "@/components/preferences/preference-form";
import { PublicShell } from "@/components/preferences/public-shell";
import { recipientTranslator } from "@/components/preferences/translator";

export const metadata: Metadata = { title: "Email preferences", robots: { index: false, follow: false } };

// /u/p/<token>: the hosted preference centre (signed link, no sign-in).
export default async function PreferenceCentrePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  const { token } = await params;
  const { saved } = await searchParams;
  const db = await getDb();
  const subject = await linkSubject(db, token, "p");
  const centre = subject ? await preferenceCentre(db, subject) : undefined;
  if (!subject || !centre) return <InvalidLink />;
  const { locale, t } = await recipientTranslator(centre.locale);

  return (
    <PublicShell locale={locale} workspaceName={centre.workspaceName}>
      <Card>
        <CardHeader>
          <CardTitle role="heading" aria-level={1}>
            {t("title")}
          </CardTitle>
          <CardDescription>
            {centre.maskedAddress ? t("intro", { workspace: centre.workspaceName, address: centre.maskedAddress }) : t("introNoAddress", { workspace: centre.workspaceName })}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          {centre.test ? (
            <Alert data-testid="preferences-test">
              <FlaskConicalIcon />
              <AlertTitle>{t("testTitle")}</AlertTitle>
              <AlertDescription>{t("testBody")}</AlertDescription>
            </Alert>
          ) : null}
          {saved ? (
            <Alert data-testid="preferences-saved" className="[&>svg]:text-emerald-600">
              <CircleCheckIcon />
              <AlertTitle>{t("savedTitle")}</AlertTitle>
              <AlertDescription>{centre.unsubscribedAll ? t("savedUnsubscribed") : t("savedBody")}</AlertDescription>
            </Alert>
          ) : null}
          <PreferenceForm token={token} centre={centre} t={t} />
        </CardContent>
      </Card>
    </PublicShell>
  );
}
