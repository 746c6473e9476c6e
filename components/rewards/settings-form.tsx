"use client";

import { useActionState, useEffect, useRef } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { ActionState } from "@/lib/auth/action";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import { useRewardsErrorText } from "./error-text";

type Save = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** What points are called, whether a balance may go below zero, and how long awarded points last by default. */
export function RewardSettingsForm({
  workspaceId,
  settings,
  save,
  disabled,
}: {
  workspaceId: string;
  settings: { pointsName: string | null; allowNegative: boolean; defaultExpiryDays: number | null };
  save: Save;
  disabled?: boolean;
}) {
  const t = useTranslations("rewards.settings");
  const errorText = useRewardsErrorText();
  const [state, run] = useActionState(save, null);
  const shown = useRef<ActionState>(null);
  useEffect(() => {
    if (state?.ok && shown.current !== state) {
      shown.current = state;
      toast.success(t("saved"));
    }
  }, [state, t]);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={run} className="grid gap-4" data-testid="reward-settings">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <FormAlert state={state && !state.ok && !state.fieldErrors ? state : null} />
      <div className="grid gap-2">
        <Label htmlFor="points-name">{t("pointsName")}</Label>
        <Input
          id="points-name"
          name="pointsName"
          defaultValue={settings.pointsName ?? ""}
          placeholder={t("pointsNamePlaceholder")}
          maxLength={40}
          disabled={disabled}
          aria-invalid={errors.pointsName ? true : undefined}
          aria-describedby="points-name-hint"
        />
        <p id="points-name-hint" className="text-muted-foreground text-xs">
          {t("pointsNameHint")}
        </p>
        <FieldError message={errorText(errors.pointsName)} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="default-expiry">{t("defaultExpiry")}</Label>
        <Input
          id="default-expiry"
          name="defaultExpiryDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          className="w-32"
          defaultValue={settings.defaultExpiryDays ?? ""}
          disabled={disabled}
          aria-invalid={errors.defaultExpiryDays ? true : undefined}
          aria-describedby="default-expiry-hint"
        />
        <p id="default-expiry-hint" className="text-muted-foreground text-xs">
          {t("defaultExpiryHint")}
        </p>
        <FieldError message={errorText(errors.defaultExpiryDays)} />
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input type="hidden" name="allowNegative" value="off" />
        <input type="checkbox" name="allowNegative" value="on" defaultChecked={settings.allowNegative} disabled={disabled} className="accent-primary mt-0.5 size-4" />
        <span className="grid gap-0.5">
          <span className="font-medium">{t("allowNegative")}</span>
          <span className="text-muted-foreground text-xs">{t("allowNegativeHint")}</span>
        </span>
      </label>
      {!disabled ? (
        <div>
          <SubmitButton pendingLabel={t("saving")}>{t("save")}</SubmitButton>
        </div>
      ) : null}
    </form>
  );
}
