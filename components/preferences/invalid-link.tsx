import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PublicShell } from "./public-shell";
import { recipientTranslator } from "./translator";

export async function InvalidLink() {
  const { locale, t } = await recipientTranslator(null);
  return (
    <PublicShell locale={locale}>
      <Card>
        <CardHeader>
          <CardTitle role="heading" aria-level={1}>
            {t("linkInvalidTitle")}
          </CardTitle>
          <CardDescription>{t("linkInvalidBody")}</CardDescription>
        </CardHeader>
      </Card>
    </PublicShell>
  );
}
