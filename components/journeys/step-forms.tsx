"use client";

import Link from "next/link";
import { PlusIcon, Trash2Icon } from "lucide-react";
import { lifecycleStages } from "@/lib/journeys/graph";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { NativeSelect } from "@/components/broadcasts/native-select";
import { DurationField, FormRow, clean, described, numberOf, type NodeFormProps } from "./form-bits";
import { RuleField, WhereField } from "./rule-field";
import { SegmentSelect } from "./trigger-form";

const weekdays = [1, 2, 3, 4, 5, 6, 0];

export function DelayForm({ nodeId, data, onChange, errors, say, disabled }: NodeFormProps) {
  const id = (field: string) => `${nodeId}-${field}`;
  const mode = data.mode === "until" ? "until" : "duration";
  const days = Array.isArray(data.weekdays) ? (data.weekdays as number[]) : [];
  return (
    <div className="grid gap-4">
      <FormRow id={id("mode")} label={say("form.delayMode")}>
        <NativeSelect
          id={id("mode")}
          value={mode}
          disabled={disabled}
          onChange={(event) =>
            onChange(event.target.value === "until" ? { mode: "until", weekdays: [1, 2, 3, 4, 5], time: "09:00" } : { mode: "duration", duration: { amount: 1, unit: "days" } })
          }
        >
          <option value="duration">{say("form.delayDuration")}</option>
          <option value="until">{say("form.delayUntil")}</option>
        </NativeSelect>
      </FormRow>
      {mode === "duration" ? (
        <DurationField id={id("duration")} label={say("form.waitFor")} value={data.duration} say={say} error={errors.error("duration.amount") ?? errors.error("duration")}
          onChange={(duration) => onChange(clean({ ...data, duration: clean(duration) }), "duration")} onBlur={() => errors.touch("duration.amount")} />
      ) : (
        <>
          <fieldset className="grid gap-2" disabled={disabled}>
            <legend className="mb-1.5 text-sm leading-none font-medium">{say("form.weekdays")}</legend>
            <div className="flex flex-wrap gap-1.5">
              {weekdays.map((day) => {
                const on = days.includes(day);
                return (
                  <label key={day} className="has-[:checked]:bg-primary has-[:checked]:text-primary-foreground has-[:focus-visible]:ring-ring/50 flex h-8 cursor-pointer items-center rounded-md border px-2.5 text-sm has-[:focus-visible]:ring-[3px]">
                    <input
                      type="checkbox"
                      className="sr-only"
                      checked={on}
                      onChange={() => onChange({ ...data, weekdays: on ? days.filter((other) => other !== day) : [...days, day].sort() }, "weekdays")}
                    />
                    {say(`weekdaysShort.${day}`)}
                  </label>
                );
              })}
            </div>
            {errors.error("weekdays") ? <p className="text-destructive text-sm" role="alert">{errors.error("weekdays")}</p> : null}
          </fieldset>
          <FormRow id={id("time")} label={say("form.localTime")} hint={say("form.contactTimeHint")} error={errors.error("time")}>
            <Input id={id("time")} type="time" value={String(data.time ?? "")} disabled={disabled} onChange={(event) => onChange(clean({ ...data, time: event.target.value || undefined }), "time")}
              onBlur={() => errors.touch("time")} {...described(id("time"), errors.error("time"), true)} />
          </FormRow>
        </>
      )}
    </div>
  );
}

