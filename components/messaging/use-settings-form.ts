"use client";

import { startTransition, useActionState, useCallback } from "react";
import { useTranslations } from "next-intl";
import type { ActionState } from "@/lib/auth/action";

export type SettingsAction<T = unknown> = (previous: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

/**
 * A settings form's action state. Submitting through onSubmit (not `<form action>`) keeps
 * what was typed when the server refuses it, instead of React resetting the form.
 */
export function useSettingsForm<T = unknown>(action: SettingsAction<T>) {
  const t = useTranslations("messaging.validation");
  const [state, run, pending] = useActionState<ActionState<T>, FormData>(action, null);
  const onSubmit = useCallback(
    (event: React.FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLElement | null;
      const formData = new FormData(event.currentTarget, submitter);
      startTransition(() => run(formData));
    },
    [run],
  );
  const error = (field: string): string | undefined => {
    const message = state && !state.ok ? state.fieldErrors?.[field] : undefined;
    if (!message) return undefined;
    return t.has(message as never) ? t(message as never) : message;
  };
  return { state, onSubmit, pending, error };
}
