"use client";

import { useId, useMemo } from "react";
import { useTranslations } from "next-intl";
import { QueryBuilder, ValueEditor, type Field, type RuleGroupType, type ValueEditorProps } from "react-querybuilder";
import "react-querybuilder/dist/query-builder.css";
import { Input } from "@/components/ui/input";
import {
  type AggregateValue,
  type FieldType,
  type InSegmentValue,
  type PerformedValue,
  type PropertyFilter,
  aggregateField,
  aggregateFns,
  filterOperators,
  filtersToWhere,
  inSegmentField,
  operatorsByType,
  performedField,
  typedFilterValue,
  whereToFilters,
} from "./rule-codec";

export interface BuilderCatalogue {
  attributes: Array<{ key: string; type: Exclude<FieldType, "tags" | "performed" | "aggregate" | "in_segment"> }>;
  eventNames: string[];
  /** Property keys seen on each event name's latest events. */
  eventProperties: Record<string, string[]>;
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
    [aggregateField]: "aggregate",
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
      ...(type === "aggregate" ? { defaultValue: { event: catalogue.eventNames[0] ?? "", fn: "count", value: 1 } satisfies AggregateValue } : {}),
      ...(type === "in_segment" ? { defaultValue: { segment: catalogue.segments[0]?.id ?? "" } } : {}),
    });
    return [
      ...Object.entries(contactFieldTypes).map(([name, type]) => field(name, t(`fields.${name}` as never), type)),
      ...catalogue.attributes.map((attribute) => field(`attributes.${attribute.key}`, t("attribute", { key: attribute.key }), attribute.type)),
      field(performedField, t("fields.performed"), "performed"),
      field(aggregateField, t("fields.aggregate"), "aggregate"),
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
  if (props.field === aggregateField) return <AggregateEditor {...props} />;
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

/** A text input suggesting event names seen in the workspace. */
function EventNameInput({ value, onChange, disabled, catalogue }: { value: string; onChange: (name: string) => void; disabled?: boolean; catalogue: BuilderCatalogue }) {
  const t = useTranslations("segments.builder");
  const listId = useId();
  return (
    <>
      <Input className="h-8 w-48" list={listId} aria-label={t("eventName")} placeholder={t("eventName")} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)} />
      <datalist id={listId}>
        {catalogue.eventNames.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </>
  );
}

