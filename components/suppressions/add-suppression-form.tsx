"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import type { ActionState } from "@/lib/auth/action";

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** Suppress an address by hand (reason "manual"). */
export function AddSuppressionForm({ workspaceId, action }: { workspaceId: string; action: Action }) {
  const t = useTranslations("topics");
  const [state, run] = useActionState(action, null);
  const [channel, setChannel] = useState("email");
  const form = useRef<HTMLFormElement>(null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  useEffect(() => {
    if (state?.ok) {
      toast.success(t("suppressions.addedToast"));
      form.current?.reset();
    }
  }, [state, t]);
  return (
    <form ref={form} action={run} className="grid gap-4" data-testid="add-suppression">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="channel" value={channel} />
      <FormAlert state={state} />
      <div className="grid gap-4 sm:grid-cols-[10rem_1fr]">
        <div className="grid gap-2">
          <Label htmlFor="suppression-channel">{t("suppressions.channel")}</Label>
          <Select value={channel} onValueChange={setChannel}>
            <SelectTrigger id="suppression-channel" className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="email">{t("suppressions.channels.email")}</SelectItem>
              <SelectItem value="sms">{t("suppressions.channels.sms")}</SelectItem>
            </SelectContent>
          </Select>
        </div>
        <Field
          name="address"
          label={t("suppressions.address")}
          placeholder={channel === "email" ? "name@example.com" : "+86 138 0013 8000"}
          type={channel === "email" ? "email" : "tel"}
          error={errors?.address}
          required
        />
      </div>
      <Field name="details" label={t("suppressions.note")} hint={t("suppressions.noteHint")} error={errors?.details} maxLength={1000} />
      <div>
        <SubmitButton pendingLabel={t("saving")}>{t("suppressions.add")}</SubmitButton>
      </div>
    </form>
  );
}
