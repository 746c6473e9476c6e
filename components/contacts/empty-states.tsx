import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CodeIcon, FileSpreadsheetIcon, RadioTowerIcon, SearchXIcon, UsersIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/shell/empty-state";

/** A workspace without contacts: how people get here, and where to start. */
export async function NoContacts({ admin, canImport, slug }: { admin: boolean; canImport: boolean; slug: string }) {
  const t = await getTranslations("contacts");
  const ways = [
    { icon: RadioTowerIcon, title: t("empty.snippetTitle"), body: t("empty.snippetBody") },
    { icon: CodeIcon, title: t("empty.apiTitle"), body: t("empty.apiBody") },
    { icon: FileSpreadsheetIcon, title: t("empty.csvTitle"), body: t("empty.csvBody") },
  ];
  return (
    <EmptyState testId="contacts-empty" icon={UsersIcon} title={t("empty.title")} body={t("empty.body")}>
        <ul className="grid w-full max-w-3xl gap-4 text-left sm:grid-cols-3">
          {ways.map((way) => (
            <li key={way.title} className="flex gap-3 rounded-lg border p-4">
              <way.icon className="text-muted-foreground mt-0.5 size-4 shrink-0" aria-hidden />
              <div className="grid content-start gap-1">
                <p className="text-sm font-medium">{way.title}</p>
                <p className="text-muted-foreground text-sm">{way.body}</p>
              </div>
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap justify-center gap-2">
          <Button asChild variant="outline">
            <Link href={`/w/${slug}`}>{t("empty.findWriteKey")}</Link>
          </Button>
          {canImport ? (
            <Button asChild variant="outline">
              <Link href={`/w/${slug}/contacts/import`}>{t("empty.importCsv")}</Link>
            </Button>
          ) : null}
          {admin ? (
            <Button asChild>
              <Link href={`/w/${slug}/settings/keys`}>{t("empty.openKeys")}</Link>
            </Button>
          ) : (
            <p className="text-muted-foreground self-center text-sm">{t("empty.askAdmin")}</p>
          )}
        </div>
    </EmptyState>
  );
}

/** A search or tag that matches nobody, or a page past the end. */
export async function NoMatches({
  search,
  tag,
  clearHref,
  pastEnd,
}: {
  search?: string;
  tag?: string;
  clearHref: string;
  pastEnd?: boolean;
}) {
  const t = await getTranslations("contacts");
  const message = pastEnd
    ? t("noMore")
    : search && tag
      ? t("noMatchSearchTag", { search, tag })
      : search
        ? t("noMatchSearch", { search })
        : t("noMatchTag", { tag: tag ?? "" });
  return (
    <Card data-testid="contacts-no-match">
      <CardContent className="flex flex-col items-center gap-3 py-6 text-center">
        <SearchXIcon className="text-muted-foreground size-6" aria-hidden />
        <p className="text-sm">{message}</p>
        {!pastEnd ? <p className="text-muted-foreground text-sm">{t("noMatchHint")}</p> : null}
        <Button asChild variant="outline" size="sm">
          <Link href={clearHref}>{pastEnd ? t("firstPage") : t("clearSearch")}</Link>
        </Button>
      </CardContent>
    </Card>
  );
}
