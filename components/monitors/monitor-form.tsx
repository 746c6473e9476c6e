"use client";

import { startTransition, useActionState, useEffect, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { ArrowRightIcon, Loader2Icon, PlusIcon, Trash2Icon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import type { MonitorAction } from "@/db/schema";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { FieldError } from "@/components/form/field";
import { FormAlert } from "@/components/form/form-alert";
import { NativeSelect } from "@/components/broadcasts/native-select";
import type { FindContacts } from "@/components/rewards/contact-picker";
import { actionTypes, bodyOf, emptyAction, parseWhere, type ActionDraft, type ActionType, type MonitorDraft, type MonitorOptions, type StatisticChoice } from "./draft";
import { describeAction, describeLimit, describeRule, describeWindow, type ActionNames } from "./describe";
import { useMonitorErrorText } from "./error-text";
import { TestPanel, type TestMonitor } from "./test-panel";
import { WhereField, type CheckWhere } from "./where-field";

type Save = (previous: ActionState<{ id: string }>, formData: FormData) => Promise<ActionState<{ id: string }>>;
type EventProperties = (previous: ActionState<{ keys: string[] }>, formData: FormData) => Promise<ActionState<{ keys: string[] }>>;

export interface MonitorFormActions {
  save: Save;
  test: TestMonitor;
  checkWhere: CheckWhere;
  eventProperties: EventProperties;
  findContacts: FindContacts;
}

const statistics: StatisticChoice[] = ["count", "sum", "distinct", "days"];
const windowKinds = ["rolling", "calendar", "lifetime"] as const;
const limitKinds = ["once", "once_per_window", "at_most"] as const;

/** Create or edit a monitor: what to watch, when it fires, what it does, and a test against a contact's history. */
export function MonitorForm({
  workspaceId,
  slug,
  monitorId,
  initial,
  options,
  pointsName,
  actions,
}: {
  workspaceId: string;
  slug: string;
  monitorId?: string;
  initial: MonitorDraft;
  options: MonitorOptions;
  pointsName: string | null;
  actions: MonitorFormActions;
}) {
  const t = useTranslations("monitors.form");
  const tMonitors = useTranslations("monitors");
  const router = useRouter();
  const errorText = useMonitorErrorText();
  const [draft, setDraft] = useState(initial);
  const [jsonBlocked, setJsonBlocked] = useState(false);
  // A field's error stays until the field is changed (or the form is sent again).
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const update = (patch: Partial<MonitorDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setEdited((current) => new Set([...current, ...Object.keys(patch)]));
  };
  const [state, run, pending] = useActionState<ActionState<{ id: string }>, FormData>(async (previous, formData) => {
    const result = await actions.save(previous, formData);
    if (result?.ok && result.data) router.push(`/w/${slug}/monitors/${result.data.id}`);
    return result;
  }, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const error = (path: string) => (edited.has(fieldOf(path)) ? undefined : errorText(errors[path]));
  const body = bodyOf(draft);
  const whereParses = parseWhere(draft.whereText).ok;
  const properties = useEventProperties(workspaceId, draft.event, actions.eventProperties);

  const names: ActionNames = {
    campaigns: new Map(options.campaigns.map((campaign) => [campaign.id, campaign.name])),
    templates: new Map(options.templates.map((template) => [template.id, template.name])),
    pointsName,
  };
  const summary = summaryOf(draft, body, tMonitors, names);
  const setAction = (index: number, next: ActionDraft) => update({ actions: draft.actions.map((action, at) => (at === index ? next : action)) });
  const zone = options.timezone.replaceAll("_", " ");

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!whereParses) {
          setJsonBlocked(true);
          document.getElementById("monitor-where")?.focus();
          return;
        }
        setJsonBlocked(false);
        setEdited(new Set());
        const formData = new FormData(event.currentTarget);
        startTransition(() => run(formData));
      }}
      className="grid max-w-4xl gap-6"
      data-testid="monitor-form"
      noValidate
    >
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {monitorId ? <input type="hidden" name="id" value={monitorId} /> : null}
      <input type="hidden" name="body" value={JSON.stringify(body)} />
      <FormAlert state={state} />

      <div className="bg-muted/50 rounded-lg border p-4 text-sm" aria-live="polite" data-testid="monitor-summary">
        <span className="text-muted-foreground mr-1">{t("summary")}</span>
        {summary}
      </div>

      <Card>
        <CardHeader>
          <CardTitle>{t("watch")}</CardTitle>
          <CardDescription>{t("watchHint")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          <TextField
            id="monitor-name"
            label={t("name")}
            value={draft.name}
            onChange={(name) => update({ name })}
            error={error("name")}
            maxLength={200}
            placeholder={t("namePlaceholder")}
            autoFocus={!monitorId}
            className="sm:col-span-2"
          />
          <div className="grid content-start gap-2 sm:col-span-2">
            <Label htmlFor="monitor-description">
              {t("description")} <span className="text-muted-foreground font-normal">({t("optional")})</span>
            </Label>
            <Textarea id="monitor-description" className="min-h-16" value={draft.description} maxLength={2000} onChange={(event) => update({ description: event.target.value })} />
          </div>
          <div className="grid content-start gap-2">
            <Label htmlFor="monitor-event">{t("event")}</Label>
            <Input
              id="monitor-event"
              list="monitor-event-names"
              value={draft.event}
              onChange={(event) => update({ event: event.target.value })}
              placeholder="Order Completed"
              aria-invalid={error("event") ? true : undefined}
              aria-describedby="monitor-event-hint"
              autoComplete="off"
            />
            <datalist id="monitor-event-names">
              {options.eventNames.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <p id="monitor-event-hint" className="text-muted-foreground text-xs">
              {options.eventNames.length > 0 ? t("eventHint") : t("eventNone")}
            </p>
            <FieldError message={error("event")} />
          </div>
          <div className="grid content-start gap-2">
            <Label htmlFor="monitor-segment">{t("segment")}</Label>
            <NativeSelect id="monitor-segment" value={draft.segmentId} onChange={(event) => update({ segmentId: event.target.value })} aria-invalid={error("segmentId") ? true : undefined}>
              <option value="">{t("everyone")}</option>
              {options.segments.map((segment) => (
                <option key={segment.id} value={segment.id}>
                  {segment.name}
                </option>
              ))}
            </NativeSelect>
            <p className="text-muted-foreground text-xs">{t("segmentHint")}</p>
            <FieldError message={error("segmentId")} />
          </div>
          <div className="sm:col-span-2">
            <WhereField workspaceId={workspaceId} event={draft.event} value={draft.whereText} onChange={(whereText) => update({ whereText })} error={error("where")} check={actions.checkWhere} />
            {jsonBlocked && !whereParses ? <FieldError message={t("fixWhere")} /> : null}
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("when")}</CardTitle>
          <CardDescription>{t("whenHint")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">{t("statistic")}</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {statistics.map((statistic) => (
                <Choice
                  key={statistic}
                  name="monitor-statistic"
                  checked={draft.statistic === statistic}
                  onChange={() => update({ statistic })}
                  title={t(`statistics.${statistic}`)}
                  help={t(`statisticHelp.${statistic}`)}
                />
              ))}
            </div>
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            {draft.statistic === "sum" || draft.statistic === "distinct" ? (
              <div className="grid content-start gap-2">
                <Label htmlFor="monitor-property">{t("property")}</Label>
                <Input
                  id="monitor-property"
                  list="monitor-property-names"
                  value={draft.property}
                  onChange={(event) => update({ property: event.target.value })}
                  placeholder={draft.statistic === "sum" ? "revenue" : "product_id"}
                  aria-invalid={error("property") ? true : undefined}
                  autoComplete="off"
                />
                <datalist id="monitor-property-names">
                  {properties.map((key) => (
                    <option key={key} value={key} />
                  ))}
                </datalist>
                <p className="text-muted-foreground text-xs">{draft.statistic === "sum" ? t("propertySumHint") : t("propertyDistinctHint")}</p>
                <FieldError message={error("property")} />
              </div>
            ) : null}
            <div className="grid content-start gap-2">
              <Label htmlFor="monitor-threshold">{t(`threshold.${draft.statistic}`)}</Label>
              <Input
                id="monitor-threshold"
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={draft.threshold}
                onChange={(event) => update({ threshold: event.target.value })}
                aria-invalid={error("threshold") ? true : undefined}
              />
              <FieldError message={error("threshold")} />
            </div>
          </div>

          <div className="border-t pt-4">
            <fieldset className="grid gap-2">
              <legend className="mb-1 text-sm font-medium">{t("window")}</legend>
              <div className="grid gap-2 md:grid-cols-3">
                {windowKinds.map((kind) => (
                  <Choice
                    key={kind}
                    name="monitor-window"
                    checked={draft.windowKind === kind}
                    onChange={() => update({ windowKind: kind, limitKind: kind === "lifetime" && draft.limitKind === "once_per_window" ? "once" : draft.limitKind })}
                    title={t(`windows.${kind}`)}
                    help={t(`windowHelp.${kind}`)}
                  />
                ))}
              </div>
              {draft.windowKind === "rolling" ? (
                <div className="flex flex-wrap items-end gap-2">
                  <div className="grid gap-2">
                    <Label htmlFor="monitor-window-amount">{t("windowAmount")}</Label>
                    <Input
                      id="monitor-window-amount"
                      type="number"
                      inputMode="numeric"
                      min={1}
                      className="w-28"
                      value={draft.windowAmount}
                      onChange={(event) => update({ windowAmount: event.target.value })}
                      aria-invalid={error("window.amount") ? true : undefined}
                    />
                  </div>
                  <div className="grid gap-2">
                    <Label htmlFor="monitor-window-unit">{t("windowUnit")}</Label>
                    <NativeSelect id="monitor-window-unit" className="w-36" value={draft.windowUnit} onChange={(event) => update({ windowUnit: event.target.value as MonitorDraft["windowUnit"] })}>
                      {(["minutes", "hours", "days"] as const).map((unit) => (
                        <option key={unit} value={unit}>
                          {t(`units.${unit}`)}
                        </option>
                      ))}
                    </NativeSelect>
                  </div>
                </div>
              ) : null}
              {draft.windowKind === "calendar" ? (
                <div className="grid max-w-xs gap-2">
                  <Label htmlFor="monitor-calendar-unit">{t("calendarUnit")}</Label>
                  <NativeSelect id="monitor-calendar-unit" value={draft.calendarUnit} onChange={(event) => update({ calendarUnit: event.target.value as MonitorDraft["calendarUnit"] })}>
                    {(["day", "week", "month"] as const).map((unit) => (
                      <option key={unit} value={unit}>
                        {t(`calendarUnits.${unit}`)}
                      </option>
                    ))}
                  </NativeSelect>
                  <p className="text-muted-foreground text-xs">{t("calendarZone", { zone })}</p>
                </div>
              ) : null}
              <FieldError message={error("window.amount") ?? error("window")} />
            </fieldset>
          </div>

          <div className="border-t pt-4">
            <fieldset className="grid gap-2">
              <legend className="mb-1 text-sm font-medium">{t("limit")}</legend>
              <div className="grid gap-2 md:grid-cols-3">
                {limitKinds.map((kind) => (
                  <Choice
                    key={kind}
                    name="monitor-limit"
                    checked={draft.limitKind === kind}
                    onChange={() => update({ limitKind: kind })}
                    disabled={kind === "once_per_window" && draft.windowKind === "lifetime"}
                    title={t(`limits.${kind}`)}
                    help={t(`limitHelp.${kind}`)}
                  />
                ))}
              </div>
              {draft.limitKind === "at_most" ? (
                <div className="grid max-w-40 gap-2">
                  <Label htmlFor="monitor-limit-count">{t("limitCount")}</Label>
                  <Input
                    id="monitor-limit-count"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    value={draft.limitCount}
                    onChange={(event) => update({ limitCount: event.target.value })}
                    aria-invalid={error("limit.count") ? true : undefined}
                  />
                </div>
              ) : null}
              <FieldError message={error("limit.count") ?? error("limit")} />
            </fieldset>
          </div>

          <div className="grid gap-4 border-t pt-4 sm:grid-cols-2">
            <div className="grid content-start gap-2">
              <Label htmlFor="monitor-active-from">{t("activeFrom")}</Label>
              <Input
                id="monitor-active-from"
                type="datetime-local"
                value={draft.activeFrom}
                onChange={(event) => update({ activeFrom: event.target.value })}
                aria-invalid={error("activeFrom") ? true : undefined}
              />
              <FieldError message={error("activeFrom")} />
            </div>
            <div className="grid content-start gap-2">
              <Label htmlFor="monitor-active-until">{t("activeUntil")}</Label>
              <Input
                id="monitor-active-until"
                type="datetime-local"
                value={draft.activeUntil}
                onChange={(event) => update({ activeUntil: event.target.value })}
                aria-invalid={error("activeUntil") ? true : undefined}
              />
              <FieldError message={error("activeUntil")} />
            </div>
            <p className="text-muted-foreground -mt-2 text-xs sm:col-span-2">{t("activeHint", { zone })}</p>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("then")}</CardTitle>
          <CardDescription>{t("thenHint")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          {draft.actions.length === 0 ? <p className="text-muted-foreground text-sm">{t("noActions")}</p> : null}
          <ol className="grid gap-3" aria-label={t("then")}>
            {draft.actions.map((action, index) => (
              <li key={index} className="grid gap-3 rounded-lg border p-3" data-testid={`monitor-action-${index}`} data-type={action.type}>
                <div className="flex items-center justify-between gap-2">
                  <h3 className="text-sm font-semibold">{t(`actions.${action.type}`)}</h3>
                  <Button
                    type="button"
                    variant="ghost"
                    size="sm"
                    onClick={() => update({ actions: draft.actions.filter((_, other) => other !== index) })}
                    aria-label={t("removeAction", { action: t(`actions.${action.type}`) })}
                  >
                    <Trash2Icon />
                  </Button>
                </div>
                <ActionFields index={index} action={action} onChange={(next) => setAction(index, next)} options={options} slug={slug} error={(field) => error(`actions.${index}.${field}`)} />
              </li>
            ))}
          </ol>
          <FieldError message={error("actions")} />
          {draft.actions.length < 10 ? (
            <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("addAction")}>
              <span className="text-muted-foreground text-sm">{t("addAction")}</span>
              {actionTypes.map((type) => (
                <Button key={type} type="button" variant="outline" size="sm" onClick={() => update({ actions: [...draft.actions, emptyAction(type as ActionType, options)] })}>
                  <PlusIcon />
                  {t(`actions.${type}`)}
                </Button>
              ))}
            </div>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>{t("testTitle")}</CardTitle>
          <CardDescription>{t("testHint")}</CardDescription>
        </CardHeader>
        <CardContent>
          <TestPanel workspaceId={workspaceId} body={body} event={draft.event} timeZone={options.timezone} find={actions.findContacts} test={actions.test} canTest={whereParses} />
        </CardContent>
      </Card>

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? <Loader2Icon className="animate-spin" /> : null}
          {pending ? t("saving") : monitorId ? t("saveChanges") : t("create")}
        </Button>
        <Button type="button" variant="outline" onClick={() => router.back()}>
          {t("cancel")}
        </Button>
        {!monitorId ? <span className="text-muted-foreground text-xs">{t("createHint")}</span> : null}
      </div>
    </form>
  );
}

