"use client";

import { useActionState, useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { PencilIcon, PlusIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { Field, FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import type { ActionState } from "@/lib/auth/action";
import { toast } from "sonner";

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

export interface TopicFields {
  id: string;
  name: string;
  description: string | null;
  defaultSubscribed: boolean;
}

/** Add a topic, or edit one when `topic` is given. */
export function TopicDialog({ workspaceId, action, topic }: { workspaceId: string; action: Action; topic?: TopicFields }) {
  const t = useTranslations("topics");
  const [open, setOpen] = useState(false);
  const [session, setSession] = useState(0);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setSession((n) => n + 1);
      }}
    >
      <DialogTrigger asChild>
        {topic ? (
          <Button variant="ghost" size="sm" aria-label={t("editNamed", { name: topic.name })}>
            <PencilIcon />
            {t("edit")}
          </Button>
        ) : (
          <Button size="sm">
            <PlusIcon />
            {t("add")}
          </Button>
        )}
      </DialogTrigger>
      <DialogContent>
        <TopicForm key={session} workspaceId={workspaceId} action={action} topic={topic} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

function TopicForm({ workspaceId, action, topic, onDone }: { workspaceId: string; action: Action; topic?: TopicFields; onDone: () => void }) {
  const t = useTranslations("topics");
  const [state, run] = useActionState(action, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const saved = state?.ok === true;
  useEffect(() => {
    if (!saved) return;
    toast.success(topic ? t("updatedToast") : t("createdToast"));
    onDone();
  }, [saved, onDone, t, topic]);
  return (
    <form action={run} className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{topic ? t("editTitle") : t("addTitle")}</DialogTitle>
        <DialogDescription>{t("dialogDescription")}</DialogDescription>
      </DialogHeader>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {topic ? <input type="hidden" name="id" value={topic.id} /> : null}
      <FormAlert state={state} />
      <Field name="name" label={t("name")} placeholder={t("namePlaceholder")} defaultValue={topic?.name} error={errors?.name} required maxLength={120} autoFocus />
      <div className="grid gap-2">
        <Label htmlFor="field-description">{t("descriptionLabel")}</Label>
        <Textarea
          id="field-description"
          name="description"
          defaultValue={topic?.description ?? ""}
          placeholder={t("descriptionPlaceholder")}
          maxLength={500}
          aria-invalid={errors?.description ? true : undefined}
          aria-describedby="field-description-hint"
        />
        <p id="field-description-hint" className="text-muted-foreground text-xs">
          {t("descriptionHint")}
        </p>
        <FieldError message={errors?.description} />
      </div>
      <label className="flex items-start gap-3">
        <input type="checkbox" name="defaultSubscribed" defaultChecked={topic?.defaultSubscribed ?? true} className="accent-primary mt-0.5 size-4" />
        <span className="grid gap-0.5">
          <span className="text-sm font-medium">{t("defaultSubscribed")}</span>
          <span className="text-muted-foreground text-xs">{t("defaultSubscribedHint")}</span>
        </span>
      </label>
      <DialogFooter>
        <SubmitButton pendingLabel={t("saving")}>{topic ? t("save") : t("create")}</SubmitButton>
      </DialogFooter>
    </form>
  );
}
