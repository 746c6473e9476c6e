"use client";

import { useTranslations } from "next-intl";
import { PlusIcon, Trash2Icon } from "lucide-react";
import type { AbMetric } from "@/db/schema";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/form/field";
import { emptyVariant, type BroadcastDraft, type FormOptions, type VariantDraft } from "./draft";
import { errorAt } from "./error-text";
import { NativeSelect } from "./native-select";

const keys = ["A", "B", "C", "D", "E"];
// db/schema's abMetrics, without its table code in the browser bundle.
const metrics: AbMetric[] = ["opens", "clicks", "conversion"];

/** The A/B test's settings: split by weights or test-then-winner, and 2 to 5 variants of subject, sender or template. */
export function AbTestFields({
  draft,
  update,
  templates,
  errors,
  errorText,
}: {
  draft: BroadcastDraft;
  update: (patch: Partial<BroadcastDraft>) => void;
  templates: FormOptions["templates"];
  errors: Record<string, string>;
  errorText: (code: string) => string;
}) {
  const t = useTranslations("broadcasts.form");
  const error = (path: string, exact = false) => {
    const code = errorAt(errors, path, { exact });
    return code ? errorText(code) : undefined;
  };
  const sameChannel = templates.filter((template) => template.channel === draft.channel && template.id !== draft.templateId);
  const email = draft.channel === "email";
  const setVariant = (index: number, patch: Partial<VariantDraft>) => update({ variants: draft.variants.map((variant, at) => (at === index ? { ...variant, ...patch } : variant)) });

  return (
    <div className="grid gap-4" data-testid="ab-test">
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">{t("abMode")}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(["split", "winner"] as const).map((mode) => (
            <label key={mode} className="has-[:checked]:border-primary flex cursor-pointer gap-3 rounded-lg border p-3 text-sm">
              <input type="radio" name="ab-mode" value={mode} checked={draft.abMode === mode} onChange={() => update({ abMode: mode })} className="accent-primary mt-1" />
              <span className="grid gap-1">
                <span className="font-medium">{t(`abModes.${mode}`)}</span>
                <span className="text-muted-foreground">{t(`abModeHelp.${mode}`)}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError message={error("ab_test.mode")} />
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-3">
        <div className="grid content-start gap-2">
          <Label htmlFor="ab-metric">{draft.abMode === "winner" ? t("winnerMetric") : t("compareMetric")}</Label>
          <NativeSelect id="ab-metric" value={draft.metric} onChange={(event) => update({ metric: event.target.value as AbMetric })} aria-invalid={error("ab_test.metric") ? true : undefined}>
            {metrics.map((metric) => (
              <option key={metric} value={metric}>
                {t(`metrics.${metric}`)}
              </option>
            ))}
          </NativeSelect>
          <FieldError message={error("ab_test.metric")} />
        </div>
        {draft.abMode === "winner" ? (
          <>
            <div className="grid content-start gap-2">
              <Label htmlFor="ab-test-percent">{t("testPercent")}</Label>
              <Input
                id="ab-test-percent"
                type="number"
                inputMode="numeric"
                min={1}
                max={50}
                value={draft.testPercent}
                onChange={(event) => update({ testPercent: event.target.value })}
                aria-invalid={error("ab_test.test_percent") ? true : undefined}
              />
              <p className="text-muted-foreground text-xs">{t("testPercentHint", { rest: Math.max(0, 100 - (Number(draft.testPercent) || 0)) })}</p>
              <FieldError message={error("ab_test.test_percent")} />
            </div>
            <div className="grid content-start gap-2">
              <Label htmlFor="ab-wait-hours">{t("waitHours")}</Label>
              <Input
                id="ab-wait-hours"
                type="number"
                inputMode="decimal"
                min={0.25}
                max={168}
                step={0.25}
                value={draft.waitHours}
                onChange={(event) => update({ waitHours: event.target.value })}
                aria-invalid={error("ab_test.wait_hours") ? true : undefined}
              />
              <FieldError message={error("ab_test.wait_hours")} />
            </div>
          </>
        ) : null}
      </div>

      <ol className="grid gap-3" aria-label={t("variants")}>
        {draft.variants.map((variant, index) => {
          const key = keys[index];
          const at = (field: string) => error(`ab_test.variants.${index}.${field}`, true);
          return (
            <li key={index} className="grid gap-3 rounded-lg border p-3" data-testid={`variant-${key}`}>
              <div className="flex items-center justify-between gap-2">
                <h3 className="text-sm font-semibold">{t("variant", { key })}</h3>
                {draft.variants.length > 2 ? (
                  <Button type="button" variant="ghost" size="sm" onClick={() => update({ variants: draft.variants.filter((_, other) => other !== index) })} aria-label={t("removeVariant", { key })}>
                    <Trash2Icon />
                  </Button>
                ) : null}
              </div>
              <div className="grid gap-3 sm:grid-cols-2">
                {draft.abMode === "split" ? (
                  <VariantInput id={`variant-${index}-weight`} label={t("weight")} type="number" min={1} max={100} value={variant.weight} onChange={(value) => setVariant(index, { weight: value })} error={at("weight")} />
                ) : null}
                <div className="grid content-start gap-2">
                  <Label htmlFor={`variant-${index}-template`}>{t("variantTemplate")}</Label>
                  <NativeSelect id={`variant-${index}-template`} value={variant.templateId} onChange={(event) => setVariant(index, { templateId: event.target.value })} aria-invalid={at("template_id") ? true : undefined}>
                    <option value="">{t("sameTemplate")}</option>
                    {sameChannel.map((template) => (
                      <option key={template.id} value={template.id}>
                        {template.name}
                      </option>
                    ))}
                  </NativeSelect>
                  <FieldError message={at("template_id")} />
                </div>
                {email ? (
                  <>
                    <VariantInput id={`variant-${index}-subject`} label={t("variantSubject")} placeholder={t("templateSubject")} value={variant.subject} onChange={(value) => setVariant(index, { subject: value })} error={at("subject")} className="sm:col-span-2" />
                    <VariantInput id={`variant-${index}-from-name`} label={t("variantFromName")} placeholder={t("templateSender")} value={variant.fromName} onChange={(value) => setVariant(index, { fromName: value })} error={at("from_name")} />
                    <VariantInput id={`variant-${index}-from-email`} label={t("variantFromEmail")} placeholder={t("templateSender")} type="email" value={variant.fromEmail} onChange={(value) => setVariant(index, { fromEmail: value })} error={at("from_email")} />
                  </>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      <FieldError message={error("ab_test.variants", true)} />
      {draft.variants.length < 5 ? (
        <div>
          <Button type="button" variant="outline" size="sm" onClick={() => update({ variants: [...draft.variants, emptyVariant()] })}>
            <PlusIcon />
            {t("addVariant", { key: keys[draft.variants.length] })}
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function VariantInput({
  id,
  label,
  value,
  onChange,
  error,
  className,
  ...input
}: { id: string; label: string; value: string; onChange: (value: string) => void; error?: string; className?: string } & Omit<React.ComponentProps<typeof Input>, "onChange" | "value" | "id">) {
  return (
    <div className={`grid content-start gap-2 ${className ?? ""}`}>
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...input} />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
