"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { CheckIcon, Loader2Icon, TriangleAlertIcon } from "lucide-react";
import type { Channel, FrequencyCap, QuietHours } from "@/db/schema";
import { Field, FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import type { ActionState } from "@/lib/auth/action";
import { useSettingsForm, type SettingsAction } from "./use-settings-form";

function Saved({ state, text }: { state: ActionState; text: string }) {
  if (!state?.ok) return null;
  return (
    <span role="status" className="text-muted-foreground flex items-center gap-1 text-sm">
      <CheckIcon className="size-4" />
      {text}
    </span>
  );
}

function Submit({ pending, children, ...props }: { pending: boolean } & React.ComponentProps<typeof Button>) {
  return (
    <Button type="submit" disabled={pending} aria-busy={pending} {...props}>
      {pending ? <Loader2Icon className="animate-spin" /> : null}
      {children}
    </Button>
  );
}

export function SmtpForm({
  workspaceId,
  slug,
  view,
  action,
  testAction,
}: {
  workspaceId: string;
  slug: string;
  view: { smtpDisplay?: string; smtpSource: "workspace" | "environment" | "none"; environmentSmtpDisplay?: string };
  action: SettingsAction;
  testAction: SettingsAction<TestResult>;
}) {
  return (
    <div className="grid gap-4">
      <SmtpServerForm workspaceId={workspaceId} slug={slug} view={view} action={action} />
      {view.smtpSource !== "none" ? <SmtpTest workspaceId={workspaceId} action={testAction} /> : null}
    </div>
  );
}

export type TestResult = { sent: boolean; to: string; reason?: string };

function SmtpTest({ workspaceId, action }: { workspaceId: string; action: SettingsAction<TestResult> }) {
  const t = useTranslations("messaging.smtp");
  const { state, onSubmit, pending, error } = useSettingsForm(action);
  const result = state?.ok ? state.data : undefined;
  const failure = error("smtpTest");
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-2 border-t pt-4" data-testid="smtp-test">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <div className="flex flex-wrap items-center gap-3">
        <Submit pending={pending} variant="outline">
          {t("sendTest")}
        </Submit>
        <span className="text-muted-foreground text-sm">{t("sendTestHint")}</span>
      </div>
      {result?.sent ? (
        <p role="status" className="flex items-center gap-1 text-sm text-emerald-700 dark:text-emerald-400">
          <CheckIcon className="size-4" />
          {t("testSent", { to: result.to })}
        </p>
      ) : result ? (
        <FieldError message={t("testFailed", { reason: result.reason ?? "" })} />
      ) : (
        <FieldError message={failure} />
      )}
    </form>
  );
}

function SmtpServerForm({
  workspaceId,
  slug,
  view,
  action,
}: {
  workspaceId: string;
  slug: string;
  view: { smtpDisplay?: string; smtpSource: "workspace" | "environment" | "none"; environmentSmtpDisplay?: string };
  action: SettingsAction;
}) {
  const t = useTranslations("messaging.smtp");
  const { state, onSubmit, pending, error } = useSettingsForm(action);
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-4" noValidate data-testid="smtp-form">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <FormAlert state={state} />
      <div className="bg-muted/50 grid gap-1 rounded-md border p-3 text-sm" data-testid="smtp-current">
        {view.smtpSource === "workspace" ? (
          <p>
            {t("usingWorkspace")} <code className="font-mono text-xs break-all">{view.smtpDisplay}</code>
          </p>
        ) : view.smtpSource === "environment" ? (
          <p>
            {t("usingEnvironment")} <code className="font-mono text-xs break-all">{view.environmentSmtpDisplay}</code>
          </p>
        ) : (
          <p>
            {t("usingOutbox")}{" "}
            <Link href={`/w/${slug}/messages/outbox`} className="underline underline-offset-2">
              {t("openOutbox")}
            </Link>
          </p>
        )}
      </div>
      <Field
        name="smtpUrl"
        label={view.smtpSource === "workspace" ? t("replaceUrl") : t("url")}
        placeholder="smtp://user:password@smtp.example.com:587"
        autoComplete="off"
        spellCheck={false}
        hint={t("urlHint")}
        error={error("smtpUrl")}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Submit pending={pending} name="intent" value="save">
          {t("save")}
        </Submit>
        {view.smtpSource === "workspace" ? (
          <Button type="submit" name="intent" value="clear" variant="outline" disabled={pending}>
            {view.environmentSmtpDisplay ? t("clearToEnvironment") : t("clearToOutbox")}
          </Button>
        ) : null}
        <Saved state={state} text={state?.ok && state.message === "clear" ? t("cleared") : t("saved")} />
      </div>
    </form>
  );
}

