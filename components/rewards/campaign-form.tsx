"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Progress } from "@/components/ui/progress";
import { Textarea } from "@/components/ui/textarea";
import { FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { CodeSourceFields, emptySource, sendCodes, sourceReady, type CodeSource, type UploadCodes } from "./code-source";
import { useRewardsErrorText } from "./error-text";

type Create = (previous: ActionState<{ id: string }>, formData: FormData) => Promise<ActionState<{ id: string }>>;

// codeAlphabet of lib/rewards/coupons: the characters an X becomes (no 0/O, 1/I/L).
const alphabetSize = 31;

interface Draft {
  name: string;
  description: string;
  source: "generated" | "pool";
  pattern: string;
  quantity: string;
  valueKind: "amount" | "percent" | "text";
  amount: string;
  currency: string;
  percent: string;
  text: string;
  validFrom: string;
  validUntil: string;
  perContactLimit: string;
}

/** A new coupon campaign: generated codes from a pattern, or a pool pasted or uploaded from a CSV file (sent in pieces with progress). */
export function CampaignForm({ workspaceId, slug, timezone, maxGenerated, create, upload }: { workspaceId: string; slug: string; timezone: string; maxGenerated: number; create: Create; upload: UploadCodes }) {
  const t = useTranslations("rewards.campaignForm");
  const format = useFormatter();
  const router = useRouter();
  const errorText = useRewardsErrorText();
  const [draft, setDraft] = useState<Draft>({
    name: "",
    description: "",
    source: "generated",
    pattern: "",
    quantity: "1000",
    valueKind: "amount",
    amount: "",
    currency: "CNY",
    percent: "",
    text: "",
    validFrom: "",
    validUntil: "",
    perContactLimit: "1",
  });
  const [codes, setCodes] = useState<CodeSource>(emptySource);
  const [state, setState] = useState<ActionState<{ id: string }>>(null);
  const [pending, setPending] = useState(false);
  const [progress, setProgress] = useState<number>();
  const [uploadError, setUploadError] = useState<string>();
  // A field's error stays until the field is changed (or the form is sent again).
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const update = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setEdited((current) => new Set([...current, ...Object.keys(patch)]));
  };
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const error = (field: string) => (edited.has(field) ? undefined : errorText(errors[field]));
  const slots = (draft.pattern.match(/X/g) ?? []).length;

  async function submit(formData: FormData) {
    setUploadError(undefined);
    if (draft.source === "pool" && !sourceReady(codes)) {
      setUploadError(t("codesRequired"));
      return;
    }
    setPending(true);
    setEdited(new Set());
    const created = await create(null, formData);
    setState(created);
    if (!created?.ok || !created.data) {
      setPending(false);
      return;
    }
    const campaignId = created.data.id;
    if (draft.source === "pool") {
      setProgress(0);
      const outcome = await sendCodes(codes, { workspaceId, campaignId, upload }, setProgress, t("uploadFailed"));
      if (!outcome.ok) {
        // The campaign exists with the codes sent so far; its page says so and takes the rest.
        const reason = errorText(outcome.error) ?? outcome.error;
        router.push(`/w/${slug}/rewards/coupons/${campaignId}?stopped=${encodeURIComponent(reason)}`);
        return;
      }
    }
    router.push(`/w/${slug}/rewards/coupons/${campaignId}`);
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
      }}
      className="grid max-w-3xl gap-6"
      data-testid="campaign-form"
      noValidate
    >
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {Object.entries(draft).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormAlert state={state && !state.ok && !state.fieldErrors ? state : null} />

      <Card>
        <CardHeader>
          <CardTitle>{t("about")}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <TextField id="campaign-name" label={t("name")} value={draft.name} onChange={(name) => update({ name })} error={error("name")} maxLength={200} placeholder={t("namePlaceholder")} autoFocus />
          <div className="grid gap-2">
            <Label htmlFor="campaign-description">
              {t("descriptionLabel")} <span className="text-muted-foreground font-normal">({t("optional")})</span>
            </Label>
            <Textarea id="campaign-description" className="min-h-16" maxLength={2000} value={draft.description} onChange={(event) => update({ description: event.target.value })} />
            <FieldError message={error("description")} />
          </div>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t("value")}</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              {(["amount", "percent", "text"] as const).map((kind) => (
                <label key={kind} className="flex items-center gap-2">
                  <input type="radio" name="value-kind" checked={draft.valueKind === kind} onChange={() => update({ valueKind: kind })} className="accent-primary" />
                  {t(`valueKinds.${kind}`)}
                </label>
              ))}
            </div>
            <div className="grid gap-4 sm:grid-cols-3">
              {draft.valueKind === "amount" ? (
                <>
                  <TextField id="campaign-amount" label={t("amount")} type="number" inputMode="decimal" min={0} step="any" value={draft.amount} onChange={(amount) => update({ amount })} error={error("amount")} />
                  <TextField id="campaign-currency" label={t("currency")} value={draft.currency} onChange={(currency) => update({ currency: currency.toUpperCase() })} error={error("currency")} maxLength={3} className="w-28" />
                </>
              ) : draft.valueKind === "percent" ? (
                <TextField id="campaign-percent" label={t("percent")} type="number" inputMode="decimal" min={0} max={100} step="any" value={draft.percent} onChange={(percent) => update({ percent })} error={error("percent")} />
              ) : (
                <TextField id="campaign-text" label={t("text")} value={draft.text} onChange={(text) => update({ text })} error={error("text")} maxLength={200} placeholder={t("textPlaceholder")} className="sm:col-span-3" />
              )}
            </div>
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField id="campaign-valid-from" label={t("validFrom")} type="datetime-local" value={draft.validFrom} onChange={(validFrom) => update({ validFrom })} error={error("validFrom")} />
            <TextField id="campaign-valid-until" label={t("validUntil")} type="datetime-local" value={draft.validUntil} onChange={(validUntil) => update({ validUntil })} error={error("validUntil")} />
            <TextField
              id="campaign-limit"
              label={t("perContactLimit")}
              type="number"
              inputMode="numeric"
              min={1}
              value={draft.perContactLimit}
              onChange={(perContactLimit) => update({ perContactLimit })}
              error={error("perContactLimit")}
            />
            <p className="text-muted-foreground -mt-2 text-xs sm:col-span-3">{t("validityHint", { zone: timezone.replaceAll("_", " ") })}</p>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("codes")}</CardTitle>
          <CardDescription>{t("codesHint")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <fieldset className="grid gap-2">
            <legend className="sr-only">{t("codes")}</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {(["generated", "pool"] as const).map((source) => (
                <label key={source} className="has-[:checked]:border-primary has-[:focus-visible]:ring-ring/50 flex cursor-pointer items-start gap-3 rounded-lg border p-3 text-sm has-[:focus-visible]:ring-[3px]">
                  <input type="radio" name="campaign-source" checked={draft.source === source} onChange={() => update({ source })} className="accent-primary mt-1" />
                  <span className="grid gap-1">
                    <span className="font-medium">{t(`sources.${source}`)}</span>
                    <span className="text-muted-foreground">{t(`sourceHelp.${source}`)}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {draft.source === "generated" ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                id="campaign-pattern"
                label={t("pattern")}
                value={draft.pattern}
                onChange={(pattern) => update({ pattern: pattern.toUpperCase() })}
                error={error("pattern")}
                placeholder="SPRING-XXXXXX"
                maxLength={60}
                className="font-mono"
                hint={slots > 0 ? t("patternCapacity", { slots, capacity: format.number(alphabetSize ** slots, { notation: "compact" }) }) : t("patternHint")}
              />
              <TextField
                id="campaign-quantity"
                label={t("quantity")}
                type="number"
                inputMode="numeric"
                min={1}
                max={maxGenerated}
                value={draft.quantity}
                onChange={(quantity) => update({ quantity })}
                error={error("quantity")}
                hint={t("quantityHint", { max: format.number(maxGenerated) })}
              />
            </div>
          ) : (
            <CodeSourceFields source={codes} onChange={setCodes} error={uploadError} disabled={pending} />
          )}
          {progress !== undefined ? (
            <div className="grid gap-1" data-testid="upload-progress">
              <Progress value={progress} aria-label={t("uploading")} />
              <p className="text-muted-foreground text-xs">{t("uploadingPercent", { percent: progress })}</p>
            </div>
          ) : null}
          {draft.source === "generated" && uploadError ? <FieldError message={uploadError} /> : null}
        </CardContent>
      </Card>

      <div className="flex gap-2">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? <Loader2Icon className="animate-spin" /> : null}
          {pending ? (draft.source === "generated" ? t("generating") : t("uploading")) : t("create")}
        </Button>
        <Button type="button" variant="outline" onClick={() => router.back()} disabled={pending}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}

function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  className,
  ...input
}: { id: string; label: string; value: string; onChange: (value: string) => void; error?: string; hint?: string; className?: string } & Omit<React.ComponentProps<typeof Input>, "onChange" | "value" | "id">) {
  const described = [hint && !error ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="grid content-start gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={error ? true : undefined} aria-describedby={described} className={className} {...input} />
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
