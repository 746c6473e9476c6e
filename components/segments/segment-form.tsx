"use client";

import { useActionState, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FormAlert } from "@/components/form/form-alert";
import type { BuilderCatalogue } from "./rule-builder";
import { RuleEditor, RuleProblemText, ruleProblemIn, type PreviewData, type RuleActionState } from "./rule-editor";

type Save = (previous: RuleActionState<{ id: string }>, formData: FormData) => Promise<RuleActionState<{ id: string }>>;
type Preview = (previous: RuleActionState<PreviewData>, formData: FormData) => Promise<RuleActionState<PreviewData>>;

const starterRule = { and: [{ "!": { missing: ["email"] } }] };

/** Create or edit a segment: name, description, kind (new only) and the rule with its live count. */
export function SegmentForm({
  workspaceId,
  slug,
  segment,
  catalogue,
  save,
  preview,
}: {
  workspaceId: string;
  slug: string;
  segment?: { id: string; name: string; description: string | null; kind: "dynamic" | "static"; rule: unknown };
  catalogue: BuilderCatalogue;
  save: Save;
  preview: Preview;
}) {
  const t = useTranslations("segments.form");
  const router = useRouter();
  const [kind, setKind] = useState<"dynamic" | "static">(segment?.kind ?? "dynamic");
  const [rule, setRule] = useState<unknown>(segment ? segment.rule : starterRule);
  const [state, run, pending] = useActionState<RuleActionState<{ id: string }>, FormData>(async (previous, formData) => {
    const result = await save(previous, formData);
    if (result?.ok && result.data) router.push(`/w/${slug}/segments/${result.data.id}`);
    return result;
  }, null);
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const ruleProblem = ruleProblemIn(state);

  return (
    <form action={run} className="grid gap-6" data-testid="segment-form">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {segment ? <input type="hidden" name="id" value={segment.id} /> : <input type="hidden" name="kind" value={kind} />}
      {kind === "dynamic" && rule !== undefined ? <input type="hidden" name="rule" value={JSON.stringify(rule)} /> : null}
      <FormAlert state={state} />
      <div className="grid max-w-xl gap-4">
        <div className="grid gap-2">
          <Label htmlFor="segment-name">{t("name")}</Label>
          <Input id="segment-name" name="name" defaultValue={segment?.name} required maxLength={200} aria-invalid={Boolean(fieldErrors.name)} autoFocus={!segment} />
          {fieldErrors.name ? <p className="text-destructive text-sm">{t("nameRequired")}</p> : null}
        </div>
        <div className="grid gap-2">
          <Label htmlFor="segment-description">{t("description")}</Label>
          <Textarea id="segment-description" name="description" defaultValue={segment?.description ?? ""} maxLength={2000} rows={2} />
        </div>
        {!segment ? (
          <fieldset className="grid gap-2">
            <legend className="mb-2 text-sm font-medium">{t("kind")}</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {(["dynamic", "static"] as const).map((option) => (
                <label key={option} className="has-[:checked]:border-primary flex cursor-pointer gap-3 rounded-lg border p-3 text-sm">
                  <input type="radio" name="kind-choice" value={option} checked={kind === option} onChange={() => setKind(option)} className="mt-1" />
                  <span className="grid gap-1">
                    <span className="font-medium">{t(`kinds.${option}`)}</span>
                    <span className="text-muted-foreground">{t(`kindHelp.${option}`)}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
      </div>
      {kind === "dynamic" ? (
        <section className="grid gap-2">
          <h2 className="text-sm font-medium">{t("rule")}</h2>
          <RuleEditor initialRule={rule} onRuleChange={setRule} catalogue={catalogue} workspaceId={workspaceId} slug={slug} preview={preview} />
          {ruleProblem ? (
            <p className="text-destructive text-sm" role="alert">
              <RuleProblemText problem={ruleProblem} />
            </p>
          ) : null}
        </section>
      ) : (
        <p className="text-muted-foreground max-w-xl text-sm">{t("staticNote")}</p>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending || (kind === "dynamic" && rule === undefined)}>
          {pending ? <Loader2Icon className="animate-spin" /> : null}
          {pending ? t("saving") : segment ? t("saveChanges") : t("create")}
        </Button>
        <Button type="button" variant="outline" onClick={() => router.back()}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
