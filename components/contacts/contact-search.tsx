import Form from "next/form";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SearchIcon, TagIcon, XIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

// A GET form: the search and tag live in the URL, so a filtered list is a link to share.
export async function ContactSearch({
  action,
  search,
  tag,
  tags,
}: {
  action: string;
  search?: string;
  tag?: string;
  tags: string[];
}) {
  const t = await getTranslations("contacts");
  return (
    <Form key={`${search ?? ""}\n${tag ?? ""}`} action={action} role="search" className="flex flex-wrap items-end gap-2">
      <div className="grid gap-1.5">
        <Label htmlFor="contact-search" className="sr-only">
          {t("search")}
        </Label>
        <div className="relative">
          <SearchIcon className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2" aria-hidden />
          <Input
            id="contact-search"
            name="q"
            type="search"
            defaultValue={search}
            placeholder={t("searchPlaceholder")}
            className="w-72 pl-8"
            autoComplete="off"
          />
        </div>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="contact-tag" className="sr-only">
          {t("tagFilter")}
        </Label>
        <div className="relative">
          <TagIcon className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2" aria-hidden />
          <Input
            id="contact-tag"
            name="tag"
            defaultValue={tag}
            placeholder={t("tagPlaceholder")}
            className="w-44 pl-8"
            list="contact-tag-options"
            autoComplete="off"
          />
        </div>
        <datalist id="contact-tag-options">
          {tags.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
      </div>
      <Button type="submit" variant="secondary">
        {t("searchButton")}
      </Button>
      {search || tag ? (
        <Button variant="ghost" asChild>
          <Link href={action}>
            <XIcon />
            {t("clearFilters")}
          </Link>
        </Button>
      ) : null}
    </Form>
  );
}
