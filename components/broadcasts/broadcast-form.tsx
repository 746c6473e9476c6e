"use client";

import { startTransition, useActionState, useState, useSyncExternalStore } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Loader2Icon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import type { Channel, ScheduleKind } from "@/db/schema";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { AbTestFields } from "./ab-test-fields";
import { AudiencePicker, type CountAudience } from "./audience-picker";
import { bodyOf, type BroadcastDraft, type FormOptions } from "./draft";
import { errorAt, useErrorText } from "./error-text";
import { NativeSelect } from "./native-select";

type Save = (previous: ActionState<{ id: string }>, formData: FormData) => Promise<ActionState<{ id: string }>>;

const channelOrder: Channel[] = ["email", "sms", "wechat", "inbox", "webhook"];
const scheduleKinds: ScheduleKind[] = ["now", "at", "local"];

/** Create or edit a draft broadcast: message, audience with its live size, schedule, throttle, A/B test and conversion tracking. */
export function BroadcastForm({
  workspaceId,
  slug,
  broadcastId,
  initial,
  options,
  save,
  count,
}: {
  workspaceId: string;
  slug: string;
  broadcastId?: string;
  initial: BroadcastDraft;
  options: FormOptions;
  save: Save;
  count: CountAudience;
}) {
  const t = useTranslations("broadcasts.form");
  const tChannels = useTranslations("broadcasts.channels");
  const router = useRouter();
  const errorText = useErrorText();
  const [draft, setDraft] = useState(initial);
  const update = (patch: Partial<BroadcastDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const [state, run, pending] = useActionState<ActionState<{ id: string }>, FormData>(async (previous, formData) => {
    const result = await save(previous, formData);
    if (result?.ok && result.data) router.push(`/w/${slug}/broadcasts/${result.data.id}`);
    return result;
  }, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const error = (path: string, exact = false) => {
    const code = errorAt(errors, path, { exact });
    return code ? errorText(code) : undefined;
  };

  const channels = channelOrder.filter((channel) => options.templates.some((template) => template.channel === channel));
  const templates = options.templates.filter((template) => template.channel === draft.channel);
  const template = options.templates.find((option) => option.id === draft.templateId);
  const versions = template ? Array.from({ length: template.currentVersion }, (_, index) => template.currentVersion - index) : [];

  return (
    <form
      // Submitted by hand, not through `action`: React resets a form after its action, and the
      // switches (Radix) take that reset as a change back to off.
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => run(formData));
      }}
      className="grid max-w-4xl gap-6"
      data-testid="broadcast-form"
      noValidate
    >
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {broadcastId ? <input type="hidden" name="id" value={broadcastId} /> : null}
      <input type="hidden" name="body" value={JSON.stringify(bodyOf(draft))} />
      <FormAlert state={state} />

      <Card>
        <CardHeader>
          <CardTitle>{t("message")}</CardTitle>
          <CardDescription>{t("messageHint")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          <div className="grid gap-2 sm:col-span-2">
            <Label htmlFor="broadcast-name">{t("name")}</Label>
            <Input
              id="broadcast-name"
              value={draft.name}
              onChange={(event) => update({ name: event.target.value })}
              maxLength={200}
              placeholder={t("namePlaceholder")}
              aria-invalid={error("name") ? true : undefined}
              autoFocus={!broadcastId}
            />
            <FieldError message={error("name")} />
          </div>
          <div className="grid content-start gap-2">
            <Label htmlFor="broadcast-channel">{t("channel")}</Label>
            <NativeSelect
              id="broadcast-channel"
              value={draft.channel}
              onChange={(event) => {
                const channel = event.target.value as Channel;
                const first = options.templates.find((option) => option.channel === channel);
                update({ channel, templateId: first?.id ?? "", templateVersion: "", variants: draft.variants.map((variant) => ({ ...variant, templateId: "" })) });
              }}
            >
              {channels.map((channel) => (
                <option key={channel} value={channel}>
                  {tChannels(channel)}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid content-start gap-2">
            <Label htmlFor="broadcast-template">{t("template")}</Label>
            <NativeSelect
              id="broadcast-template"
              value={draft.templateId}
              onChange={(event) => update({ templateId: event.target.value, templateVersion: "" })}
              aria-invalid={error("template_id") ? true : undefined}
            >
              {templates.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name}
                </option>
              ))}
            </NativeSelect>
            {template ? (
              <Link href={`/w/${slug}/templates/${template.id}`} className="text-muted-foreground text-xs underline-offset-2 hover:underline" target="_blank">
                {t("openTemplate")}
              </Link>
            ) : null}
            <FieldError message={error("template_id")} />
          </div>
          <div className="grid content-start gap-2">
            <Label htmlFor="broadcast-version">{t("version")}</Label>
            <NativeSelect id="broadcast-version" value={draft.templateVersion} onChange={(event) => update({ templateVersion: event.target.value })}>
              <option value="">{t("newestVersion", { version: template?.currentVersion ?? 1 })}</option>
              {versions.map((version) => (
                <option key={version} value={String(version)}>
                  {t("versionN", { version })}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid content-start gap-2">
            <Label htmlFor="broadcast-topic">{t("topic")}</Label>
            <NativeSelect id="broadcast-topic" value={draft.topicId} onChange={(event) => update({ topicId: event.target.value })} aria-describedby="broadcast-topic-hint">
              <option value="">{t("templateTopic")}</option>
              {options.topics.map((topic) => (
                <option key={topic.id} value={topic.id}>
                  {topic.name}
                </option>
              ))}
            </NativeSelect>
            <p id="broadcast-topic-hint" className="text-muted-foreground text-xs">
              {t("topicHint")}
            </p>
            <FieldError message={error("topic_id")} />
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("audience")}</CardTitle>
          <CardDescription>{t("audienceHint")}</CardDescription>
        </CardHeader>
        <CardContent>
          <AudiencePicker
            workspaceId={workspaceId}
            segments={options.segments}
            include={draft.include}
            exclude={draft.exclude}
            onChange={(audience) => update(audience)}
            errors={{ include: error("audience.include") ?? error("audience", true), exclude: error("audience.exclude") }}
            count={count}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("when")}</CardTitle>
          <CardDescription>{t("whenHint")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <fieldset className="grid gap-2">
            <legend className="sr-only">{t("when")}</legend>
            <div className="grid gap-2 md:grid-cols-3">
              {scheduleKinds.map((kind) => (
                <label key={kind} className="has-[:checked]:border-primary flex cursor-pointer gap-3 rounded-lg border p-3 text-sm">
                  <input type="radio" name="schedule-kind" value={kind} checked={draft.scheduleKind === kind} onChange={() => update({ scheduleKind: kind })} className="accent-primary mt-1" />
                  <span className="grid gap-1">
                    <span className="font-medium">{t(`scheduleKinds.${kind}`)}</span>
                    <span className="text-muted-foreground">{t(`scheduleHelp.${kind}`)}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldError message={error("schedule", true) ?? error("schedule.kind")} />
          </fieldset>
          {draft.scheduleKind === "at" ? (
            <div className="grid max-w-sm gap-2">
              <Label htmlFor="schedule-at">{t("sendAt")}</Label>
              <Input
                id="schedule-at"
                type="datetime-local"
                value={draft.at}
                onChange={(event) => update({ at: event.target.value })}
                aria-invalid={error("schedule.at") ? true : undefined}
                aria-describedby="schedule-at-hint"
              />
              <p id="schedule-at-hint" className="text-muted-foreground text-xs" data-testid="schedule-zone">
                {t("sendAtZone", { zone: options.timezone.replaceAll("_", " ") })}
              </p>
              <FieldError message={error("schedule.at")} />
            </div>
          ) : null}
          {draft.scheduleKind === "local" ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="grid content-start gap-2">
                <Label htmlFor="schedule-local">{t("localTime")}</Label>
                <Input
                  id="schedule-local"
                  type="datetime-local"
                  value={draft.localTime}
                  onChange={(event) => update({ localTime: event.target.value })}
                  aria-invalid={error("schedule.local_time") ? true : undefined}
                  aria-describedby="schedule-local-hint"
                />
                <p id="schedule-local-hint" className="text-muted-foreground text-xs">
                  {t("localTimeHint")}
                </p>
                <FieldError message={error("schedule.local_time")} />
              </div>
              <div className="grid content-start gap-2">
                <Label htmlFor="schedule-fallback">{t("fallbackZone")}</Label>
                <ZoneSelect id="schedule-fallback" value={draft.fallbackTimezone} onChange={(zone) => update({ fallbackTimezone: zone })} invalid={Boolean(error("schedule.fallback_timezone"))} />
                <p className="text-muted-foreground text-xs">{t("fallbackZoneHint")}</p>
                <FieldError message={error("schedule.fallback_timezone")} />
              </div>
            </div>
          ) : null}
          <div className="grid gap-3 border-t pt-4">
            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" className="accent-primary size-4" checked={draft.throttle} onChange={(event) => update({ throttle: event.target.checked })} />
              {t("throttle")}
            </label>
            {draft.throttle ? (
              <div className="grid max-w-xs gap-2">
                <Label htmlFor="throttle-rate">{t("throttleRate")}</Label>
                <Input
                  id="throttle-rate"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={draft.throttlePerMinute}
                  onChange={(event) => update({ throttlePerMinute: event.target.value })}
                  aria-invalid={error("throttle_per_minute") ? true : undefined}
                />
                <p className="text-muted-foreground text-xs">{t("throttleHint")}</p>
                <FieldError message={error("throttle_per_minute")} />
              </div>
            ) : (
              <p className="text-muted-foreground -mt-1 text-xs">{t("noThrottle")}</p>
            )}
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <ToggleTitle id="ab-toggle" label={t("abTest")} checked={draft.ab} onChange={(ab) => update({ ab })} />
          <CardDescription>{t("abTestHint")}</CardDescription>
        </CardHeader>
        {draft.ab ? (
          <CardContent>
            <AbTestFields draft={draft} update={update} templates={options.templates} errors={errors} errorText={errorText} />
          </CardContent>
        ) : null}
      </Card>

      <Card>
        <CardHeader>
          <ToggleTitle id="conversion-toggle" label={t("conversion")} checked={draft.conversion} onChange={(conversion) => update({ conversion })} />
          <CardDescription>{t("conversionHint")}</CardDescription>
        </CardHeader>
        {draft.conversion || error("conversion", true) ? (
          <CardContent className="grid gap-4 sm:grid-cols-3">
            {error("conversion", true) ? <FieldError message={error("conversion", true)} /> : null}
            <div className="grid content-start gap-2">
              <Label htmlFor="conversion-event">{t("conversionEvent")}</Label>
              <Input
                id="conversion-event"
                list="conversion-event-names"
                value={draft.conversionEvent}
                onChange={(event) => update({ conversionEvent: event.target.value })}
                placeholder="Order Completed"
                aria-invalid={error("conversion.event") ? true : undefined}
              />
              <datalist id="conversion-event-names">
                {options.eventNames.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
              <p className="text-muted-foreground text-xs">{options.eventNames.length > 0 ? t("conversionEventHint") : t("conversionNoEvents")}</p>
              <FieldError message={error("conversion.event")} />
            </div>
            <div className="grid content-start gap-2">
              <Label htmlFor="conversion-revenue">{t("revenueProperty")}</Label>
              <Input id="conversion-revenue" value={draft.revenueProperty} onChange={(event) => update({ revenueProperty: event.target.value })} aria-invalid={error("conversion.revenue_property") ? true : undefined} />
              <p className="text-muted-foreground text-xs">{t("revenuePropertyHint")}</p>
              <FieldError message={error("conversion.revenue_property")} />
            </div>
            <div className="grid content-start gap-2">
              <Label htmlFor="conversion-window">{t("windowHours")}</Label>
              <Input
                id="conversion-window"
                type="number"
                inputMode="numeric"
                min={1}
                max={2160}
                value={draft.windowHours}
                onChange={(event) => update({ windowHours: event.target.value })}
                aria-invalid={error("conversion.window_hours") ? true : undefined}
              />
              <p className="text-muted-foreground text-xs">{t("windowHoursHint")}</p>
              <FieldError message={error("conversion.window_hours")} />
            </div>
          </CardContent>
        ) : null}
      </Card>

      <div className="flex gap-2">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? <Loader2Icon className="animate-spin" /> : null}
          {pending ? t("saving") : broadcastId ? t("saveChanges") : t("create")}
        </Button>
        <Button type="button" variant="outline" onClick={() => router.back()}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}

function ToggleTitle({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className="flex items-center gap-3">
      <Switch id={id} checked={checked} onCheckedChange={onChange} />
      <Label htmlFor={id} className="cursor-pointer text-base leading-none font-semibold">
        {label}
      </Label>
    </div>
  );
}

const noZones: string[] = [];
const subscribe = () => () => {};

/** IANA zones from the browser (the server renders only the chosen one, so both render the same at first). */
function ZoneSelect({ id, value, onChange, invalid }: { id: string; value: string; onChange: (zone: string) => void; invalid: boolean }) {
  const zones = useSyncExternalStore(subscribe, supportedZones, () => noZones);
  const list = zones.includes(value) ? zones : [value, ...zones];
  return (
    <NativeSelect id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={invalid ? true : undefined}>
      {list.map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll("_", " ")}
        </option>
      ))}
    </NativeSelect>
  );
}

let zoneCache: string[] | undefined;
function supportedZones(): string[] {
  zoneCache ??= Intl.supportedValuesOf("timeZone");
  return zoneCache;
}
