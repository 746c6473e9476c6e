"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Separator } from "@/components/ui/separator";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import { oauthSignInAction, signInAction } from "../actions";

const providerNames = { github: "GitHub", google: "Google" } as const;

export function LoginForm({
  next,
  providers,
  oauthError,
}: {
  next: string;
  providers: Array<"github" | "google">;
  oauthError?: string;
}) {
  const t = useTranslations("login");
  const [state, action] = useActionState(signInAction, oauthError ? { ok: false as const, error: oauthError } : null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <div className="grid gap-6">
      <form action={action} className="grid gap-4" noValidate>
        <FormAlert state={state} />
        <input type="hidden" name="next" value={next} />
        <Field name="email" label={t("email")} type="email" autoComplete="email" required autoFocus error={errors?.email} />
        <Field
          name="password"
          label={t("password")}
          type="password"
          autoComplete="current-password"
          required
          error={errors?.password}
        />
        <SubmitButton pendingLabel={t("submitting")} className="w-full">
          {t("submit")}
        </SubmitButton>
      </form>
      {providers.length > 0 ? (
        <>
          <div className="text-muted-foreground flex items-center gap-3 text-xs uppercase">
            <Separator className="flex-1" />
            {t("or")}
            <Separator className="flex-1" />
          </div>
          <div className="grid gap-2">
            {providers.map((provider) => (
              <form key={provider} action={oauthSignInAction}>
                <input type="hidden" name="provider" value={provider} />
                <input type="hidden" name="next" value={next} />
                <Button type="submit" variant="outline" className="w-full">
                  {t("withProvider", { provider: providerNames[provider] })}
                </Button>
              </form>
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
