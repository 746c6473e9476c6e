"use client";

import { startTransition, useActionState, useEffect, useMemo, useOptimistic, useRef, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { PencilIcon, PlusIcon, Trash2Icon, UserRoundSearchIcon, ZapIcon } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Switch } from "@/components/ui/switch";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RuleTools } from "@/components/journeys/rule-field";
import { RuleDialog, newDraft, type RuleDraft, type RuleKind, type SaveRule } from "./rule-dialog";
import type { ScoringAction, ScoringActionState } from "./types";

export interface RuleView {
  id: string;
  kind: RuleKind;
  name: string;
  rule: unknown;
  event: string | null;
  where: unknown;
  points: number;
  cap: { count: number; per: "day" | "week" | "month" } | null;
  active: boolean;
  scored30d: number;
}

const short = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

function draftOf(rule: RuleView): RuleDraft {
  return {
    id: rule.id,
    kind: rule.kind,
    name: rule.name,
    rule: rule.rule ?? undefined,
    event: rule.event ?? "",
    where: rule.where ?? undefined,
    points: rule.points,
    cap: rule.cap,
    active: rule.active,
  };
}

/** Fit rules and engagement rules, each kind a table with its own "add" button and an editor dialog. */
export function RulesCard({
  rules,
  canEdit,
  workspaceId,
  tools,
  actions,
}: {
  rules: RuleView[];
  canEdit: boolean;
  workspaceId: string;
  tools: RuleTools;
  actions: { save: SaveRule; toggle: ScoringAction; remove: ScoringAction };
}) {
  const t = useTranslations("scoring");
  const [editing, setEditing] = useState<{ draft: RuleDraft; key: number } | null>(null);
  const [open, setOpen] = useState(false);
  const start = (draft: RuleDraft) => {
    setEditing((current) => ({ draft, key: (current?.key ?? 0) + 1 }));
    setOpen(true);
  };
  const sections = useMemo(
    () =>
      [
        { kind: "attribute" as const, icon: UserRoundSearchIcon, title: t("rules.fitTitle"), description: t("rules.fitDescription"), add: t("rules.addFit"), empty: t("rules.emptyFit") },
        { kind: "behaviour" as const, icon: ZapIcon, title: t("rules.engagementTitle"), description: t("rules.engagementDescription"), add: t("rules.addEngagement"), empty: t("rules.emptyEngagement") },
      ] as const,
    [t],
  );

  return (
    <>
      {sections.map((section) => {
        const list = rules.filter((rule) => rule.kind === section.kind);
        return (
          <Card key={section.kind} data-testid={`scoring-rules-${section.kind}`}>
            <CardHeader>
              <CardTitle className="flex items-center gap-2">
                <section.icon className="size-4" aria-hidden />
                {section.title}
              </CardTitle>
              <CardDescription>{section.description}</CardDescription>
              {canEdit ? (
                <CardAction>
                  <Button size="sm" variant="outline" onClick={() => start(newDraft(section.kind, tools.catalogue))}>
                    <PlusIcon />
                    {section.add}
                  </Button>
                </CardAction>
              ) : null}
            </CardHeader>
            <CardContent className={list.length > 0 ? "px-0" : undefined}>
              {list.length === 0 ? (
                <p className="text-muted-foreground text-sm">{section.empty}</p>
              ) : (
                <RulesTable rules={list} canEdit={canEdit} workspaceId={workspaceId} onEdit={(rule) => start(draftOf(rule))} actions={actions} />
              )}
            </CardContent>
          </Card>
        );
      })}
      {!canEdit ? <p className="text-muted-foreground text-sm">{t("rules.readOnly")}</p> : null}
      {editing ? <RuleDialog key={editing.key} open={open} onOpenChange={setOpen} initial={editing.draft} workspaceId={workspaceId} tools={tools} save={actions.save} /> : null}
    </>
  );
}

