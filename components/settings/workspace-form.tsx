"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { CheckIcon } from "lucide-react";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import { TimezoneSelect } from "@/components/form/timezone-select";
import type { ActionState } from "@/lib/auth/action";

type Update = (previous: ActionState, formData: FormData) => Promise<ActionState>;

export function WorkspaceForm({
  workspace,
  action,
}: {
  workspace: { id: string; name: string; timezone: string };
  action: Update;
}) {
  const t = useTranslations("settings");
  const tCommon = useTranslations("common");
  const [state, run] = useActionState(action, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={run} className="grid max-w-md gap-4" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="workspaceId" value={workspace.id} />
      <Field name="name" label={t("name")} defaultValue={workspace.name} required error={errors?.name} />
      <TimezoneSelect name="timezone" label={t("timezone")} defaultValue={workspace.timezone} />
      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel={tCommon("saving")}>{tCommon("save")}</SubmitButton>
        {state?.ok ? (
          <span role="status" className="text-muted-foreground flex items-center gap-1 text-sm">
            <CheckIcon className="size-4" />
            {t("saved")}
          </span>
        ) : null}
      </div>
    </form>
  );
}
