"use client";

import { useEffect, useRef, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { Loader2Icon, PencilIcon, PlusIcon, XIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FieldError } from "@/components/form/field";
import type { BuilderCatalogue } from "@/components/segments/rule-builder";
import { RuleEditor, RuleProblemText, ruleProblemIn, type PreviewData, type RuleActionState } from "@/components/segments/rule-editor";

export type PreviewRule = (previous: RuleActionState<PreviewData>, formData: FormData) => Promise<RuleActionState<PreviewData>>;

/** What the rule editors need from the page: the workspace, its catalogue and the segments' preview action. */
export interface RuleTools {
  workspaceId: string;
  slug: string;
  catalogue: BuilderCatalogue;
  preview: PreviewRule;
}

const starterRule = { and: [{ "!": { missing: ["email"] } }] };

/**
 * A segment rule (condition, goal, exit) shown in short, edited in a dialog with the segment
 * builder, its JSON view and its live count.
 */
export function RuleField({
  id,
  label,
  hint,
  value,
  onChange,
  optional,
  error,
  disabled,
  tools,
}: {
  id: string;
  label: string;
  hint?: string;
  value: unknown;
  onChange: (rule: unknown) => void;
  optional?: boolean;
  error?: string;
  disabled?: boolean;
  tools: RuleTools;
}) {
  const t = useTranslations("journeys.rules");
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<unknown>(undefined);
  const set = value !== undefined && value !== null;
  const text = set ? JSON.stringify(value) : "";

  return (
    <div className="grid gap-1.5" data-testid={`rule-field-${id}`}>
      <Label id={`${id}-label`}>{label}</Label>
      {set ? (
        <code className="bg-muted block max-h-24 overflow-auto rounded-md px-2 py-1.5 font-mono text-xs break-all" aria-labelledby={`${id}-label`}>
          {text.length > 400 ? `${text.slice(0, 400)}…` : text}
        </code>
      ) : (
        <p className="text-muted-foreground text-sm">{optional ? t("none") : t("notSet")}</p>
      )}
      {hint && !error ? <p className="text-muted-foreground text-xs">{hint}</p> : null}
      <FieldError message={error} />
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="outline"
          size="sm"
          disabled={disabled}
          aria-describedby={`${id}-label`}
          onClick={() => {
            setDraft(set ? value : starterRule);
            setOpen(true);
          }}
        >
          {set ? <PencilIcon /> : <PlusIcon />}
          {set ? t("edit") : t("add")}
        </Button>
        {set && optional ? (
          <Button type="button" variant="ghost" size="sm" disabled={disabled} onClick={() => onChange(undefined)}>
            <XIcon />
            {t("remove")}
          </Button>
        ) : null}
      </div>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="max-h-[90svh] overflow-y-auto sm:max-w-5xl">
          <DialogHeader>
            <DialogTitle>{label}</DialogTitle>
            <DialogDescription>{hint ?? t("dialogHint")}</DialogDescription>
          </DialogHeader>
          {open ? (
            <RuleEditor initialRule={draft} onRuleChange={setDraft} catalogue={tools.catalogue} workspaceId={tools.workspaceId} slug={tools.slug} preview={tools.preview} />
          ) : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {t("cancel")}
              </Button>
            </DialogClose>
            <Button
              type="button"
              disabled={draft === undefined}
              onClick={() => {
                onChange(draft);
                setOpen(false);
              }}
            >
              {t("apply")}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}

/**
 * An event's property filter (`where`), as JSON-Logic on properties.<key>: checked as you
 * type, and counted (contacts who did the event with these properties) by the segments' preview.
 */
export function WhereField({
  id,
  event,
  value,
  onChange,
  error,
  disabled,
  tools,
}: {
  id: string;
  event: string;
  value: unknown;
  onChange: (where: unknown) => void;
  error?: string;
  disabled?: boolean;
  tools: RuleTools;
}) {
  const t = useTranslations("journeys.rules");
  const format = useFormatter();
  const [text, setText] = useState(() => (value === undefined || value === null ? "" : JSON.stringify(value, null, 2)));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [check, setCheck] = useState<RuleActionState<PreviewData>>(null);
  const [checking, setChecking] = useState(false);
  const latest = useRef(0);
  const key = jsonError || !text.trim() || !event.trim() ? "" : JSON.stringify({ performed: { event, where: value } });

  useEffect(() => {
    if (!key) return;
    const request = ++latest.current;
    const timer = setTimeout(async () => {
      setChecking(true);
      const form = new FormData();
      form.set("workspaceId", tools.workspaceId);
      form.set("rule", key);
      const result = await tools.preview(null, form).catch(() => null);
      if (request === latest.current) {
        setCheck(result);
        setChecking(false);
      }
    }, 500);
    return () => clearTimeout(timer);
  }, [key, tools]);

  function edit(next: string) {
    setText(next);
    if (!next.trim()) {
      setJsonError(null);
      onChange(undefined);
      return;
    }
    try {
      const parsed = JSON.parse(next) as unknown;
      setJsonError(null);
      onChange(parsed);
    } catch (failure) {
      setJsonError((failure as Error).message);
    }
  }

  const problem = ruleProblemIn(check);
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{t("where")}</Label>
      <Textarea
        id={id}
        className="min-h-20 font-mono text-xs"
        spellCheck={false}
        placeholder={'{">=": [{"var": "properties.amount"}, 100]}'}
        value={text}
        disabled={disabled}
        onChange={(change) => edit(change.target.value)}
        aria-invalid={jsonError || error || problem ? true : undefined}
        aria-describedby={`${id}-status`}
      />
      <div id={`${id}-status`} className="text-xs" aria-live="polite">
        {jsonError ? (
          <p className="text-destructive" role="alert">
            {t("notJson", { reason: jsonError })}
          </p>
        ) : !text.trim() ? (
          <p className="text-muted-foreground">{t("whereHint")}</p>
        ) : checking ? (
          <p className="text-muted-foreground flex items-center gap-1">
            <Loader2Icon className="size-3 animate-spin" aria-hidden />
            {t("checking")}
          </p>
        ) : problem ? (
          <p className="text-destructive" role="alert">
            <RuleProblemText problem={problem} />
          </p>
        ) : check?.ok && check.data ? (
          <p className="text-muted-foreground">{t("whereCount", { count: check.data.count, formatted: format.number(check.data.count) })}</p>
        ) : null}
      </div>
      <FieldError message={jsonError ? undefined : error} />
    </div>
  );
}