export function DkimForm({
  workspaceId,
  view,
  dnsRecord,
  action,
}: {
  workspaceId: string;
  view: { dkimDomain?: string; dkimSelector?: string; dkimKeySet: boolean };
  /** The TXT record to publish, derived from the stored key's public half. */
  dnsRecord?: { name: string; value: string };
  action: SettingsAction;
}) {
  const t = useTranslations("messaging.dkim");
  const { state, onSubmit, pending, error } = useSettingsForm(action);
  const keyError = error("privateKey");
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-4" noValidate data-testid="dkim-form">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <FormAlert state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="domain" label={t("domain")} placeholder="example.com" defaultValue={view.dkimDomain} error={error("domain")} spellCheck={false} />
        <Field name="selector" label={t("selector")} placeholder="tideline" defaultValue={view.dkimSelector} error={error("selector")} spellCheck={false} />
      </div>
      <div className="grid gap-2">
        <div className="flex items-center gap-2">
          <Label htmlFor="field-privateKey">{t("privateKey")}</Label>
          {view.dkimKeySet ? (
            <Badge variant="secondary" data-testid="dkim-key-set">
              <CheckIcon />
              {t("keySet")}
            </Badge>
          ) : null}
        </div>
        <Textarea
          id="field-privateKey"
          name="privateKey"
          rows={5}
          className="font-mono text-xs"
          placeholder={"-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----"}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={keyError ? true : undefined}
          aria-describedby={keyError ? "field-privateKey-error" : "field-privateKey-hint"}
        />
        {!keyError ? (
          <p id="field-privateKey-hint" className="text-muted-foreground text-xs">
            {view.dkimKeySet ? t("keyKeepHint") : t("keyHint")}
          </p>
        ) : null}
        <FieldError id="field-privateKey-error" message={keyError} />
      </div>
      {dnsRecord ? (
        <div className="grid gap-1 text-sm" data-testid="dkim-dns">
          <p className="text-muted-foreground">{t("dnsHint")}</p>
          <code className="bg-muted rounded px-2 py-1 font-mono text-xs break-all">{dnsRecord.name} TXT</code>
          <code className="bg-muted max-h-24 overflow-auto rounded px-2 py-1 font-mono text-xs break-all">{dnsRecord.value}</code>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <Submit pending={pending} name="intent" value="save">
          {t("save")}
        </Submit>
        {view.dkimKeySet || view.dkimDomain ? (
          <Button type="submit" name="intent" value="clear" variant="outline" disabled={pending}>
            {t("clear")}
          </Button>
        ) : null}
        <Saved state={state} text={state?.ok && state.message === "clear" ? t("cleared") : t("saved")} />
      </div>
    </form>
  );
}

export function PostalAddressForm({ workspaceId, postalAddress, action }: { workspaceId: string; postalAddress?: string; action: SettingsAction }) {
  const t = useTranslations("messaging.postal");
  const { state, onSubmit, pending, error } = useSettingsForm(action);
  const fieldError = error("postalAddress");
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-4" noValidate data-testid="postal-form">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <FormAlert state={state} />
      {!postalAddress ? (
        <Alert data-testid="postal-missing" className="border-amber-500/50 text-amber-900 dark:text-amber-200">
          <TriangleAlertIcon />
          <AlertTitle>{t("missingTitle")}</AlertTitle>
          <AlertDescription>{t("missingBody")}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-2">
        <Label htmlFor="field-postalAddress">{t("label")}</Label>
        <Textarea
          id="field-postalAddress"
          name="postalAddress"
          rows={3}
          defaultValue={postalAddress}
          placeholder={t("placeholder")}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? "field-postalAddress-error" : undefined}
        />
        <FieldError id="field-postalAddress-error" message={fieldError} />
      </div>
      <div className="flex items-center gap-3">
        <Submit pending={pending}>{t("save")}</Submit>
        <Saved state={state} text={t("saved")} />
      </div>
    </form>
  );
}

export function DeliveryForm({
  workspaceId,
  channels,
  frequencyCaps,
  quietHours,
  action,
}: {
  workspaceId: string;
  channels: Channel[];
  frequencyCaps: Partial<Record<Channel, FrequencyCap>>;
  quietHours?: QuietHours;
  action: SettingsAction;
}) {
  const t = useTranslations("messaging.delivery");
  const tChannels = useTranslations("messages.channels");
  const { state, onSubmit, pending, error } = useSettingsForm(action);
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-6" noValidate data-testid="delivery-form">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <FormAlert state={state} />
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium">{t("capsTitle")}</legend>
        <p className="text-muted-foreground text-sm">{t("capsHint")}</p>
        {channels.map((channel) => {
          const countError = error(`capCount_${channel}`);
          const hoursError = error(`capHours_${channel}`);
          return (
            <div key={channel} className="grid gap-1">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="w-28 font-medium">{tChannels(channel)}</span>
                <Label htmlFor={`field-capCount_${channel}`} className="sr-only">
                  {t("capCountLabel", { channel: tChannels(channel) })}
                </Label>
                <Input
                  id={`field-capCount_${channel}`}
                  name={`capCount_${channel}`}
                  type="number"
                  min={1}
                  inputMode="numeric"
                  className="w-24"
                  defaultValue={frequencyCaps[channel]?.count}
                  aria-invalid={countError ? true : undefined}
                />
                <span className="text-muted-foreground">{t("messagesPer")}</span>
                <Label htmlFor={`field-capHours_${channel}`} className="sr-only">
                  {t("capHoursLabel", { channel: tChannels(channel) })}
                </Label>
                <Input
                  id={`field-capHours_${channel}`}
                  name={`capHours_${channel}`}
                  type="number"
                  min={1}
                  inputMode="numeric"
                  className="w-24"
                  defaultValue={frequencyCaps[channel]?.hours}
                  aria-invalid={hoursError ? true : undefined}
                />
                <span className="text-muted-foreground">{t("hours")}</span>
              </div>
              <FieldError message={countError ?? hoursError} />
            </div>
          );
        })}
      </fieldset>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium">{t("quietTitle")}</legend>
        <div className="flex items-center gap-2">
          <Switch id="field-quietEnabled" name="quietEnabled" defaultChecked={Boolean(quietHours)} />
          <Label htmlFor="field-quietEnabled">{t("quietEnabled")}</Label>
        </div>
        <p className="text-muted-foreground text-sm">{t("quietHint")}</p>
        <div className="grid max-w-sm grid-cols-2 gap-4">
          <Field name="quietStart" type="time" label={t("quietStart")} defaultValue={quietHours?.start ?? "21:00"} error={error("quietStart")} />
          <Field name="quietEnd" type="time" label={t("quietEnd")} defaultValue={quietHours?.end ?? "08:00"} error={error("quietEnd")} />
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <Submit pending={pending}>{t("save")}</Submit>
        <Saved state={state} text={t("saved")} />
      </div>
    </form>
  );
}

