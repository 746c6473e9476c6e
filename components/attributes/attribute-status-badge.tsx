import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";

/** "Declared" (a person chose the type) or "Discovered" (guessed from data), with why on hover. */
export async function AttributeStatusBadge({ declared }: { declared: boolean }) {
  const t = await getTranslations("attributes");
  return declared ? (
    <Badge title={t("declaredHint")}>{t("declared")}</Badge>
  ) : (
    <Badge variant="outline" title={t("discoveredHint")}>
      {t("discovered")}
    </Badge>
  );
}
