"use client";

import { useActionState, useState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { PlusIcon, TagIcon, XIcon } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/form/field";
import { SubmitButton } from "@/components/form/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { useValidationMessage } from "./validation-message";

type TagResult = { changed: number; mode: "add" | "remove"; tag: string };
type TagAction = (previous: ActionState<TagResult>, formData: FormData) => Promise<ActionState<TagResult>>;

export function ContactTags({
  workspaceId,
  contactId,
  tags,
  canEdit,
  listHref,
  action,
}: {
  workspaceId: string;
  contactId: string;
  tags: string[];
  canEdit: boolean;
  listHref: string;
  action: TagAction;
}) {
  const t = useTranslations("contacts.profile");
  const message = useValidationMessage();
  const [draft, setDraft] = useState("");
  const [state, run] = useActionState<ActionState<TagResult>, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result?.ok && result.data?.mode === "add") setDraft("");
    if (result && !result.ok && !result.fieldErrors?.tag) toast.error(result.error);
    return result;
  }, null);
  const tagError = state && !state.ok && state.fieldErrors?.tag ? message(state.fieldErrors.tag) : undefined;

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("tags")}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        {tags.length === 0 ? (
          <p className="text-muted-foreground flex items-center gap-2 text-sm">
            <TagIcon className="size-4" aria-hidden />
            {t("noTags")}
          </p>
        ) : (
          <ul className="flex flex-wrap gap-1.5" data-testid="contact-tags">
            {tags.map((tag) => (
              <li key={tag}>
                <Badge variant="secondary" className="gap-0.5 pr-0.5">
                  <Link href={`${listHref}?tag=${encodeURIComponent(tag)}`} className="hover:underline">
                    {tag}
                  </Link>
                  {canEdit ? (
                    <form action={run} className="contents">
                      <input type="hidden" name="workspaceId" value={workspaceId} />
                      <input type="hidden" name="id" value={contactId} />
                      <input type="hidden" name="tag" value={tag} />
                      <input type="hidden" name="mode" value="remove" />
                      <button
                        type="submit"
                        className="hover:bg-foreground/10 focus-visible:ring-ring/50 rounded-sm p-0.5 outline-none focus-visible:ring-2"
                        aria-label={t("removeTag", { tag })}
                      >
                        <XIcon className="size-3" />
                      </button>
                    </form>
                  ) : null}
                </Badge>
              </li>
            ))}
          </ul>
        )}
        {canEdit ? (
          <form action={run} className="grid gap-1.5" noValidate>
            <input type="hidden" name="workspaceId" value={workspaceId} />
            <input type="hidden" name="id" value={contactId} />
            <input type="hidden" name="mode" value="add" />
            <Label htmlFor="contact-add-tag" className="sr-only">
              {t("newTag")}
            </Label>
            <div className="flex gap-2">
              <Input
                id="contact-add-tag"
                name="tag"
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
                placeholder={t("newTagPlaceholder")}
                className="h-8"
                autoComplete="off"
                aria-invalid={tagError ? true : undefined}
                aria-describedby={tagError ? "contact-add-tag-error" : undefined}
              />
              <SubmitButton size="sm" variant="outline">
                <PlusIcon />
                {t("addTag")}
              </SubmitButton>
            </div>
            <FieldError id="contact-add-tag-error" message={tagError} />
          </form>
        ) : null}
      </CardContent>
    </Card>
  );
}
