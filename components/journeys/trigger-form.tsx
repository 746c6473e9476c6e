"use client";

import Link from "next/link";
import { reentryPolicies, triggerKinds } from "@/lib/journeys/graph";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Separator } from "@/components/ui/separator";
import { NativeSelect } from "@/components/broadcasts/native-select";
import { FormRow, clean, described, numberOf, type NodeFormProps } from "./form-bits";
import { RuleField, WhereField } from "./rule-field";

// The trigger keeps the journey-wide settings as well: who may enter again, the entry
// filter, the goal that counts as converted and the rule that takes a contact out.
const commonKeys = ["reentry", "entrySegmentId", "goal", "exitRule"];

export function TriggerForm({ nodeId, data, onChange, options, tools, errors, say, disabled }: NodeFormProps) {
  const id = (field: string) => `${nodeId}-${field}`;
  const set = (patch: Record<string, unknown>, field?: string) => onChange(clean({ ...data, ...patch }), field);
  const kind = String(data.kind ?? "event");
  const dateAttributes = options.attributes.filter((attribute) => attribute.type === "date");
  const eventError = errors.error("event", say("errors.eventRequired"));

  return (
    <div className="grid gap-4">
      <FormRow id={id("kind")} label={say("form.triggerKind")}>
        <NativeSelect
          id={id("kind")}
          value={kind}
          disabled={disabled}
          onChange={(event) => {
            const common = Object.fromEntries(commonKeys.filter((key) => data[key] !== undefined).map((key) => [key, data[key]]));
            onChange({ ...common, kind: event.target.value });
          }}
        >
          {triggerKinds.map((option) => (
            <option key={option} value={option}>
              {say(`triggerKinds.${option}`)}
            </option>
          ))}
        </NativeSelect>
      </FormRow>

      {kind === "event" ? (
        <>
          <FormRow id={id("event")} label={say("form.event")} hint={say("form.eventHint")} error={eventError}>
            <Input
              id={id("event")}
              list={id("event-names")}
              value={String(data.event ?? "")}
              disabled={disabled}
              placeholder={options.eventNames[0] ?? "Signed Up"}
              onChange={(event) => set({ event: event.target.value }, "event")}
              onBlur={() => errors.touch("event")}
              {...described(id("event"), eventError, true)}
            />
            <datalist id={id("event-names")}>
              {options.eventNames.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </FormRow>
          <WhereField id={id("where")} event={String(data.event ?? "")} value={data.where} onChange={(where) => set({ where }, "where")} error={errors.error("where")} disabled={disabled} tools={tools} />
        </>
      ) : null}

      {kind === "segment" ? (
        <SegmentSelect id={id("segmentId")} label={say("form.segment")} hint={say("form.segmentHint")} value={data.segmentId} options={options} say={say} disabled={disabled}
          error={errors.error("segmentId", say("errors.segmentRequired"))} onChange={(segmentId) => set({ segmentId })} onBlur={() => errors.touch("segmentId")} />
      ) : null}

      {kind === "date" ? (
        <>
          <FormRow
            id={id("attribute")}
            label={say("form.dateAttribute")}
            hint={
              dateAttributes.length === 0 ? (
                <>
                  {say("form.noDateAttributes")}{" "}
                  <Link className="underline underline-offset-2" href={`/w/${tools.slug}/settings/attributes`}>
                    {say("form.openAttributes")}
                  </Link>
                </>
              ) : (
                say("form.dateAttributeHint")
              )
            }
            error={errors.error("attribute", say("errors.attributeRequired"))}
          >
            <NativeSelect id={id("attribute")} value={String(data.attribute ?? "")} disabled={disabled} onChange={(event) => set({ attribute: event.target.value || undefined })} onBlur={() => errors.touch("attribute")}>
              <option value="">{say("form.choose")}</option>
              {data.attribute && !dateAttributes.some((attribute) => attribute.key === data.attribute) ? <option value={String(data.attribute)}>{String(data.attribute)}</option> : null}
              {dateAttributes.map((attribute) => (
                <option key={attribute.key} value={attribute.key}>
                  {attribute.key}
                </option>
              ))}
            </NativeSelect>
          </FormRow>
          <div className="grid grid-cols-2 gap-3">
            <FormRow id={id("offsetDays")} label={say("form.offsetDays")} hint={say("form.offsetDaysHint")} error={errors.error("offsetDays")}>
              <Input id={id("offsetDays")} type="number" min={-365} max={365} value={data.offsetDays === undefined ? "" : String(data.offsetDays)} disabled={disabled}
                onChange={(event) => set({ offsetDays: numberOf(event.target.value) }, "offsetDays")} onBlur={() => errors.touch("offsetDays")} {...described(id("offsetDays"), errors.error("offsetDays"), true)} />
            </FormRow>
            <FormRow id={id("time")} label={say("form.localTime")} error={errors.error("time")}>
              <Input id={id("time")} type="time" value={String(data.time ?? "")} disabled={disabled} onChange={(event) => set({ time: event.target.value || undefined }, "time")} onBlur={() => errors.touch("time")} {...described(id("time"), errors.error("time"))} />
            </FormRow>
          </div>
          <div className="flex items-center gap-2">
            <Checkbox id={id("yearly")} checked={data.yearly === true} disabled={disabled} onCheckedChange={(checked) => set({ yearly: checked === true ? true : undefined })} />
            <Label htmlFor={id("yearly")} className="font-normal">
              {say("form.yearly")}
            </Label>
          </div>
        </>
      ) : null}

      {kind === "form" ? (
        <FormRow id={id("formId")} label={say("form.formId")} hint={say("form.formIdHint")} error={errors.error("formId", say("errors.formRequired"))}>
          <Input id={id("formId")} value={String(data.formId ?? "")} disabled={disabled} onChange={(event) => set({ formId: event.target.value }, "formId")} onBlur={() => errors.touch("formId")}
            {...described(id("formId"), errors.error("formId", say("errors.formRequired")), true)} />
        </FormRow>
      ) : null}

      {kind === "manual" ? <p className="text-muted-foreground text-sm">{say("form.manualHint")}</p> : null}

      <Separator />
      <h3 className="text-sm font-medium">{say("form.entry")}</h3>
      <FormRow id={id("reentry")} label={say("form.reentry")} error={errors.error("reentry")}>
        <NativeSelect id={id("reentry")} value={String(data.reentry ?? "after_exit")} disabled={disabled} onChange={(event) => set({ reentry: event.target.value })}>
          {reentryPolicies.map((policy) => (
            <option key={policy} value={policy}>
              {say(`reentry.${policy}`)}
            </option>
          ))}
        </NativeSelect>
      </FormRow>
      <SegmentSelect id={id("entrySegmentId")} label={say("form.entrySegment")} hint={say("form.entrySegmentHint")} value={data.entrySegmentId} options={options} say={say} disabled={disabled}
        empty={say("form.anyone")} error={errors.error("entrySegmentId")} onChange={(entrySegmentId) => set({ entrySegmentId })} onBlur={() => errors.touch("entrySegmentId")} />

      <Separator />
      <RuleField id={id("goal")} label={say("form.goal")} hint={say("form.goalHint")} value={data.goal} optional onChange={(goal) => set({ goal })} error={errors.error("goal")} disabled={disabled} tools={tools} />
      <RuleField id={id("exitRule")} label={say("form.exitRule")} hint={say("form.exitRuleHint")} value={data.exitRule} optional onChange={(exitRule) => set({ exitRule })} error={errors.error("exitRule")} disabled={disabled} tools={tools} />
    </div>
  );
}

/** A segment or list to pick (or, with `empty`, none). */
export function SegmentSelect({
  id,
  label,
  hint,
  value,
  options,
  say,
  disabled,
  empty,
  error,
  onChange,
  onBlur,
}: {
  id: string;
  label: string;
  hint?: string;
  value: unknown;
  options: NodeFormProps["options"];
  say: NodeFormProps["say"];
  disabled: boolean;
  empty?: string;
  error?: string;
  onChange: (segmentId: string | undefined) => void;
  onBlur: () => void;
}) {
  const current = typeof value === "string" ? value : "";
  return (
    <FormRow id={id} label={label} hint={hint} error={error}>
      <NativeSelect id={id} value={current} disabled={disabled} onChange={(event) => onChange(event.target.value || undefined)} onBlur={onBlur} {...described(id, error, Boolean(hint))}>
        <option value="">{empty ?? say("form.choose")}</option>
        {current && !options.segments.some((segment) => segment.id === current) ? <option value={current}>{say("summary.unknown")}</option> : null}
        {options.segments.map((segment) => (
          <option key={segment.id} value={segment.id}>
            {segment.name}
            {segment.kind === "static" ? ` (${say("form.list")})` : ""}
          </option>
        ))}
      </NativeSelect>
    </FormRow>
  );
}