export function WaitForm({ nodeId, data, onChange, options, tools, errors, say, disabled }: NodeFormProps) {
  const id = (field: string) => `${nodeId}-${field}`;
  const kind = data.for === "segment" ? "segment" : "event";
  const set = (patch: Record<string, unknown>, field?: string) => onChange(clean({ ...data, ...patch }), field);
  const eventError = errors.error("event", say("errors.eventRequired"));
  return (
    <div className="grid gap-4">
      <FormRow id={id("for")} label={say("form.waitKind")}>
        <NativeSelect id={id("for")} value={kind} disabled={disabled} onChange={(event) => onChange({ for: event.target.value, timeout: data.timeout ?? { amount: 3, unit: "days" }, ...(event.target.value === "event" ? { event: "" } : {}) })}>
          <option value="event">{say("form.waitEvent")}</option>
          <option value="segment">{say("form.waitSegment")}</option>
        </NativeSelect>
      </FormRow>
      {kind === "event" ? (
        <>
          <FormRow id={id("event")} label={say("form.event")} error={eventError}>
            <Input id={id("event")} list={id("event-names")} value={String(data.event ?? "")} disabled={disabled} onChange={(event) => set({ event: event.target.value }, "event")}
              onBlur={() => errors.touch("event")} {...described(id("event"), eventError)} />
            <datalist id={id("event-names")}>
              {options.eventNames.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </FormRow>
          <WhereField id={id("where")} event={String(data.event ?? "")} value={data.where} onChange={(where) => set({ where }, "where")} error={errors.error("where")} disabled={disabled} tools={tools} />
        </>
      ) : (
        <SegmentSelect id={id("segmentId")} label={say("form.segment")} value={data.segmentId} options={options} say={say} disabled={disabled}
          error={errors.error("segmentId", say("errors.segmentRequired"))} onChange={(segmentId) => set({ segmentId })} onBlur={() => errors.touch("segmentId")} />
      )}
      <DurationField id={id("timeout")} label={say("form.timeout")} value={data.timeout} say={say} error={errors.error("timeout.amount") ?? errors.error("timeout")}
        onChange={(timeout) => set({ timeout: clean(timeout) }, "timeout")} onBlur={() => errors.touch("timeout.amount")} />
      <p className="text-muted-foreground text-xs">{say("form.waitHint")}</p>
    </div>
  );
}

export function ConditionForm({ nodeId, data, onChange, tools, errors, say, disabled }: NodeFormProps) {
  return (
    <div className="grid gap-4">
      <RuleField id={`${nodeId}-rule`} label={say("form.conditionRule")} hint={say("form.conditionHint")} value={data.rule} onChange={(rule) => onChange(clean({ ...data, rule }))}
        error={errors.error("rule")} disabled={disabled} tools={tools} />
    </div>
  );
}

export function SplitForm({ nodeId, data, onChange, errors, say, disabled }: NodeFormProps) {
  const branches = Array.isArray(data.branches) ? (data.branches as Array<{ key: string; weight?: number }>) : [];
  const total = branches.reduce((sum, branch) => sum + (branch.weight ?? 0), 0);
  const free = ["a", "b", "c", "d", "e"].find((key) => !branches.some((branch) => branch.key === key));
  const setBranches = (next: typeof branches, field?: string) => onChange({ ...data, branches: next }, field);
  return (
    <div className="grid gap-3">
      <p className="text-muted-foreground text-sm">{say("form.splitHint")}</p>
      <ul className="grid gap-2">
        {branches.map((branch, index) => {
          const id = `${nodeId}-weight-${branch.key}`;
          const error = errors.error(`branches.${index}.weight`);
          return (
            <li key={branch.key} className="grid gap-1">
              <div className="flex items-center gap-2">
                <Label htmlFor={id} className="w-24">
                  {say("handles.branch", { key: branch.key.toUpperCase() })}
                </Label>
                <Input id={id} type="number" min={0} max={100} className="w-24" value={branch.weight ?? ""} disabled={disabled}
                  onChange={(event) => setBranches(branches.map((other) => (other.key === branch.key ? { ...other, weight: numberOf(event.target.value) } : other)), `weight-${branch.key}`)}
                  onBlur={() => errors.touch(`branches.${index}.weight`)} {...described(id, error)} />
                <span className="text-muted-foreground text-sm">%</span>
                <Button type="button" variant="ghost" size="icon" className="ml-auto size-8" disabled={disabled || branches.length <= 2}
                  aria-label={say("form.removeBranch", { key: branch.key.toUpperCase() })} onClick={() => setBranches(branches.filter((other) => other.key !== branch.key))}>
                  <Trash2Icon />
                </Button>
              </div>
              {error ? <p id={`${id}-error`} className="text-destructive text-sm" role="alert">{error}</p> : null}
            </li>
          );
        })}
      </ul>
      <div className="flex items-center justify-between gap-2">
        <Button type="button" variant="outline" size="sm" disabled={disabled || !free} onClick={() => free && setBranches([...branches, { key: free, weight: 0 }])}>
          <PlusIcon />
          {say("form.addBranch")}
        </Button>
        <span className={total === 100 ? "text-muted-foreground text-xs" : "text-xs text-amber-700 dark:text-amber-300"} data-testid="split-total">
          {say(total === 100 ? "form.splitTotal" : "form.splitTotalOff", { total })}
        </span>
      </div>
    </div>
  );
}

export function SendForm({ nodeId, data, onChange, options, tools, errors, say, disabled }: NodeFormProps) {
  const id = `${nodeId}-templateId`;
  const current = typeof data.templateId === "string" ? data.templateId : "";
  const channels = [...new Set(options.templates.map((template) => template.channel))];
  const error = errors.error("templateId", say("errors.templateRequired"));
  const chosen = options.templates.find((template) => template.id === current);
  return (
    <div className="grid gap-4">
      <FormRow
        id={id}
        label={say("form.template")}
        hint={
          options.templates.length === 0 ? (
            <>
              {say("form.noTemplates")}{" "}
              <Link className="underline underline-offset-2" href={`/w/${tools.slug}/templates/new`}>
                {say("form.createTemplate")}
              </Link>
            </>
          ) : (
            say("form.templateHint")
          )
        }
        error={error}
      >
        <NativeSelect id={id} value={current} disabled={disabled} onChange={(event) => onChange(clean({ ...data, templateId: event.target.value || undefined }))} onBlur={() => errors.touch("templateId")}
          {...described(id, error, true)}>
          <option value="">{say("form.chooseTemplate")}</option>
          {current && !chosen ? <option value={current}>{say("summary.unknown")}</option> : null}
          {channels.map((channel) => (
            <optgroup key={channel} label={say(`channels.${channel}`)}>
              {options.templates
                .filter((template) => template.channel === channel)
                .map((template) => (
                  <option key={template.id} value={template.id} disabled={!template.ready && template.id !== current}>
                    {template.name}
                    {template.ready ? "" : ` (${say("form.templateNotSaved")})`}
                  </option>
                ))}
            </optgroup>
          ))}
        </NativeSelect>
      </FormRow>
      {chosen ? (
        <Link href={`/w/${tools.slug}/templates/${chosen.id}`} target="_blank" className="text-muted-foreground -mt-2 text-xs underline-offset-2 hover:underline">
          {say("form.openTemplate")}
        </Link>
      ) : null}
    </div>
  );
}

export function UpdateForm({ nodeId, data, onChange, options, errors, say, disabled }: NodeFormProps) {
  const id = (field: string) => `${nodeId}-${field}`;
  const action = String(data.action ?? "add_tag");
  const set = (patch: Record<string, unknown>, field?: string) => onChange(clean({ ...data, ...patch }), field);
  const attribute = options.attributes.find((candidate) => candidate.key === data.key);
  const keyError = errors.error("key");
  const tagError = errors.error("tag");
  return (
    <div className="grid gap-4">
      <FormRow id={id("action")} label={say("form.updateAction")}>
        <NativeSelect
          id={id("action")}
          value={action}
          disabled={disabled}
          onChange={(event) => {
            const next = event.target.value;
            onChange(next === "set_attribute" ? { action: next, key: "", value: "" } : next === "set_lifecycle_stage" ? { action: next, stage: "customer" } : { action: next, tag: String(data.tag ?? "") });
          }}
        >
          {(["add_tag", "remove_tag", "set_attribute", "set_lifecycle_stage"] as const).map((option) => (
            <option key={option} value={option}>
              {say(`updateActions.${option}`)}
            </option>
          ))}
        </NativeSelect>
      </FormRow>
      {action === "set_attribute" ? (
        <>
          <FormRow id={id("key")} label={say("form.attribute")} error={keyError}>
            <Input id={id("key")} list={id("attribute-keys")} value={String(data.key ?? "")} disabled={disabled} onChange={(event) => set({ key: event.target.value }, "key")} onBlur={() => errors.touch("key")}
              {...described(id("key"), keyError)} />
            <datalist id={id("attribute-keys")}>
              {options.attributes.map((option) => (
                <option key={option.key} value={option.key} />
              ))}
            </datalist>
          </FormRow>
          <FormRow id={id("value")} label={say("form.value")} hint={attribute ? say("form.valueType", { type: attribute.type }) : undefined} error={errors.error("value")}>
            {attribute?.type === "boolean" ? (
              <NativeSelect id={id("value")} value={String(data.value ?? "true")} disabled={disabled} onChange={(event) => set({ value: event.target.value === "true" })}>
                <option value="true">{say("form.true")}</option>
                <option value="false">{say("form.false")}</option>
              </NativeSelect>
            ) : (
              <Input id={id("value")} type={attribute?.type === "number" ? "number" : attribute?.type === "date" ? "date" : "text"} value={data.value === null || data.value === undefined ? "" : String(data.value)}
                disabled={disabled} onChange={(event) => set({ value: attribute?.type === "number" ? (numberOf(event.target.value) ?? null) : event.target.value }, "value")} />
            )}
          </FormRow>
        </>
      ) : action === "set_lifecycle_stage" ? (
        <FormRow id={id("stage")} label={say("form.stage")} error={errors.error("stage")}>
          <NativeSelect id={id("stage")} value={String(data.stage ?? "customer")} disabled={disabled} onChange={(event) => set({ stage: event.target.value })}>
            {lifecycleStages.map((stage) => (
              <option key={stage} value={stage}>
                {say(`stages.${stage}`)}
              </option>
            ))}
          </NativeSelect>
        </FormRow>
      ) : (
        <FormRow id={id("tag")} label={say("form.tag")} error={tagError}>
          <Input id={id("tag")} value={String(data.tag ?? "")} disabled={disabled} onChange={(event) => set({ tag: event.target.value }, "tag")} onBlur={() => errors.touch("tag")} {...described(id("tag"), tagError)} />
        </FormRow>
      )}
    </div>
  );
}

export function WebhookForm({ nodeId, data, onChange, errors, say, disabled }: NodeFormProps) {
  const id = `${nodeId}-url`;
  const error = errors.error("url");
  return (
    <FormRow id={id} label={say("form.url")} hint={say("form.webhookHint")} error={error}>
      <Input id={id} type="url" inputMode="url" placeholder="https://example.com/hooks/tideline" value={String(data.url ?? "")} disabled={disabled}
        onChange={(event) => onChange({ ...data, url: event.target.value }, "url")} onBlur={() => errors.touch("url")} {...described(id, error, true)} />
    </FormRow>
  );
}

export function TaskForm({ nodeId, data, onChange, options, errors, say, disabled }: NodeFormProps) {
  const id = (field: string) => `${nodeId}-${field}`;
  const set = (patch: Record<string, unknown>, field?: string) => onChange(clean({ ...data, ...patch }), field);
  const titleError = errors.error("title");
  const assigneeError = errors.error("assigneeId", say("errors.assigneeRequired"));
  return (
    <div className="grid gap-4">
      <FormRow id={id("title")} label={say("form.taskTitle")} error={titleError}>
        <Input id={id("title")} value={String(data.title ?? "")} disabled={disabled} placeholder={say("form.taskTitlePlaceholder")} onChange={(event) => set({ title: event.target.value }, "title")}
          onBlur={() => errors.touch("title")} {...described(id("title"), titleError)} />
      </FormRow>
      <FormRow id={id("assigneeId")} label={say("form.assignee")} error={assigneeError}>
        <NativeSelect id={id("assigneeId")} value={String(data.assigneeId ?? "")} disabled={disabled} onChange={(event) => set({ assigneeId: event.target.value || undefined })} onBlur={() => errors.touch("assigneeId")}
          {...described(id("assigneeId"), assigneeError)}>
          <option value="">{say("form.chooseMember")}</option>
          {options.members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name ? `${member.name} (${member.email})` : member.email}
            </option>
          ))}
        </NativeSelect>
      </FormRow>
      <FormRow id={id("notes")} label={say("form.notes")} error={errors.error("notes")}>
        <Textarea id={id("notes")} value={String(data.notes ?? "")} disabled={disabled} onChange={(event) => set({ notes: event.target.value || undefined }, "notes")} />
      </FormRow>
      <FormRow id={id("dueInDays")} label={say("form.dueInDays")} error={errors.error("dueInDays")}>
        <Input id={id("dueInDays")} type="number" min={0} max={365} className="w-28" value={data.dueInDays === undefined ? "" : String(data.dueInDays)} disabled={disabled}
          onChange={(event) => set({ dueInDays: numberOf(event.target.value) }, "dueInDays")} onBlur={() => errors.touch("dueInDays")} {...described(id("dueInDays"), errors.error("dueInDays"))} />
      </FormRow>
      <div className="flex items-center gap-2">
        <Checkbox id={id("notify")} checked={data.notify !== false} disabled={disabled} onCheckedChange={(checked) => set({ notify: checked === true })} />
        <Label htmlFor={id("notify")} className="font-normal">
          {say("form.notify")}
        </Label>
      </div>
    </div>
  );
}