function RulesTable({
  rules,
  canEdit,
  workspaceId,
  onEdit,
  actions,
}: {
  rules: RuleView[];
  canEdit: boolean;
  workspaceId: string;
  onEdit: (rule: RuleView) => void;
  actions: { toggle: ScoringAction; remove: ScoringAction };
}) {
  const t = useTranslations("scoring");
  const format = useFormatter();
  const engagement = rules[0]?.kind === "behaviour";
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="pl-6">{t("rules.name")}</TableHead>
          <TableHead>{t("rules.condition")}</TableHead>
          <TableHead className="text-right">{t("rules.points")}</TableHead>
          {engagement ? <TableHead className="text-right">{t("rules.scored")}</TableHead> : null}
          <TableHead>{t("rules.active")}</TableHead>
          {canEdit ? <TableHead className="pr-6 text-right">{t("rules.actions")}</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rules.map((rule) => (
          <TableRow key={rule.id} data-rule={rule.id} className={rule.active ? undefined : "text-muted-foreground"}>
            <TableCell className="max-w-48 pl-6 font-medium whitespace-normal">{rule.name}</TableCell>
            <TableCell className="min-w-48 whitespace-normal">
              {rule.kind === "attribute" ? (
                <code className="bg-muted rounded px-1.5 py-0.5 font-mono text-xs break-all">{short(rule.rule)}</code>
              ) : (
                <div className="grid gap-1">
                  <span className="font-medium">{rule.event}</span>
                  <span className="text-muted-foreground text-xs">
                    {rule.where !== null && rule.where !== undefined ? <code className="bg-muted rounded px-1 font-mono break-all">{short(rule.where)}</code> : t("rules.anyProperties")}
                    {rule.cap ? ` · ${t("rules.cap", { count: rule.cap.count, per: t(`per.${rule.cap.per}`) })}` : null}
                  </span>
                </div>
              )}
            </TableCell>
            <TableCell className={`text-right font-mono tabular-nums ${rule.points < 0 ? "text-destructive" : ""}`}>
              {rule.points > 0 ? "+" : ""}
              {format.number(rule.points)}
            </TableCell>
            {engagement ? <TableCell className="text-right tabular-nums">{t("rules.times", { count: rule.scored30d })}</TableCell> : null}
            <TableCell>
              <ActiveSwitch rule={rule} workspaceId={workspaceId} disabled={!canEdit} toggle={actions.toggle} />
            </TableCell>
            {canEdit ? (
              <TableCell className="pr-6 text-right">
                <div className="flex justify-end gap-1">
                  <Button size="icon" variant="ghost" aria-label={`${t("rules.edit")} ${rule.name}`} onClick={() => onEdit(rule)}>
                    <PencilIcon />
                  </Button>
                  <DeleteButton rule={rule} workspaceId={workspaceId} remove={actions.remove} />
                </div>
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function useToastResult(state: ScoringActionState, success: string) {
  const shown = useRef<ScoringActionState>(null);
  useEffect(() => {
    if (!state || shown.current === state) return;
    shown.current = state;
    if (state.ok) toast.success(success);
    else toast.error(state.error);
  }, [state, success]);
}

function ActiveSwitch({ rule, workspaceId, disabled, toggle }: { rule: RuleView; workspaceId: string; disabled: boolean; toggle: ScoringAction }) {
  const t = useTranslations("scoring.rules");
  const [state, run, pending] = useActionState(toggle, null);
  const [checked, setChecked] = useOptimistic(rule.active);
  useToastResult(state, checked ? t("switchedOn") : t("switchedOff"));
  return (
    <Switch
      checked={checked}
      disabled={disabled || pending}
      aria-label={t("toggleNamed", { name: rule.name })}
      onCheckedChange={(next) => {
        const form = new FormData();
        form.set("workspaceId", workspaceId);
        form.set("id", rule.id);
        form.set("active", String(next));
        startTransition(() => {
          setChecked(next);
          run(form);
        });
      }}
    />
  );
}

function DeleteButton({ rule, workspaceId, remove }: { rule: RuleView; workspaceId: string; remove: ScoringAction }) {
  const t = useTranslations("scoring.rules");
  const [state, run, pending] = useActionState(remove, null);
  useToastResult(state, t("deleted"));
  return (
    <Button
      size="icon"
      variant="ghost"
      disabled={pending}
      aria-label={t("deleteNamed", { name: rule.name })}
      onClick={() => {
        if (!window.confirm(t("confirmDelete", { name: rule.name }))) return;
        const form = new FormData();
        form.set("workspaceId", workspaceId);
        form.set("id", rule.id);
        startTransition(() => run(form));
      }}
    >
      <Trash2Icon />
    </Button>
  );
}
