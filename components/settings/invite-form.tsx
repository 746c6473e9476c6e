"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import type { Role } from "@/db/schema";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { CopyButton } from "@/components/form/copy-button";
import { FormAlert } from "@/components/form/form-alert";
import { SubmitButton } from "@/components/form/submit-button";
import type { ActionState } from "@/lib/auth/action";

type CreateInvite = (previous: ActionState<{ url: string }>, formData: FormData) => Promise<ActionState<{ url: string }>>;

export function InviteForm({ workspaceId, roles, action }: { workspaceId: string; roles: Role[]; action: CreateInvite }) {
  const t = useTranslations("members");
  const tRoles = useTranslations("roles");
  const [state, run] = useActionState(action, null);
  const [role, setRole] = useState<Role>("marketer");
  const url = state?.ok ? state.data?.url : undefined;
  return (
    <div className="grid gap-4">
      <form action={run} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="workspaceId" value={workspaceId} />
        <div className="grid gap-2">
          <Label htmlFor="invite-role">{t("inviteRole")}</Label>
          <Select name="role" value={role} onValueChange={(value) => setRole(value as Role)}>
            <SelectTrigger id="invite-role" className="w-44">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {roles.map((option) => (
                <SelectItem key={option} value={option}>
                  {tRoles(option)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <SubmitButton>{t("createInvite")}</SubmitButton>
        <p className="text-muted-foreground basis-full text-xs">{t(`roleHelp.${role}`)}</p>
      </form>
      <FormAlert state={state} />
      {url ? (
        <Alert>
          <AlertDescription className="grid gap-2">
            <span>{t("inviteCreated")}</span>
            <span className="flex items-center gap-2">
              <code data-testid="invite-url" className="bg-muted flex-1 overflow-x-auto rounded px-2 py-1 font-mono text-xs">
                {url}
              </code>
              <CopyButton value={url} />
            </span>
          </AlertDescription>
        </Alert>
      ) : null}
    </div>
  );
}
