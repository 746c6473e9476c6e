import type { Metadata } from "next";
import { CircleCheckIcon } from "lucide-react";
import { getDb } from "@/db/client";
import { linkSubject, preferenceCentre, unsubscribeLinks } from "@/lib/messages/unsubscribe";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { InvalidLink } from "@/components/preferences/invalid-link";
import { PublicShell } from "@/components/preferences/public-shell";
import { recipientTranslator } from "@/components/preferences/translator";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false, follow: false } };

// /u/<token>/confirm: what a GET of the one-click link shows; the button POSTs to /u/<token>.
export default async function ConfirmUnsubscribePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  const { token } = await params;
  const { done } = await searchParams;
  const db = await getDb();
  const subject = await linkSubject(db, token, "u");
  const centre = subject ? await preferenceCentre(db, subject) : undefined;
  if (!subject || !centre) return <InvalidLink />;
  const { locale, t } = await recipientTranslator(centre.locale);
  const { preferences } = await unsubscribeLinks(db, { ...subject, origin: "" });

  return (
    <PublicShell locale={locale} workspaceName={centre.workspaceName}>
      <Card>
        {done ? (
          <>
            <CardHeader>
              <CardTitle role="heading" aria-level={1} className="flex items-center gap-2">
                <CircleCheckIcon className="size-5 text-emerald-600" aria-hidden />
                {t("unsubscribedTitle")}
              </CardTitle>
              <CardDescription>{t("unsubscribedFrom", { workspace: centre.workspaceName, address: centre.maskedAddress ?? "" })}</CardDescription>
            </CardHeader>
            <CardFooter>
              <Button asChild variant="outline">
                <a href={preferences}>{t("changedMind")}</a>
              </Button>
            </CardFooter>
          </>
        ) : (
          <>
            <CardHeader>
              <CardTitle role="heading" aria-level={1}>
                {t("confirmTitle")}
              </CardTitle>
              <CardDescription>{t("confirmBody", { workspace: centre.workspaceName, address: centre.maskedAddress ?? "" })}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              {centre.test ? <p className="text-muted-foreground text-sm">{t("testBody")}</p> : null}
              <form method="post" action={`/u/${token}`} className="flex flex-wrap items-center gap-3">
                <input type="hidden" name="via" value="page" />
                <Button type="submit" variant="destructive">
                  {t("confirmButton")}
                </Button>
                <Button asChild variant="ghost">
                  <a href={preferences}>{t("managePreferences")}</a>
                </Button>
              </form>
            </CardContent>
          </>
        )}
      </Card>
    </PublicShell>
  );
}