export function TrackingForm({
  workspaceId,
  view,
  action,
}: {
  workspaceId: string;
  view: { trackOpens: boolean; trackClicks: boolean; utm?: { source?: string; medium?: string; campaign?: string } };
  action: SettingsAction;
}) {
  const t = useTranslations("messaging.tracking");
  const { state, onSubmit, pending, error } = useSettingsForm(action);
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-4" noValidate data-testid="tracking-form">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <FormAlert state={state} />
      <div className="grid gap-3">
        <div className="flex items-start gap-2">
          <Switch id="field-trackOpens" name="trackOpens" defaultChecked={view.trackOpens} className="mt-0.5" />
          <div className="grid gap-0.5">
            <Label htmlFor="field-trackOpens">{t("opens")}</Label>
            <p className="text-muted-foreground text-xs">{t("opensHint")}</p>
          </div>
        </div>
        <div className="flex items-start gap-2">
          <Switch id="field-trackClicks" name="trackClicks" defaultChecked={view.trackClicks} className="mt-0.5" />
          <div className="grid gap-0.5">
            <Label htmlFor="field-trackClicks">{t("clicks")}</Label>
            <p className="text-muted-foreground text-xs">{t("clicksHint")}</p>
          </div>
        </div>
      </div>
      <p className="text-muted-foreground text-sm">{t("utmHint")}</p>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field name="utmSource" label="utm_source" placeholder="tideline" defaultValue={view.utm?.source} error={error("utmSource")} />
        <Field name="utmMedium" label="utm_medium" placeholder="email" defaultValue={view.utm?.medium} error={error("utmMedium")} />
        <Field name="utmCampaign" label="utm_campaign" placeholder="newsletter" defaultValue={view.utm?.campaign} error={error("utmCampaign")} />
      </div>
      <div className="flex items-center gap-3">
        <Submit pending={pending}>{t("save")}</Submit>
        <Saved state={state} text={t("saved")} />
      </div>
    </form>
  );
}
