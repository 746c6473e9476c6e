"use client";

import { useMemo } from "react";
import { useTranslations } from "next-intl";
import { QueryBuilder, ValueEditor, type Field, type RuleGroupType, type ValueEditorProps } from "react-querybuilder";
import "react-querybuilder/dist/query-builder.css";
import { Input } from "@/components/ui/input";
import { type FieldType, type InSegmentValue, type PerformedValue, inSegmentField, operatorsByType, performedField } from "./rule-codec";

export interface BuilderCatalogue {
  attributes: Array<{ key: string; type: Exclude<FieldType, "tags" | "performed" | "in_segment"> }>;
  eventNames: string[];
  segments: Array<{ id: string; name: string }>;
}

export const contactFieldTypes: Record<string, FieldType> = {
  email: "string",
  first_name: "string",
  last_name: "string",
  external_id: "string",
  phone: "string",
  lifecycle_stage: "string",
  timezone: "string",
  locale: "string",
  created_at: "date",
  last_seen_at: "date",
  score: "number",
  tags: "tags",
};

export function fieldTypes(catalogue: BuilderCatalogue): Record<string, FieldType> {
  return {
    ...contactFieldTypes,
    ...Object.fromEntries(catalogue.attributes.map((attribute) => [`attributes.${attribute.key}`, attribute.type])),
    [performedField]: "performed",
    [inSegmentField]: "in_segment",
  };
}

// Message keys cannot hold every symbol an operator name has.
const operatorKeys: Record<string, string> = { "=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };

const control = "border-input bg-background h-8 rounded-md border px-2 text-sm shadow-xs focus-visible:ring-ring/50 focus-visible:ring-[3px] outline-none";

export function RuleBuilder({
  query,
  onChange,
  catalogue,
  disabled,
}: {
  query: RuleGroupType;
  onChange: (query: RuleGroupType) => void;
  catalogue: BuilderCatalogue;
  disabled?: boolean;
}) {
  const t = useTranslations("segments.builder");
  const types = useMemo(() => fieldTypes(catalogue), [catalogue]);

  const fields = useMemo<Field[]>(() => {
    const operators = (type: FieldType) => operatorsByType[type].map((name) => ({ name, label: t(`operators.${operatorKeys[name] ?? name}` as never) }));
    const field = (name: string, label: string, type: FieldType): Field => ({
      name,
      label,
      operators: operators(type),
      inputType: type === "number" ? "number" : type === "date" ? "date" : "text",
      ...(type === "boolean"
        ? { valueEditorType: "select" as const, values: [{ name: "true", label: t("true") }, { name: "false", label: t("false") }], defaultValue: "true" }
        : {}),
      ...(type === "performed" ? { defaultValue: { event: catalogue.eventNames[0] ?? "" } } : {}),
      ...(type === "in_segment" ? { defaultValue: { segment: catalogue.segments[0]?.id ?? "" } } : {}),
    });
    return [
      ...Object.entries(contactFieldTypes).map(([name, type]) => field(name, t(`fields.${name}` as never), type)),
      ...catalogue.attributes.map((attribute) => field(`attributes.${attribute.key}`, t("attribute", { key: attribute.key }), attribute.type)),
      field(performedField, t("fields.performed"), "performed"),
      field(inSegmentField, t("fields.inSegment"), "in_segment"),
    ];
  }, [catalogue, t]);

  return (
    <div className="tideline-rule-builder" data-testid="rule-builder">
      <QueryBuilder
        fields={fields}
        query={query}
        onQueryChange={onChange}
        disabled={disabled}
        showNotToggle
        resetOnFieldChange
        combinators={[
          { name: "and", label: t("and") },
          { name: "or", label: t("or") },
        ]}
        translations={{
          addRule: { label: t("addCondition"), title: t("addCondition") },
          addGroup: { label: t("addGroup"), title: t("addGroup") },
          removeRule: { label: "✕", title: t("remove") },
          removeGroup: { label: "✕", title: t("remove") },
          notToggle: { label: t("not"), title: t("not") },
          fields: { title: t("field") },
          operators: { title: t("operator") },
          value: { title: t("value") },
          combinators: { title: t("combinator") },
        }}
        controlClassnames={{
          queryBuilder: "text-sm",
          ruleGroup: "!bg-muted/40 !border-border !rounded-lg",
          fields: control,
          operators: control,
          value: control,
          combinators: control,
          addRule: "h-8 rounded-md border px-3 text-sm font-medium hover:bg-accent",
          addGroup: "h-8 rounded-md border px-3 text-sm font-medium hover:bg-accent",
          removeRule: "h-8 w-8 rounded-md text-muted-foreground hover:bg-accent",
          removeGroup: "h-8 w-8 rounded-md text-muted-foreground hover:bg-accent",
          notToggle: "inline-flex items-center gap-1",
        }}
        context={{ catalogue, types }}
        controlElements={{ valueEditor: RuleValueEditor }}
      />
    </div>
  );
}

// Tideline's own operators get their own editors; everything else the stock one.
function RuleValueEditor(props: ValueEditorProps) {
  if (props.field === performedField) return <PerformedEditor {...props} />;
  if (props.field === inSegmentField) return <InSegmentEditor {...props} />;
  if (props.operator === "null" || props.operator === "notNull") return null;
  if (props.operator === "withinLastDays" || props.operator === "notWithinLastDays") {
    return <DaysInput value={props.value} onChange={(days) => props.handleOnChange(days ?? "")} disabled={props.disabled} label={props.title ?? ""} />;
  }
  return <ValueEditor {...props} />;
}

function DaysInput({ value, onChange, disabled, label }: { value: unknown; onChange: (days: number | undefined) => void; disabled?: boolean; label: string }) {
  const t = useTranslations("segments.builder");
  return (
    <span className="inline-flex items-center gap-1">
      <Input
        type="number"
        min={1}
        className="h-8 w-20"
        aria-label={label}
        value={typeof value === "number" || typeof value === "string" ? value : ""}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value === "" ? undefined : Number(event.target.value))}
      />
      <span className="text-muted-foreground">{t("days")}</span>
    </span>
  );
}

