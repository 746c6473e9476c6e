"use client";

import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { Role } from "@/db/schema";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { ActionState } from "@/lib/auth/action";

type ChangeRole = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** Changes a member's role as soon as another is picked; errors come back as a toast. */
export function RoleSelect({
  workspaceId,
  userId,
  role,
  roles,
  label,
  action,
}: {
  workspaceId: string;
  userId: string;
  role: Role;
  roles: Role[];
  label: string;
  action: ChangeRole;
}) {
  const t = useTranslations("members");
  const tRoles = useTranslations("roles");
  const [state, run, pending] = useActionState(action, null);
  const [value, setValue] = useState<Role>(role);
  const shown = useRef<ActionState>(null);
  useEffect(() => {
    if (!state || shown.current === state) return;
    shown.current = state;
    if (state.ok) toast.success(t("roleChanged"));
    else toast.error(state.error);
  }, [state, t]);
  // After a refused change, show the role the member still has.
  const displayed = !pending && state && !state.ok ? role : value;
  const change = (next: string) => {
    setValue(next as Role);
    const formData = new FormData();
    formData.set("workspaceId", workspaceId);
    formData.set("userId", userId);
    formData.set("role", next);
    startTransition(() => run(formData));
  };
  return (
    <div>
      <Select value={displayed} disabled={pending} onValueChange={change}>
        <SelectTrigger className="w-36" aria-label={label}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {(roles.includes(role) ? roles : [role, ...roles]).map((option) => (
            <SelectItem key={option} value={option}>
              {tRoles(option)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
