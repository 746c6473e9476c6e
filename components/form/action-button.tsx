"use client";

import { useActionState, useEffect, useRef } from "react";
import { toast } from "sonner";
import { SubmitButton } from "./submit-button";
import type { ActionState } from "@/lib/auth/action";
import type { Button } from "@/components/ui/button";

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** A one-button form for a row action (revoke, remove), with a toast for its outcome. */
export function ActionButton({
  action,
  fields,
  successMessage,
  confirm,
  children,
  ...button
}: {
  action: Action;
  fields: Record<string, string>;
  successMessage: string;
  confirm?: string;
  children: React.ReactNode;
} & React.ComponentProps<typeof Button>) {
  const [state, run] = useActionState(action, null);
  const shown = useRef<ActionState>(null);
  useEffect(() => {
    if (!state || shown.current === state) return;
    shown.current = state;
    if (state.ok) toast.success(successMessage);
    else toast.error(state.error);
  }, [state, successMessage]);
  return (
    <form
      action={run}
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton {...button}>{children}</SubmitButton>
    </form>
  );
}
