"use client";

import { startTransition, useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Separator } from "@/components/ui/separator";
import { FieldError } from "@/components/form/field";
import { NativeSelect } from "@/components/broadcasts/native-select";
import type { ScoringAction, ScoringActionState } from "./types";

const stages = ["lead", "mql", "sql", "customer"] as const;
type Stage = (typeof stages)[number];

export interface SettingsView {
  decay: { kind: "none" } | { kind: "halve" | "expire"; days: number };
  thresholds: Partial<Record<Stage, number | null>>;
  ownerId: string | null;
  handoffWebhookUrl: string | null;
}

/** Thresholds, decay and the MQL hand-off, saved together. */
export function SettingsForm({
  settings,
  members,
  canEdit,
  workspaceId,
  save,
}: {
  settings: SettingsView;
  members: Array<{ id: string; email: string; name: string | null }>;
  canEdit: boolean;
  workspaceId: string;
  save: ScoringAction;
}) {
  const t = useTranslations("scoring");
  const [thresholds, setThresholds] = useState<Record<Stage, string>>(
    () => Object.fromEntries(stages.map((stage) => [stage, settings.thresholds[stage] === null || settings.thresholds[stage] === undefined ? "" : String(settings.thresholds[stage])])) as Record<Stage, string>,
  );
  const [decayKind, setDecayKind] = useState(settings.decay.kind);
  const [days, setDays] = useState(settings.decay.kind === "none" ? "30" : String(settings.decay.days));
  const [owner, setOwner] = useState(settings.ownerId ?? "");
  const [webhook, setWebhook] = useState(settings.handoffWebhookUrl ?? "");
  const [local, setLocal] = useState<Record<string, string>>({});
  const [state, run, pending] = useActionState<ScoringActionState, FormData>(async (previous, formData) => {
    const result = await save(previous, formData);
    if (result?.ok) toast.success(t("settings.saved"));
    return result;
  }, null);

  const server = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const serverKey = (field: string) => {
    if (field.startsWith("thresholds")) return "thresholds";
    if (field === "owner") return "owner";
    if (field === "handoff_webhook_url") return "webhook";
    if (field.startsWith("decay")) return "days";
    return undefined;
  };
  const error = (field: string) => {
    const key = local[field] ?? Object.keys(server).map((path) => (path === field || path.startsWith(`${field}.`) ? serverKey(path) : undefined)).find(Boolean);
    return key ? t(`errors.${key}` as never) : undefined;
  };
  const formError = state && !state.ok && Object.keys(server).length === 0 ? state.error : undefined;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const values: Partial<Record<Stage, number | null>> = {};
    let previous: number | undefined;
    for (const stage of stages) {
      const text = thresholds[stage].trim();
      if (!text) {
        values[stage] = null;
        continue;
      }
      const value = Number(text);
      if (!Number.isInteger(value)) found[`thresholds.${stage}`] = "threshold";
      else if (previous !== undefined && value <= previous) found[`thresholds.${stage}`] = "thresholds";
      else previous = value;
      values[stage] = value;
    }
    const dayCount = Number(days);
    if (decayKind !== "none" && (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 3650)) found.decay = "days";
    if (webhook.trim() && !/^https?:\/\/\S+$/i.test(webhook.trim())) found.handoff_webhook_url = "webhook";
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    const body = {
      thresholds: values,
      decay: decayKind === "none" ? { kind: "none" } : { kind: decayKind, days: dayCount },
      owner: owner || null,
      handoff_webhook_url: webhook.trim() || null,
    };
    const formData = new FormData();
    formData.set("workspaceId", workspaceId);
    formData.set("body", JSON.stringify(body));
    startTransition(() => run(formData));
  }

  const decayHint = decayKind === "none" ? t("settings.decayNoneHint") : decayKind === "halve" ? t("settings.decayHalveHint", { days: days || "N" }) : t("settings.decayExpireHint", { days: days || "N" });

  return (
    <Card data-testid="scoring-settings">
      <form onSubmit={submit} noValidate className="grid gap-6">
        <CardHeader>
          <CardTitle>{t("settings.title")}</CardTitle>
          <CardDescription>{t("settings.description")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {formError ? (
            <p role="alert" className="text-destructive text-sm">
              {formError}
            </p>
          ) : null}
          <fieldset className="grid gap-3" disabled={!canEdit}>
            <legend className="text-sm font-medium">{t("settings.thresholds")}</legend>
            <p className="text-muted-foreground text-xs">{t("settings.thresholdsHint")}</p>
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              {stages.map((stage) => (
                <div key={stage} className="grid gap-1.5">
                  <Label htmlFor={`threshold-${stage}`}>{t(`stages.${stage}`)}</Label>
                  <Input
                    id={`threshold-${stage}`}
                    type="number"
                    step={1}
                    inputMode="numeric"
                    placeholder={t("settings.unset")}
                    value={thresholds[stage]}
                    onChange={(event) => setThresholds((current) => ({ ...current, [stage]: event.target.value }))}
                    aria-invalid={error(`thresholds.${stage}`) ? true : undefined}
                  />
                </div>
              ))}
            </div>
            <FieldError message={stages.map((stage) => error(`thresholds.${stage}`)).find(Boolean) ?? error("thresholds")} />
          </fieldset>

          <Separator />

          <fieldset className="grid gap-3" disabled={!canEdit}>
            <legend className="text-sm font-medium">{t("settings.decay")}</legend>
            <div className="flex flex-wrap items-end gap-3">
              <NativeSelect aria-label={t("settings.decay")} className="w-72" value={decayKind} onChange={(event) => setDecayKind(event.target.value as SettingsView["decay"]["kind"])}>
                <option value="none">{t("settings.decayNone")}</option>
                <option value="halve">{t("settings.decayHalve")}</option>
                <option value="expire">{t("settings.decayExpire")}</option>
              </NativeSelect>
              {decayKind !== "none" ? (
                <div className="grid gap-1.5">
                  <Label htmlFor="decay-days">{t("settings.days")}</Label>
                  <Input id="decay-days" type="number" min={1} max={3650} step={1} className="w-24" value={days} onChange={(event) => setDays(event.target.value)} aria-invalid={error("decay") ? true : undefined} />
                </div>
              ) : null}
            </div>
            <p className="text-muted-foreground text-xs">{decayHint}</p>
            <FieldError message={error("decay")} />
          </fieldset>

          <Separator />

          <fieldset className="grid gap-3" disabled={!canEdit}>
            <legend className="text-sm font-medium">{t("settings.handoff")}</legend>
            <p className="text-muted-foreground text-xs">{t("settings.handoffHint")}</p>
            <div className="grid gap-3 md:grid-cols-2">
              <div className="grid gap-1.5">
                <Label htmlFor="handoff-owner">{t("settings.owner")}</Label>
                <NativeSelect id="handoff-owner" value={owner} onChange={(event) => setOwner(event.target.value)} aria-invalid={error("owner") ? true : undefined}>
                  <option value="">{t("settings.noOwner")}</option>
                  {members.map((member) => (
                    <option key={member.id} value={member.id}>
                      {member.name ? `${member.name} (${member.email})` : member.email}
                    </option>
                  ))}
                </NativeSelect>
                <FieldError message={error("owner")} />
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor="handoff-webhook">{t("settings.webhook")}</Label>
                <Input
                  id="handoff-webhook"
                  type="url"
                  placeholder="https://crm.example.com/hooks/mql"
                  value={webhook}
                  onChange={(event) => setWebhook(event.target.value)}
                  aria-invalid={error("handoff_webhook_url") ? true : undefined}
                  aria-describedby="handoff-webhook-hint"
                />
                {error("handoff_webhook_url") ? null : (
                  <p id="handoff-webhook-hint" className="text-muted-foreground text-xs">
                    {t("settings.webhookHint")}
                  </p>
                )}
                <FieldError message={error("handoff_webhook_url")} />
              </div>
            </div>
          </fieldset>
        </CardContent>
        <CardFooter className="justify-between gap-3">
          {canEdit ? (
            <Button type="submit" disabled={pending} aria-busy={pending}>
              {pending ? <Loader2Icon className="animate-spin" /> : null}
              {t("settings.save")}
            </Button>
          ) : (
            <p className="text-muted-foreground text-sm">{t("settings.adminOnly")}</p>
          )}
        </CardFooter>
      </form>
    </Card>
  );
}
