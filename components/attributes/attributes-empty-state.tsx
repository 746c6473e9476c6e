import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ListTreeIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";

const example = `tideline.identify("user-42", {
  email: "li.na@example.com",
  plan: "pro",
  seats: 12,
  renews_on: "2026-09-01"
});`;

/** What to do when no attribute has arrived yet: send traits. */
export async function AttributesEmptyState({ keysHref }: { keysHref: string }) {
  const t = await getTranslations("attributes");
  return (
    <Card>
      <CardContent className="flex flex-col items-center gap-3 py-8 text-center">
        <ListTreeIcon className="text-muted-foreground size-8" aria-hidden />
        <h2 className="font-semibold">{t("emptyTitle")}</h2>
        <p className="text-muted-foreground max-w-prose text-sm">{t("emptyBody")}</p>
        <pre className="bg-muted max-w-full overflow-x-auto rounded-md p-3 text-left font-mono text-xs">{example}</pre>
        <p className="text-muted-foreground max-w-prose text-sm">{t("emptyDocs")}</p>
        <Button asChild variant="outline" size="sm">
          <Link href={keysHref}>{t("emptyKeysLink")}</Link>
        </Button>
      </CardContent>
    </Card>
  );
}
