"use client";

import { useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import type { Channel, JsonObject, MessageKind, TemplateFormat } from "@/db/schema";
import type { ActionState } from "@/lib/auth/action";
import { SubmitButton } from "@/components/form/submit-button";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { ContentEditor } from "./content-editor";

type Save = (previous: ActionState<{ id: string; version: number }>, formData: FormData) => Promise<ActionState<{ id: string; version: number }>>;
type Archive = (previous: ActionState, formData: FormData) => Promise<ActionState>;

const selectClass = "border-input bg-background focus-visible:ring-ring/50 h-9 rounded-md border px-3 text-sm shadow-xs outline-none focus-visible:ring-[3px] disabled:opacity-50";

/** Subject, sender, kind, topic and content of a template; saving writes the next version. */
export function TemplateEditor({
  workspaceId,
  slug,
  template,
  version,
  topics,
  editable,
  canArchive,
  save,
  archive,
}: {
  workspaceId: string;
  slug: string;
  template: { id: string; name: string; channel: Channel; format: TemplateFormat; kind: MessageKind; topicId: string | null };
  version: { subject: string | null; preheader: string | null; fromName: string | null; fromEmail: string | null; replyTo: string | null; content: JsonObject };
  topics: Array<{ id: string; name: string }>;
  editable: boolean;
  canArchive: boolean;
  save: Save;
  archive: Archive;
}) {
  const t = useTranslations("templates.editor");
  const tc = useTranslations("templates");
  const router = useRouter();
  const [content, setContent] = useState<JsonObject>(version.content);
  const [state, run, pending] = useActionState<ActionState<{ id: string; version: number }>, FormData>(async (previous, formData) => {
    const result = await save(previous, formData);
    if (result?.ok) router.refresh();
    return result;
  }, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const contentError = Object.entries(errors).find(([path]) => path.startsWith("content"));
  const isEmail = template.channel === "email";

  return (
    <Card className="min-w-0">
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle>{t("title")}</CardTitle>
        {canArchive ? (
          <ArchiveButton workspaceId={workspaceId} slug={slug} templateId={template.id} archive={archive} />
        ) : null}
      </CardHeader>
      <CardContent>
        <form action={run} className="grid gap-4" data-testid="template-form">
          <input type="hidden" name="workspaceId" value={workspaceId} />
          <input type="hidden" name="id" value={template.id} />
          <input type="hidden" name="content" value={JSON.stringify(content)} />
          <FormAlert state={state} />
          {state?.ok ? (
            <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="saved">
              {t("saved", { version: state.data?.version ?? 0 })}
            </p>
          ) : null}
          <fieldset disabled={!editable} className="grid min-w-0 gap-4">
            <Field name="name" label={t("name")} defaultValue={template.name} required maxLength={200} error={errors.name} />
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="grid gap-2">
                <Label htmlFor="template-kind">{t("kind")}</Label>
                <select id="template-kind" name="kind" defaultValue={template.kind} className={selectClass}>
                  <option value="marketing">{tc("kinds.marketing")}</option>
                  <option value="transactional">{tc("kinds.transactional")}</option>
                </select>
                <p className="text-muted-foreground text-xs">{t("kindHelp")}</p>
              </div>
              <div className="grid gap-2">
                <Label htmlFor="template-topic">{t("topic")}</Label>
                <select id="template-topic" name="topic_id" defaultValue={template.topicId ?? "none"} className={selectClass}>
                  <option value="none">{t("noTopic")}</option>
                  {topics.map((topic) => (
                    <option key={topic.id} value={topic.id}>
                      {topic.name}
                    </option>
                  ))}
                </select>
                <p className="text-muted-foreground text-xs">{topics.length === 0 ? t("noTopicsYet") : t("topicHelp")}</p>
              </div>
            </div>
            {isEmail ? (
              <>
                <Field name="subject" label={t("subject")} defaultValue={version.subject ?? ""} required maxLength={998} error={errors.subject} hint={t("subjectHint")} />
                <Field name="preheader" label={t("preheader")} defaultValue={version.preheader ?? ""} maxLength={500} error={errors.preheader} hint={t("preheaderHint")} />
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field name="from_name" label={t("fromName")} defaultValue={version.fromName ?? ""} maxLength={200} error={errors.from_name} hint={t("fromHint")} />
                  <Field name="from_email" label={t("fromEmail")} defaultValue={version.fromEmail ?? ""} maxLength={320} error={errors.from_email} />
                </div>
                <Field name="reply_to" label={t("replyTo")} defaultValue={version.replyTo ?? ""} maxLength={320} error={errors.reply_to} />
              </>
            ) : null}
          </fieldset>
          <ContentEditor channel={template.channel} format={template.format} content={content} editable={editable} error={contentError ? `${contentError[0]}: ${contentError[1]}` : undefined} onChange={setContent} />
          {editable ? (
            <div className="flex gap-2">
              <Button type="submit" disabled={pending}>
                {pending ? <Loader2Icon className="animate-spin" /> : null}
                {pending ? t("saving") : t("save")}
              </Button>
            </div>
          ) : null}
        </form>
      </CardContent>
    </Card>
  );
}

function ArchiveButton({ workspaceId, slug, templateId, archive }: { workspaceId: string; slug: string; templateId: string; archive: Archive }) {
  const t = useTranslations("templates.editor");
  const router = useRouter();
  const [state, run] = useActionState<ActionState, FormData>(async (previous, formData) => {
    const result = await archive(previous, formData);
    if (result?.ok) router.push(`/w/${slug}/templates`);
    return result;
  }, null);
  return (
    <form
      action={run}
      className="flex items-center gap-2"
      onSubmit={(event) => {
        if (!window.confirm(t("archiveConfirm"))) event.preventDefault();
      }}
    >
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="id" value={templateId} />
      {state && !state.ok ? (
        <span role="alert" className="text-destructive text-sm">
          {state.error}
        </span>
      ) : null}
      <SubmitButton variant="outline" size="sm">
        {t("archive")}
      </SubmitButton>
    </form>
  );
}