function PerformedEditor({ value, handleOnChange, disabled, context }: ValueEditorProps) {
  const t = useTranslations("segments.builder");
  const catalogue = (context as { catalogue: BuilderCatalogue }).catalogue;
  const current = (value && typeof value === "object" ? value : { event: "" }) as PerformedValue;
  const [countOp, countValue] = Object.entries(current.count ?? { ">=": 1 })[0] ?? [">=", 1];
  const set = (patch: Partial<PerformedValue>) => {
    const next: PerformedValue = { ...current, ...patch };
    if (next.within_days === undefined) delete next.within_days;
    if (next.count && Object.entries(next.count)[0]?.join() === ">=,1") delete next.count;
    handleOnChange(next);
  };
  const listId = "tideline-event-names";
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="performed-editor">
      <Input
        className="h-8 w-48"
        list={listId}
        aria-label={t("eventName")}
        placeholder={t("eventName")}
        value={current.event}
        disabled={disabled}
        onChange={(event) => set({ event: event.target.value })}
      />
      <datalist id={listId}>
        {catalogue.eventNames.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <select className={control} aria-label={t("countOperator")} value={countOp} disabled={disabled} onChange={(event) => set({ count: { [event.target.value]: Number(countValue) } })}>
        {[">=", "<=", "=="].map((op) => (
          <option key={op} value={op}>
            {t(`count.${op === ">=" ? "atLeast" : op === "<=" ? "atMost" : "exactly"}`)}
          </option>
        ))}
      </select>
      <Input
        type="number"
        min={0}
        className="h-8 w-20"
        aria-label={t("times")}
        value={String(countValue)}
        disabled={disabled}
        onChange={(event) => set({ count: { [countOp]: Number(event.target.value || 0) } })}
      />
      <span className="text-muted-foreground">{t("timesIn")}</span>
      <DaysInput value={current.within_days} label={t("withinDays")} disabled={disabled} onChange={(days) => set({ within_days: days })} />
      <span className="text-muted-foreground text-xs">{current.within_days ? null : t("anyTime")}</span>
      {current.where !== undefined ? <span className="text-muted-foreground text-xs">{t("whereInJson")}</span> : null}
    </span>
  );
}

function InSegmentEditor({ value, handleOnChange, disabled, context }: ValueEditorProps) {
  const t = useTranslations("segments.builder");
  const catalogue = (context as { catalogue: BuilderCatalogue }).catalogue;
  const current = (value && typeof value === "object" ? value : { segment: "" }) as InSegmentValue;
  const set = (patch: Partial<InSegmentValue>) => {
    const next = { ...current, ...patch };
    if (next.within_days === undefined) delete next.within_days;
    handleOnChange(next);
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="in-segment-editor">
      <select className={control} aria-label={t("fields.inSegment")} value={current.segment} disabled={disabled} onChange={(event) => set({ segment: event.target.value })}>
        {current.segment && !catalogue.segments.some((segment) => segment.id === current.segment) ? <option value={current.segment}>{current.segment}</option> : null}
        {catalogue.segments.length === 0 ? <option value="">{t("noSegments")}</option> : null}
        {catalogue.segments.map((segment) => (
          <option key={segment.id} value={segment.id}>
            {segment.name}
          </option>
        ))}
      </select>
      <span className="text-muted-foreground">{t("memberWithin")}</span>
      <DaysInput value={current.within_days} label={t("withinDays")} disabled={disabled} onChange={(days) => set({ within_days: days })} />
      <span className="text-muted-foreground text-xs">{current.within_days ? null : t("now")}</span>
    </span>
  );
}
