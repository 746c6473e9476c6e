"use client";

import { useActionState, useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { PlusIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import { CopyButton } from "@/components/form/copy-button";
import type { ActionState } from "@/lib/auth/action";

type Created = { token: string; kind: "write" | "secret" };
type CreateKey = (previous: ActionState<Created>, formData: FormData) => Promise<ActionState<Created>>;

export function CreateKeyDialog({
  workspaceId,
  kind,
  action,
}: {
  workspaceId: string;
  kind: "write" | "secret";
  action: CreateKey;
}) {
  const t = useTranslations("keys");
  const [open, setOpen] = useState(false);
  // A fresh form (and a forgotten secret) every time the dialog opens.
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
        <Button size="sm" variant={kind === "secret" ? "default" : "outline"}>
          <PlusIcon />
          {kind === "secret" ? t("createSecret") : t("createWrite")}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <CreateKeyForm key={session} workspaceId={workspaceId} kind={kind} action={action} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

function CreateKeyForm({
  workspaceId,
  kind,
  action,
  onDone,
}: {
  workspaceId: string;
  kind: "write" | "secret";
  action: CreateKey;
  onDone: () => void;
}) {
  const t = useTranslations("keys");
  const tCommon = useTranslations("common");
  const [state, run] = useActionState(action, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const secret = state?.ok && state.data?.kind === "secret" ? state.data.token : undefined;
  const writeKeyCreated = state?.ok === true && kind === "write";
  useEffect(() => {
    if (writeKeyCreated) onDone();
  }, [writeKeyCreated, onDone]);
  if (secret) {
    return (
      <>
        <DialogHeader>
          <DialogTitle>{t("createdTitle")}</DialogTitle>
          <DialogDescription>{t("createdBody")}</DialogDescription>
        </DialogHeader>
        <div className="flex items-center gap-2">
          <code data-testid="new-secret-key" className="bg-muted flex-1 overflow-x-auto rounded px-3 py-2 font-mono text-sm">
            {secret}
          </code>
          <CopyButton value={secret} />
        </div>
        <DialogFooter>
          <Button onClick={onDone}>{tCommon("close")}</Button>
        </DialogFooter>
      </>
    );
  }
  return (
    <form action={run} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>{kind === "secret" ? t("createSecret") : t("createWrite")}</DialogTitle>
        <DialogDescription>{kind === "secret" ? t("secretDescription") : t("writeDescription")}</DialogDescription>
      </DialogHeader>
      <FormAlert state={state} />
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="kind" value={kind} />
      <Field name="name" label={t("keyName")} placeholder={t("keyNamePlaceholder")} required autoFocus error={errors?.name} />
      <DialogFooter>
        <SubmitButton>{t("create")}</SubmitButton>
      </DialogFooter>
    </form>
  );
}
