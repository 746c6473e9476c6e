"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import type { RuleProblem } from "@/lib/segments/rule";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FieldError } from "@/components/form/field";
import { RuleProblemText } from "@/components/segments/rule-editor";
import { parseWhere } from "./draft";

export type CheckWhere = (previous: ActionState<{ problem: RuleProblem | null }>, formData: FormData) => Promise<ActionState<{ problem: RuleProblem | null }>>;

/**
 * The event's property filter (`where`) as JSON-Logic on properties.<key>: the JSON is checked
 * as it is typed, and the rule by the server half a second after the last change.
 */
export function WhereField({
  workspaceId,
  event,
  value,
  onChange,
  error,
  check,
}: {
  workspaceId: string;
  event: string;
  value: string;
  onChange: (text: string) => void;
  error?: string;
  check: CheckWhere;
}) {
  const t = useTranslations("monitors.form");
  const parsed = parseWhere(value);
  const [result, setResult] = useState<{ key: string; problem: RuleProblem | null } | null>(null);
  const [checking, setChecking] = useState(false);
  const latest = useRef(0);
  const key = parsed.ok && parsed.value !== undefined ? JSON.stringify({ event, where: parsed.value }) : "";

  useEffect(() => {
    if (!key) return;
    const request = ++latest.current;
    const timer = setTimeout(async () => {
      setChecking(true);
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      const { event: name, where } = JSON.parse(key) as { event: string; where: unknown };
      form.set("event", name);
      form.set("where", JSON.stringify(where));
      const state = await check(null, form).catch(() => null);
      if (request === latest.current) {
        setResult(state?.ok && state.data ? { key, problem: state.data.problem } : null);
        setChecking(false);
      }
    }, 500);
    return () => clearTimeout(timer);
  }, [key, workspaceId, check]);

  const problem = result && result.key === key ? result.problem : null;
  const invalid = !parsed.ok || Boolean(problem) || Boolean(error);
  return (
    <div className="grid gap-2" data-testid="where-field">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Label htmlFor="monitor-where">{t("where")}</Label>
        {!value.trim() ? (
          <Button type="button" variant="ghost" size="sm" onClick={() => onChange(JSON.stringify({ ">": [{ var: "properties.revenue" }, 100] }, null, 2))}>
            {t("whereExample")}
          </Button>
        ) : null}
      </div>
      <Textarea
        id="monitor-where"
        className="min-h-24 font-mono text-xs"
        spellCheck={false}
        placeholder={'{">": [{"var": "properties.revenue"}, 100]}'}
        value={value}
        onChange={(change) => onChange(change.target.value)}
        aria-invalid={invalid ? true : undefined}
        aria-describedby="monitor-where-status"
      />
      <div id="monitor-where-status" className="text-xs" aria-live="polite">
        {!parsed.ok ? (
          <p className="text-destructive" role="alert">
            {t("whereNotJson", { reason: parsed.reason })}
          </p>
        ) : !value.trim() ? (
          <p className="text-muted-foreground">{t("whereHint")}</p>
        ) : checking ? (
          <p className="text-muted-foreground flex items-center gap-1">
            <Loader2Icon className="size-3 animate-spin" aria-hidden />
            {t("whereChecking")}
          </p>
        ) : problem ? (
          <p className="text-destructive" role="alert">
            <RuleProblemText problem={problem} />
          </p>
        ) : result ? (
          <p className="text-muted-foreground">{t("whereOk")}</p>
        ) : null}
      </div>
      {parsed.ok && !problem ? <FieldError message={error} /> : null}
    </div>
  );
}
