"use client";

import { useTranslations } from "next-intl";
import type { NodeType } from "@/lib/journeys/graph";
import type { JourneyProblem } from "@/lib/journeys/validate";
import { Input } from "@/components/ui/input";
import { Separator } from "@/components/ui/separator";
import { Textarea } from "@/components/ui/textarea";
import { FormRow, described } from "./form-bits";
import { ProblemsList } from "./problems";

/** The side panel with no node selected: the journey's name and description, the problems to fix, how the canvas works. */
export function JourneySettings({
  name,
  description,
  onName,
  onDescription,
  errors,
  disabled,
  problems,
  nodeTypes,
  onSelectProblem,
}: {
  name: string;
  description: string;
  onName: (name: string) => void;
  onDescription: (description: string) => void;
  errors: Record<string, string>;
  disabled: boolean;
  problems: JourneyProblem[];
  nodeTypes: Map<string, NodeType>;
  onSelectProblem: (nodeId: string) => void;
}) {
  const t = useTranslations("journeys");
  const nameError = errors.name ? (t.has(`errors.${errors.name}`) ? t(`errors.${errors.name}`) : errors.name) : undefined;
  return (
    <div className="grid gap-4" data-testid="journey-settings">
      {problems.length > 0 ? (
        <>
          <ProblemsList problems={problems} nodeTypes={nodeTypes} onSelect={onSelectProblem} />
          <Separator />
        </>
      ) : null}
      <h2 className="text-base font-semibold">{t("settings.title")}</h2>
      <FormRow id="journey-name" label={t("settings.name")} error={nameError}>
        <Input id="journey-name" value={name} maxLength={200} disabled={disabled} onChange={(event) => onName(event.target.value)} {...described("journey-name", nameError)} />
      </FormRow>
      <FormRow id="journey-description" label={t("settings.description")} error={errors.description}>
        <Textarea id="journey-description" value={description} maxLength={2000} disabled={disabled} placeholder={t("settings.descriptionPlaceholder")} onChange={(event) => onDescription(event.target.value)} />
      </FormRow>
      <Separator />
      <div className="text-muted-foreground grid gap-2 text-sm">
        <h3 className="text-foreground text-sm font-medium">{t("settings.howTitle")}</h3>
        <ul className="grid list-disc gap-1 pl-4">
          <li>{t("settings.howAdd")}</li>
          <li>{t("settings.howConnect")}</li>
          <li>{t("settings.howEdit")}</li>
          <li>{t("settings.howPublish")}</li>
        </ul>
        <h3 className="text-foreground mt-2 text-sm font-medium">{t("settings.keysTitle")}</h3>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
          {(["delete", "undo", "redo", "save"] as const).map((key) => (
            <div key={key} className="contents">
              <dt>
                <kbd className="bg-muted rounded border px-1 font-mono">{t(`settings.keys.${key}Key`)}</kbd>
              </dt>
              <dd>{t(`settings.keys.${key}`)}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
