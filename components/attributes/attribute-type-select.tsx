"use client";

import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { attributeTypes, type AttributeType } from "@/db/schema";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { ActionState } from "@/lib/auth/action";

type Declare = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** Declares an attribute's type as soon as one is picked; a refusal comes back as a toast. */
export function AttributeTypeSelect({
  workspaceId,
  attributeKey,
  type,
  declared,
  action,
}: {
  workspaceId: string;
  attributeKey: string;
  type: AttributeType;
  declared: boolean;
  action: Declare;
}) {
  const t = useTranslations("attributes");
  const [state, run, pending] = useActionState(action, null);
  // A discovered type shows as a guess, so picking that same type still declares it.
  const current = declared ? type : "";
  const [value, setValue] = useState<AttributeType | "">(current);
  const shown = useRef<ActionState>(null);
  useEffect(() => {
    if (!state || shown.current === state) return;
    shown.current = state;
    if (state.ok && value) toast.success(t("typeChanged", { key: attributeKey, type: t(`types.${value}`) }));
    else if (!state.ok) toast.error(state.error);
  }, [state, t, attributeKey, value]);
  // After a refusal, show the type the attribute still has.
  const displayed = !pending && state && !state.ok ? current : value;
  const change = (next: string) => {
    setValue(next as AttributeType);
    const formData = new FormData();
    formData.set("workspaceId", workspaceId);
    formData.set("key", attributeKey);
    formData.set("type", next);
    startTransition(() => run(formData));
  };
  return (
    <Select value={displayed} disabled={pending} onValueChange={change}>
      <SelectTrigger className="w-44" aria-label={t("typeLabel", { key: attributeKey })}>
        {/* The text is given, not looked up from the items, so it is there before hydration. */}
        <SelectValue placeholder={t("guessed", { type: t(`types.${type}`) })}>
          {displayed ? t(`types.${displayed}`) : null}
        </SelectValue>
      </SelectTrigger>
      <SelectContent>
        {attributeTypes.map((option) => (
          <SelectItem key={option} value={option}>
            {t(`types.${option}`)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
