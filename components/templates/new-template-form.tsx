"use client";

import { useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { FormAlert } from "@/components/form/form-alert";
import { Field } from "@/components/form/field";
import { Button } from "@/components/ui/button";

type Create = (previous: ActionState<{ id: string }>, formData: FormData) => Promise<ActionState<{ id: string }>>;

const channelChoices = ["email", "sms", "inbox", "webhook"] as const;
const emailChoices = ["visual", "welcome", "newsletter", "transactional"] as const;

/** Name, channel and how the content is made; the editor opens on a starter the marketer edits. */
export function NewTemplateForm({ workspaceId, slug, create }: { workspaceId: string; slug: string; create: Create }) {
  const t = useTranslations("templates.new");
  const tc = useTranslations("templates");
  const router = useRouter();
  const [channel, setChannel] = useState<(typeof channelChoices)[number]>("email");
  const [start, setStart] = useState<(typeof emailChoices)[number]>("visual");
  const [state, run, pending] = useActionState<ActionState<{ id: string }>, FormData>(async (previous, formData) => {
    const result = await create(previous, formData);
    if (result?.ok && result.data) router.push(`/w/${slug}/templates/${result.data.id}`);
    return result;
  }, null);
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const format = channel !== "email" ? "text" : start === "visual" ? "visual" : "code";

  return (
    <form action={run} className="grid max-w-2xl gap-6" data-testid="new-template-form">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="channel" value={channel} />
      <input type="hidden" name="format" value={format} />
      {format === "code" ? <input type="hidden" name="component" value={start} /> : null}
      <FormAlert state={state} />
      <Field name="name" label={t("name")} placeholder={t("namePlaceholder")} required maxLength={200} autoFocus error={fieldErrors.name ? t("nameRequired") : undefined} />
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">{t("channel")}</legend>
        <div className="grid gap-2 sm:grid-cols-4">
          {channelChoices.map((option) => (
            <label key={option} className="has-[:checked]:border-primary flex cursor-pointer items-center gap-2 rounded-lg border p-3 text-sm">
              <input type="radio" name="channel-choice" value={option} checked={channel === option} onChange={() => setChannel(option)} />
              {tc(`channels.${option}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {channel === "email" ? (
        <fieldset className="grid gap-2">
          <legend className="mb-2 text-sm font-medium">{t("start")}</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {emailChoices.map((option) => (
              <label key={option} className="has-[:checked]:border-primary flex cursor-pointer gap-3 rounded-lg border p-3 text-sm">
                <input type="radio" name="start-choice" value={option} checked={start === option} onChange={() => setStart(option)} className="mt-1" />
                <span className="grid gap-1">
                  <span className="font-medium">{t(`starts.${option}`)}</span>
                  <span className="text-muted-foreground">{t(`startHelp.${option}`)}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <p className="text-muted-foreground text-sm">{t(`textHelp.${channel}`)}</p>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? <Loader2Icon className="animate-spin" /> : null}
          {t("create")}
        </Button>
        <Button type="button" variant="outline" onClick={() => router.back()}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
