"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import { acceptInviteAction, signUpWithInviteAction } from "../../actions";

export function AcceptInviteForm({ token }: { token: string }) {
  const t = useTranslations("invite");
  const [state, action] = useActionState(acceptInviteAction, null);
  return (
    <form action={action} className="grid gap-4">
      <FormAlert state={state} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full">{t("accept")}</SubmitButton>
    </form>
  );
}

export function SignUpInviteForm({ token }: { token: string }) {
  const t = useTranslations("invite");
  const [state, action] = useActionState(signUpWithInviteAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-4" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="token" value={token} />
      <Field name="name" label={t("name")} autoComplete="name" autoFocus />
      <Field name="email" label={t("email")} type="email" autoComplete="email" required error={errors?.email} />
      <Field
        name="password"
        label={t("password")}
        type="password"
        autoComplete="new-password"
        required
        error={errors?.password}
      />
      <SubmitButton className="w-full">{t("submit")}</SubmitButton>
    </form>
  );
}
