"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import { TimezoneSelect } from "@/components/form/timezone-select";
import { setupAction } from "../actions";

export function SetupForm() {
  const t = useTranslations("setup");
  const [state, action] = useActionState(setupAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-4" noValidate>
      <FormAlert state={state} />
      <Field name="name" label={t("name")} autoComplete="name" autoFocus />
      <Field name="email" label={t("email")} type="email" autoComplete="email" required error={errors?.email} />
      <Field
        name="password"
        label={t("password")}
        type="password"
        autoComplete="new-password"
        required
        hint={t("passwordHint")}
        error={errors?.password}
      />
      <Field
        name="workspaceName"
        label={t("workspaceName")}
        required
        hint={t("workspaceHint")}
        error={errors?.workspaceName}
      />
      <TimezoneSelect name="timezone" label={t("timezone")} />
      <SubmitButton pendingLabel={t("submitting")} className="w-full">
        {t("submit")}
      </SubmitButton>
    </form>
  );
}
