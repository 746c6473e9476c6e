"use client";

import { useTranslations } from "next-intl";
import { TagIcon, XIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SubmitButton } from "@/components/form/submit-button";

/** Shown while contacts are selected: one tag to add to or remove from all of them. */
export function BulkTagBar({
  workspaceId,
  selected,
  action,
  onClear,
}: {
  workspaceId: string;
  selected: string[];
  action: (formData: FormData) => void;
  onClear: () => void;
}) {
  const t = useTranslations("contacts.bulk");
  if (selected.length === 0) return null;
  return (
    <form
      action={action}
      className="bg-muted/50 flex flex-wrap items-center gap-2 border-b px-4 py-2"
      data-testid="bulk-tag-bar"
      aria-label={t("label")}
    >
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="ids" value={selected.join(",")} />
      <span className="text-sm font-medium" role="status">
        {t("selected", { count: selected.length })}
      </span>
      <Button type="button" variant="ghost" size="sm" onClick={onClear}>
        <XIcon />
        {t("clear")}
      </Button>
      <div className="ml-auto flex flex-wrap items-center gap-2">
        <Label htmlFor="bulk-tag" className="sr-only">
          {t("tag")}
        </Label>
        <div className="relative">
          <TagIcon className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2" aria-hidden />
          <Input id="bulk-tag" name="tag" placeholder={t("tagPlaceholder")} className="h-8 w-44 pl-8" required autoComplete="off" />
        </div>
        <SubmitButton size="sm" name="mode" value="add">
          {t("add")}
        </SubmitButton>
        <SubmitButton size="sm" variant="outline" name="mode" value="remove">
          {t("remove")}
        </SubmitButton>
      </div>
    </form>
  );
}
