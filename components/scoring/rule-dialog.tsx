"use client";

import { startTransition, useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { FieldError } from "@/components/form/field";
import { NativeSelect } from "@/components/broadcasts/native-select";
import { RuleField, WhereField, type RuleTools } from "@/components/journeys/rule-field";
import { RuleProblemText } from "@/components/segments/rule-editor";
import type { ScoringActionState } from "./types";

export type RuleKind = "attribute" | "behaviour";

export interface RuleDraft {
  id?: string;
  kind: RuleKind;
  name: string;
  rule?: unknown;
  event?: string;
  where?: unknown;
  points: number | "";
  cap: { count: number | ""; per: "day" | "week" | "month" } | null;
  active: boolean;
}

export type SaveRule = (previous: ScoringActionState<{ id: string }>, formData: FormData) => Promise<ScoringActionState<{ id: string }>>;

const fitStarter = { in: ["VP", { var: "attributes.job_title" }] };

export function newDraft(kind: RuleKind, catalogue: RuleTools["catalogue"]): RuleDraft {
  const jobTitle = catalogue.attributes.some((attribute) => attribute.key === "job_title" && attribute.type === "string");
  return kind === "attribute"
    ? { kind, name: "", rule: jobTitle ? fitStarter : undefined, points: 10, cap: null, active: true }
    : { kind, name: "", event: "", where: undefined, points: 5, cap: null, active: true };
}

/** Client-side checks in the reader's language; the server checks again (and the rule's JSON-Logic). */
function problems(draft: RuleDraft): Record<string, string> {
  const found: Record<string, string> = {};
  if (!draft.name.trim()) found.name = "name";
  if (draft.points === "" || !Number.isInteger(draft.points) || draft.points === 0 || Math.abs(draft.points) > 10_000) found.points = "points";
  if (draft.kind === "attribute" && (draft.rule === undefined || draft.rule === null)) found.rule = "rule";
  if (draft.kind === "behaviour" && !draft.event?.trim()) found.event = "event";
  if (draft.kind === "behaviour" && draft.cap && (draft.cap.count === "" || !Number.isInteger(draft.cap.count) || draft.cap.count < 1 || draft.cap.count > 10_000)) found["cap.count"] = "cap";
  return found;
}

function body(draft: RuleDraft) {
  const common = { name: draft.name.trim(), points: draft.points, active: draft.active };
  if (draft.kind === "attribute") return { kind: draft.kind, ...common, rule: draft.rule };
  return {
    kind: draft.kind,
    ...common,
    event: draft.event?.trim() ?? "",
    where: draft.where ?? null,
    cap: draft.cap ? { count: draft.cap.count, per: draft.cap.per } : null,
  };
}

const errorKeys: Record<string, string> = { name: "name", points: "points", event: "event", rule: "rule", "cap.count": "cap", cap: "cap", "cap.per": "cap" };

/** Create or edit one rule (mounted afresh, with a new key, for each rule it opens on): a fit rule with the segment rule builder, an engagement rule with its event, filter, points and cap. */
export function RuleDialog({
  open,
  onOpenChange,
  initial,
  workspaceId,
  tools,
  save,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initial: RuleDraft;
  workspaceId: string;
  tools: RuleTools;
  save: SaveRule;
}) {
  const t = useTranslations("scoring");
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [touched, setTouched] = useState(false);
  const [state, run, pending] = useActionState<ScoringActionState<{ id: string }>, FormData>(async (previous, formData) => {
    const result = await save(previous, formData);
    if (result?.ok) {
      toast.success(t("editor.saved"));
      onOpenChange(false);
    }
    return result;
  }, null);

  const local = touched ? problems(draft) : {};
  const server = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const error = (field: string): string | undefined => {
    const key = local[field] ?? (server[field] ? errorKeys[field] : undefined);
    if (key) return t(`errors.${key}` as never);
    return server[field];
  };
  const problem = state && !state.ok ? state.problem : undefined;
  const formError = state && !state.ok && Object.keys(server).length === 0 && !problem ? state.error : undefined;
  const set = (patch: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const fit = draft.kind === "attribute";
  const title = draft.id ? (fit ? t("editor.editFit") : t("editor.editEngagement")) : fit ? t("editor.newFit") : t("editor.newEngagement");

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90svh] overflow-y-auto sm:max-w-xl">
        <form
          className="grid gap-4"
          noValidate
          data-testid="scoring-rule-form"
          onSubmit={(event) => {
            event.preventDefault();
            setTouched(true);
            if (Object.keys(problems(draft)).length > 0) return;
            const formData = new FormData();
            formData.set("workspaceId", workspaceId);
            formData.set("id", draft.id ?? "");
            formData.set("body", JSON.stringify(body(draft)));
            startTransition(() => run(formData));
          }}
        >
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{fit ? t("editor.fitHint") : t("editor.engagementHint")}</DialogDescription>
          </DialogHeader>
          {formError ? (
            <p role="alert" className="text-destructive text-sm">
              {formError}
            </p>
          ) : null}

          <div className="grid gap-1.5">
            <Label htmlFor="rule-name">{t("editor.name")}</Label>
            <Input
              id="rule-name"
              value={draft.name}
              maxLength={200}
              autoFocus
              placeholder={fit ? t("editor.fitPlaceholder") : t("editor.engagementPlaceholder")}
              onChange={(event) => set({ name: event.target.value })}
              aria-invalid={error("name") ? true : undefined}
            />
            <FieldError message={error("name")} />
          </div>

          {fit ? (
            <>
              <RuleField id="rule-rule" label={t("editor.rule")} hint={t("editor.ruleHint")} value={draft.rule} onChange={(rule) => set({ rule })} error={error("rule")} tools={tools} />
              {problem?.field === "rule" ? (
                <p role="alert" className="text-destructive text-sm" data-testid="rule-problem">
                  {problem.code === ("fit_reads_score" as never) ? t("errors.fitReadsScore") : <RuleProblemText problem={problem} />}
                </p>
              ) : null}
            </>
          ) : (
            <>
              <div className="grid gap-1.5">
                <Label htmlFor="rule-event">{t("editor.event")}</Label>
                <Input
                  id="rule-event"
                  list="rule-event-names"
                  value={draft.event ?? ""}
                  maxLength={200}
                  placeholder={tools.catalogue.eventNames[0] ?? t("editor.eventPlaceholder")}
                  onChange={(event) => set({ event: event.target.value })}
                  aria-invalid={error("event") ? true : undefined}
                  aria-describedby="rule-event-hint"
                />
                <datalist id="rule-event-names">
                  {tools.catalogue.eventNames.map((name) => (
                    <option key={name} value={name} />
                  ))}
                </datalist>
                {error("event") ? null : (
                  <p id="rule-event-hint" className="text-muted-foreground text-xs">
                    {t("editor.eventHint")}
                  </p>
                )}
                <FieldError message={error("event")} />
              </div>
              <WhereField id="rule-where" event={draft.event ?? ""} value={draft.where} onChange={(where) => set({ where })} tools={tools} />
              {problem?.field === "where" ? (
                <p role="alert" className="text-destructive text-sm" data-testid="rule-problem">
                  <RuleProblemText problem={problem} />
                </p>
              ) : null}
            </>
          )}

          <div className="grid gap-1.5">
            <Label htmlFor="rule-points">{t("editor.points")}</Label>
            <Input
              id="rule-points"
              type="number"
              inputMode="numeric"
              step={1}
              className="w-32"
              value={draft.points}
              onChange={(event) => set({ points: event.target.value === "" ? "" : Number(event.target.value) })}
              aria-invalid={error("points") ? true : undefined}
              aria-describedby="rule-points-hint"
            />
            {error("points") ? null : (
              <p id="rule-points-hint" className="text-muted-foreground text-xs">
                {t("editor.pointsHint")}
              </p>
            )}
            <FieldError message={error("points")} />
          </div>

          {fit ? null : (
            <fieldset className="grid gap-2">
              <div className="flex items-center gap-2">
                <Checkbox
                  id="rule-cap"
                  checked={draft.cap !== null}
                  onCheckedChange={(checked) => set({ cap: checked ? { count: 3, per: "week" } : null })}
                />
                <Label htmlFor="rule-cap">{t("editor.limit")}</Label>
              </div>
              {draft.cap ? (
                <div className="flex flex-wrap items-end gap-3 pl-6">
                  <div className="grid gap-1.5">
                    <Label htmlFor="rule-cap-count">{t("editor.capCount")}</Label>
                    <Input
                      id="rule-cap-count"
                      type="number"
                      min={1}
                      max={10_000}
                      step={1}
                      className="w-24"
                      value={draft.cap.count}
                      onChange={(event) => set({ cap: { ...draft.cap!, count: event.target.value === "" ? "" : Number(event.target.value) } })}
                      aria-invalid={error("cap.count") ? true : undefined}
                    />
                  </div>
                  <div className="grid gap-1.5">
                    <Label htmlFor="rule-cap-per">{t("editor.capPer")}</Label>
                    <NativeSelect id="rule-cap-per" className="w-32" value={draft.cap.per} onChange={(event) => set({ cap: { ...draft.cap!, per: event.target.value as "day" | "week" | "month" } })}>
                      {(["day", "week", "month"] as const).map((per) => (
                        <option key={per} value={per}>
                          {t(`per.${per}`)}
                        </option>
                      ))}
                    </NativeSelect>
                  </div>
                </div>
              ) : null}
              <FieldError message={error("cap.count")} />
            </fieldset>
          )}

          <div className="flex items-center gap-2">
            <Switch id="rule-active" checked={draft.active} onCheckedChange={(active) => set({ active })} />
            <Label htmlFor="rule-active">{t("editor.active")}</Label>
          </div>

          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                {t("editor.cancel")}
              </Button>
            </DialogClose>
            <Button type="submit" disabled={pending} aria-busy={pending}>
              {pending ? <Loader2Icon className="animate-spin" /> : null}
              {t("editor.save")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