/** The draft's field an error's path is about ("window.amount" → windowAmount, "actions.1.tag" → actions). */
function fieldOf(path: string): string {
  const byPath: Record<string, keyof MonitorDraft> = { where: "whereText", "window.amount": "windowAmount", window: "windowKind", "limit.count": "limitCount", limit: "limitKind" };
  return byPath[path] ?? path.split(".")[0];
}

function summaryOf(draft: MonitorDraft, body: ReturnType<typeof bodyOf>, t: ReturnType<typeof useTranslations>, names: ActionNames): string {
  const threshold = Number(draft.threshold);
  const amount = Number(draft.windowAmount);
  const count = Number(draft.limitCount);
  const rule = describeRule(t, {
    event: draft.event || "…",
    statistic: body.statistic as "count" | "sum" | "distinct",
    property: body.property ?? (draft.property || "…"),
    threshold: Number.isFinite(threshold) ? threshold : 0,
  });
  const window =
    draft.windowKind === "rolling"
      ? describeWindow(t, { kind: "rolling", amount: Number.isFinite(amount) ? amount : 0, unit: draft.windowUnit })
      : draft.windowKind === "calendar"
        ? describeWindow(t, { kind: "calendar", unit: draft.calendarUnit })
        : describeWindow(t, { kind: "lifetime" });
  const limit = describeLimit(t, draft.limitKind === "at_most" ? { kind: "at_most", count: Number.isFinite(count) ? count : 0 } : { kind: draft.limitKind });
  const done = (body.actions as MonitorAction[]).filter((action) => action.type !== "points" || Number.isFinite(action.amount)).map((action) => describeAction(t, action, names));
  return t("describe.full", { rule, window, limit, actions: done.length > 0 ? done.join(t("describe.and")) : t("describe.nothing") });
}