/** A text input suggesting the property keys seen on an event. */
function PropertyInput({ event, value, onChange, disabled, catalogue, label }: { event: string; value: string; onChange: (key: string) => void; disabled?: boolean; catalogue: BuilderCatalogue; label: string }) {
  const listId = useId();
  return (
    <>
      <Input className="h-8 w-36" list={listId} aria-label={label} placeholder={label} value={value} disabled={disabled} onChange={(change) => onChange(change.target.value)} />
      <datalist id={listId}>
        {(catalogue.eventProperties[event] ?? []).map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
    </>
  );
}

const filterOperatorKeys: Record<PropertyFilter["operator"], string> = { "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge", contains: "contains" };

/**
 * The `where` of performed / aggregate as rows ("amount at least 100"). A `where` the rows
 * cannot show (an `or`, a `!`, a nested rule) stays as it is and is edited in the JSON view.
 */
function PropertyFilters({ event, where, onChange, disabled, catalogue }: { event: string; where: unknown; onChange: (where: unknown) => void; disabled?: boolean; catalogue: BuilderCatalogue }) {
  const t = useTranslations("segments.builder");
  const filters = whereToFilters(where);
  if (filters === undefined) return <span className="text-muted-foreground basis-full text-xs">{t("whereInJson")}</span>;
  const set = (index: number, patch: Partial<PropertyFilter>) => onChange(filtersToWhere(filters.map((filter, i) => (i === index ? { ...filter, ...patch } : filter))));
  return (
    <span className="flex basis-full flex-col gap-2" data-testid="property-filters">
      {filters.map((filter, index) => (
        <span key={index} className="inline-flex flex-wrap items-center gap-2 pl-4">
          <span className="text-muted-foreground">{t("where")}</span>
          <PropertyInput event={event} value={filter.property} label={t("property")} disabled={disabled} catalogue={catalogue} onChange={(property) => set(index, { property })} />
          <select
            className={control}
            aria-label={t("operator")}
            value={filter.operator}
            disabled={disabled}
            onChange={(change) => {
              const operator = change.target.value as PropertyFilter["operator"];
              set(index, { operator, value: typedFilterValue(String(filter.value), operator) });
            }}
          >
            {filterOperators.map((operator) => (
              <option key={operator} value={operator}>
                {t(`operators.${filterOperatorKeys[operator]}` as never)}
              </option>
            ))}
          </select>
          <Input
            className="h-8 w-36"
            aria-label={t("value")}
            value={String(filter.value)}
            disabled={disabled}
            onChange={(change) => set(index, { value: typedFilterValue(change.target.value, filter.operator) })}
          />
          <button
            type="button"
            className="text-muted-foreground hover:bg-accent h-8 w-8 rounded-md"
            aria-label={t("removeFilter")}
            title={t("removeFilter")}
            disabled={disabled}
            onClick={() => onChange(filtersToWhere(filters.filter((_, i) => i !== index)))}
          >
            ✕
          </button>
        </span>
      ))}
      <span className="pl-4">
        <button
          type="button"
          className="hover:bg-accent h-8 rounded-md border px-3 text-sm font-medium"
          disabled={disabled}
          onClick={() => onChange(filtersToWhere([...filters, { property: catalogue.eventProperties[event]?.[0] ?? "", operator: "==", value: "" }]))}
        >
          {t("addFilter")}
        </button>
      </span>
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
    if (next.where === undefined) delete next.where;
    if (next.count && Object.entries(next.count)[0]?.join() === ">=,1") delete next.count;
    handleOnChange(next);
  };
  return (
    <span className="inline-flex min-w-0 flex-1 flex-wrap items-center gap-2" data-testid="performed-editor">
      <EventNameInput value={current.event} disabled={disabled} catalogue={catalogue} onChange={(event) => set({ event })} />
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
      <PropertyFilters event={current.event} where={current.where} disabled={disabled} catalogue={catalogue} onChange={(where) => set({ where })} />
    </span>
  );
}

// "Order Completed: sum of amount in the last 90 days" against the number before it; the
// comparison is the builder's operator select.
function AggregateEditor({ value, handleOnChange, disabled, context }: ValueEditorProps) {
  const t = useTranslations("segments.builder");
  const catalogue = (context as { catalogue: BuilderCatalogue }).catalogue;
  const current = (value && typeof value === "object" ? value : { event: "", fn: "count", value: 1 }) as AggregateValue;
  const set = (patch: Partial<AggregateValue>) => {
    const next: AggregateValue = { ...current, ...patch };
    if (next.fn === "count" || next.property === undefined) delete next.property;
    if (next.within_days === undefined) delete next.within_days;
    if (next.where === undefined) delete next.where;
    handleOnChange(next);
  };
  return (
    <span className="inline-flex min-w-0 flex-1 flex-wrap items-center gap-2" data-testid="aggregate-editor">
      <Input
        type="number"
        className="h-8 w-24"
        aria-label={t("aggregate.threshold")}
        value={String(current.value)}
        disabled={disabled}
        onChange={(event) => set({ value: event.target.value === "" ? "" : Number(event.target.value) })}
      />
      <span className="text-muted-foreground">—</span>
      <select
        className={control}
        aria-label={t("aggregate.fn")}
        value={current.fn}
        disabled={disabled}
        onChange={(event) => {
          const fn = event.target.value as AggregateValue["fn"];
          set({ fn, property: fn === "count" ? undefined : (current.property ?? catalogue.eventProperties[current.event]?.[0] ?? "") });
        }}
      >
        {aggregateFns.map((fn) => (
          <option key={fn} value={fn}>
            {t(`aggregate.fns.${fn}`)}
          </option>
        ))}
      </select>
      {current.fn === "count" ? null : (
        <PropertyInput event={current.event} value={current.property ?? ""} label={t("property")} disabled={disabled} catalogue={catalogue} onChange={(property) => set({ property })} />
      )}
      <span className="text-muted-foreground">{t("aggregate.of")}</span>
      <EventNameInput value={current.event} disabled={disabled} catalogue={catalogue} onChange={(event) => set({ event })} />
      <span className="text-muted-foreground">{t("aggregate.inTheLast")}</span>
      <DaysInput value={current.within_days} label={t("withinDays")} disabled={disabled} onChange={(days) => set({ within_days: days })} />
      <span className="text-muted-foreground text-xs">{current.within_days ? null : t("anyTime")}</span>
      <PropertyFilters event={current.event} where={current.where} disabled={disabled} catalogue={catalogue} onChange={(where) => set({ where })} />
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
