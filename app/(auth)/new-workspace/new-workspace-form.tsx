"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import { TimezoneSelect } from "@/components/form/timezone-select";
import { createWorkspaceAction } from "../actions";

export function NewWorkspaceForm() {
  const t = useTranslations("newWorkspace");
  const [state, action] = useActionState(createWorkspaceAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-4" noValidate>
      <FormAlert state={state} />
      <Field name="name" label={t("name")} required autoFocus error={errors?.name} />
      <TimezoneSelect name="timezone" label={t("timezone")} />
      <SubmitButton className="w-full">{t("submit")}</SubmitButton>
    </form>
  );
}