/** Property keys seen on the event (asked again 400 ms after the event name changes). */
function useEventProperties(workspaceId: string, event: string, load: EventProperties): string[] {
  const [found, setFound] = useState<{ event: string; keys: string[] }>({ event: "", keys: [] });
  const name = event.trim();
  useEffect(() => {
    if (!name) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("event", name);
      const state = await load(null, form).catch(() => null);
      if (!cancelled) setFound({ event: name, keys: state?.ok && state.data ? state.data.keys : [] });
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [name, workspaceId, load]);
  return found.event === name ? found.keys : [];
}

function ActionFields({
  index,
  action,
  onChange,
  options,
  slug,
  error,
}: {
  index: number;
  action: ActionDraft;
  onChange: (action: ActionDraft) => void;
  options: MonitorOptions;
  slug: string;
  error: (field: string) => string | undefined;
}) {
  const t = useTranslations("monitors.form");
  const id = (field: string) => `action-${index}-${field}`;
  switch (action.type) {
    case "points":
      return (
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField
            id={id("amount")}
            label={t("pointsAmount")}
            type="number"
            inputMode="numeric"
            min={1}
            value={action.amount}
            onChange={(amount) => onChange({ ...action, amount })}
            error={error("amount")}
          />
          <TextField
            id={id("expiry")}
            label={t("pointsExpiry")}
            type="number"
            inputMode="numeric"
            min={1}
            value={action.expiresInDays}
            onChange={(expiresInDays) => onChange({ ...action, expiresInDays })}
            error={error("expiresInDays")}
            hint={t("pointsExpiryHint")}
          />
          <TextField
            id={id("reason")}
            label={t("pointsReason")}
            value={action.reason}
            onChange={(reason) => onChange({ ...action, reason })}
            error={error("reason")}
            maxLength={200}
            hint={t("pointsReasonHint")}
          />
        </div>
      );
    case "coupon":
      return (
        <div className="grid content-start gap-2 sm:max-w-md">
          <Label htmlFor={id("campaign")}>{t("campaign")}</Label>
          {options.campaigns.length > 0 ? (
            <NativeSelect
              id={id("campaign")}
              value={action.campaignId}
              onChange={(event) => onChange({ ...action, campaignId: event.target.value })}
              aria-invalid={error("campaignId") ? true : undefined}
            >
              {action.campaignId && !options.campaigns.some((campaign) => campaign.id === action.campaignId) ? <option value={action.campaignId}>{t("unknownCampaign")}</option> : null}
              {!action.campaignId ? <option value="">{t("chooseCampaign")}</option> : null}
              {options.campaigns.map((campaign) => (
                <option key={campaign.id} value={campaign.id}>
                  {t("campaignOption", { name: campaign.name, available: campaign.available })}
                </option>
              ))}
            </NativeSelect>
          ) : (
            <p className="text-muted-foreground text-sm">
              {t("noCampaigns")}{" "}
              <Link href={`/w/${slug}/rewards/coupons/new`} className="text-foreground underline underline-offset-2" target="_blank">
                {t("createCampaign")}
                <ArrowRightIcon className="ml-0.5 inline size-3" aria-hidden />
              </Link>
            </p>
          )}
          <FieldError message={error("campaignId")} />
        </div>
      );
    case "message":
      return (
        <div className="grid content-start gap-2 sm:max-w-md">
          <Label htmlFor={id("template")}>{t("template")}</Label>
          {options.templates.length > 0 ? (
            <NativeSelect
              id={id("template")}
              value={action.templateId}
              onChange={(event) => onChange({ ...action, templateId: event.target.value })}
              aria-invalid={error("templateId") ? true : undefined}
            >
              {!action.templateId ? <option value="">{t("chooseTemplate")}</option> : null}
              {options.templates.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
            </NativeSelect>
          ) : (
            <p className="text-muted-foreground text-sm">
              {t("noTemplates")}{" "}
              <Link href={`/w/${slug}/templates/new`} className="text-foreground underline underline-offset-2" target="_blank">
                {t("createTemplate")}
              </Link>
            </p>
          )}
          <p className="text-muted-foreground text-xs">{t("templateHint")}</p>
          <FieldError message={error("templateId")} />
        </div>
      );
    case "tag":
      return (
        <TextField
          id={id("tag")}
          label={t("tag")}
          value={action.tag}
          onChange={(tag) => onChange({ ...action, tag })}
          error={error("tag")}
          maxLength={100}
          placeholder="streak-7"
          className="sm:max-w-md"
        />
      );
    case "event":
      return <p className="text-muted-foreground text-sm">{t("eventActionHint")}</p>;
  }
}

function Choice({ name, checked, onChange, title, help, disabled }: { name: string; checked: boolean; onChange: () => void; title: string; help: string; disabled?: boolean }) {
  return (
    <label className="has-[:checked]:border-primary has-[:focus-visible]:ring-ring/50 flex cursor-pointer items-start gap-3 rounded-lg border p-3 text-sm has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-50 has-[:focus-visible]:ring-[3px]">
      <input type="radio" name={name} checked={checked} onChange={onChange} disabled={disabled} className="accent-primary mt-1" />
      <span className="grid gap-1">
        <span className="font-medium">{title}</span>
        <span className="text-muted-foreground">{help}</span>
      </span>
    </label>
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
}: { id: string; label: string; value: string; onChange: (value: string) => void; error?: string; hint?: string; className?: string } & Omit<
  React.ComponentProps<typeof Input>,
  "onChange" | "value" | "id"
>) {
  const described = [hint && !error ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`grid content-start gap-2 ${className ?? ""}`}>
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