export function RewardForm({ nodeId, data, onChange, options, errors, say, disabled }: NodeFormProps) {
  const id = (field: string) => `${nodeId}-${field}`;
  const set = (patch: Record<string, unknown>, field?: string) => onChange(clean({ ...data, ...patch }), field);
  const kind = data.kind === "coupon" ? "coupon" : "points";
  const campaignError = errors.error("campaignId", say("errors.required"));
  return (
    <div className="grid gap-4">
      <FormRow id={id("kind")} label={say("form.rewardKind")}>
        <NativeSelect id={id("kind")} value={kind} disabled={disabled} onChange={(event) => onChange(event.target.value === "coupon" ? { kind: "coupon" } : { kind: "points", amount: 100 })}>
          <option value="points">{say("form.rewardPoints")}</option>
          <option value="coupon">{say("form.rewardCoupon")}</option>
        </NativeSelect>
      </FormRow>
      {kind === "points" ? (
        <>
          <FormRow id={id("amount")} label={say("form.pointsAmount")} error={errors.error("amount")}>
            <Input id={id("amount")} type="number" min={1} className="w-32" value={data.amount === undefined ? "" : String(data.amount)} disabled={disabled}
              onChange={(event) => set({ amount: numberOf(event.target.value) }, "amount")} onBlur={() => errors.touch("amount")} {...described(id("amount"), errors.error("amount"))} />
          </FormRow>
          <FormRow id={id("expiresInDays")} label={say("form.expiresInDays")} hint={say("form.expiresHint")} error={errors.error("expiresInDays")}>
            <Input id={id("expiresInDays")} type="number" min={1} className="w-32" value={data.expiresInDays == null ? "" : String(data.expiresInDays)} disabled={disabled}
              onChange={(event) => set({ expiresInDays: numberOf(event.target.value) }, "expiresInDays")} onBlur={() => errors.touch("expiresInDays")} />
          </FormRow>
          <FormRow id={id("reason")} label={say("form.reason")} error={errors.error("reason")}>
            <Input id={id("reason")} value={String(data.reason ?? "")} disabled={disabled} onChange={(event) => set({ reason: event.target.value || undefined }, "reason")} />
          </FormRow>
        </>
      ) : (
        <FormRow id={id("campaignId")} label={say("form.campaign")} hint={options.campaigns.length === 0 ? say("form.noCampaigns") : say("form.couponHint", { code: "{{ coupon.code }}" })} error={campaignError}>
          <NativeSelect id={id("campaignId")} value={String(data.campaignId ?? "")} disabled={disabled} onChange={(event) => set({ campaignId: event.target.value || undefined })} onBlur={() => errors.touch("campaignId")}
            {...described(id("campaignId"), campaignError)}>
            <option value="">{say("form.chooseCampaign")}</option>
            {options.campaigns.map((campaign) => (
              <option key={campaign.id} value={campaign.id}>
                {campaign.name}
              </option>
            ))}
          </NativeSelect>
        </FormRow>
      )}
    </div>
  );
}
