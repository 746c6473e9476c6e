"use client";

import { useEffect, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { Loader2Icon, UsersIcon, XIcon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { FieldError } from "@/components/form/field";
import type { FormOptions } from "./draft";

type Segment = FormOptions["segments"][number];
export type CountAudience = (previous: ActionState<{ count: number }>, formData: FormData) => Promise<ActionState<{ count: number }>>;

/** Segments and lists to send to and to leave out, with the audience's size now (asked again 400 ms after a change). */
export function AudiencePicker({
  workspaceId,
  segments,
  include,
  exclude,
  onChange,
  errors,
  count: countAction,
}: {
  workspaceId: string;
  segments: Segment[];
  include: string[];
  exclude: string[];
  onChange: (audience: { include: string[]; exclude: string[] }) => void;
  errors: { include?: string; exclude?: string };
  count: CountAudience;
}) {
  const t = useTranslations("broadcasts.form");
  return (
    <div className="grid gap-4">
      <div className="grid gap-4 lg:grid-cols-2">
        <SegmentPicker
          id="include"
          legend={t("include")}
          hint={t("includeHint")}
          segments={segments}
          selected={include}
          taken={exclude}
          onChange={(next) => onChange({ include: next, exclude })}
          error={errors.include}
        />
        <SegmentPicker
          id="exclude"
          legend={t("exclude")}
          hint={t("excludeHint")}
          segments={segments}
          selected={exclude}
          taken={include}
          onChange={(next) => onChange({ include, exclude: next })}
          error={errors.exclude}
        />
      </div>
      <AudienceCount workspaceId={workspaceId} include={include} exclude={exclude} count={countAction} />
    </div>
  );
}

function SegmentPicker({
  id,
  legend,
  hint,
  segments,
  selected,
  taken,
  onChange,
  error,
}: {
  id: string;
  legend: string;
  hint: string;
  segments: Segment[];
  selected: string[];
  /** Chosen on the other side: not offered here. */
  taken: string[];
  onChange: (selected: string[]) => void;
  error?: string;
}) {
  const t = useTranslations("broadcasts.form");
  const tKinds = useTranslations("broadcasts.segmentKinds");
  const format = useFormatter();
  const [filter, setFilter] = useState("");
  const byId = new Map(segments.map((segment) => [segment.id, segment]));
  const shown = segments.filter((segment) => !taken.includes(segment.id) && segment.name.toLowerCase().includes(filter.trim().toLowerCase()));
  const toggle = (segmentId: string, on: boolean) => onChange(on ? [...selected, segmentId] : selected.filter((other) => other !== segmentId));
  return (
    <fieldset className="grid content-start gap-2" data-testid={`audience-${id}`} aria-describedby={`audience-${id}-hint`}>
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <p id={`audience-${id}-hint`} className="text-muted-foreground -mt-1 text-xs">
        {hint}
      </p>
      {selected.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5" aria-label={t("chosen")}>
          {selected.map((segmentId) => (
            <li key={segmentId}>
              <Badge variant="secondary" className="gap-1 pr-1">
                {byId.get(segmentId)?.name ?? t("unknownSegment")}
                <button
                  type="button"
                  className="hover:bg-background/60 focus-visible:ring-ring rounded-sm p-0.5 focus-visible:ring-2 focus-visible:outline-none"
                  aria-label={t("remove", { name: byId.get(segmentId)?.name ?? "" })}
                  onClick={() => toggle(segmentId, false)}
                >
                  <XIcon className="size-3" />
                </button>
              </Badge>
            </li>
          ))}
        </ul>
      ) : null}
      {segments.length > 6 ? (
        <Input type="search" placeholder={t("filterSegments")} aria-label={t("filterSegmentsIn", { part: legend })} value={filter} onChange={(event) => setFilter(event.target.value)} />
      ) : null}
      <div className="max-h-56 overflow-y-auto rounded-md border" aria-invalid={error ? true : undefined}>
        {shown.length === 0 ? (
          <p className="text-muted-foreground p-3 text-sm">{segments.length === 0 ? t("noSegments") : t("noMatch")}</p>
        ) : (
          <ul className="divide-y">
            {shown.map((segment) => (
              <li key={segment.id}>
                <label className="hover:bg-muted/50 flex cursor-pointer items-center gap-3 px-3 py-2 text-sm">
                  <input type="checkbox" className="accent-primary size-4" checked={selected.includes(segment.id)} onChange={(event) => toggle(segment.id, event.target.checked)} />
                  <span className="min-w-0 flex-1 truncate">{segment.name}</span>
                  <span className="text-muted-foreground shrink-0 text-xs">
                    {tKinds(segment.kind)} · {t("members", { count: segment.memberCount, formatted: format.number(segment.memberCount) })}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
      <FieldError id={`audience-${id}-error`} message={error} />
    </fieldset>
  );
}

function AudienceCount({ workspaceId, include, exclude, count }: { workspaceId: string; include: string[]; exclude: string[]; count: CountAudience }) {
  const t = useTranslations("broadcasts.form");
  const format = useFormatter();
  const [result, setResult] = useState<{ key: string; count: number | null }>({ key: "", count: null });
  const key = JSON.stringify([include, exclude]);
  const pending = include.length > 0 && result.key !== key;

  useEffect(() => {
    const [included, excluded] = JSON.parse(key) as [string[], string[]];
    if (included.length === 0) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("include", JSON.stringify(included));
      form.set("exclude", JSON.stringify(excluded));
      const answer = await count(null, form).catch(() => null);
      if (!cancelled) setResult({ key, count: answer?.ok && answer.data ? answer.data.count : null });
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [workspaceId, key, count]);

  return (
    <div className="bg-muted/50 flex items-start gap-3 rounded-md border p-3 text-sm" aria-live="polite" data-testid="audience-count">
      {pending ? <Loader2Icon className="mt-0.5 size-4 shrink-0 animate-spin" aria-hidden /> : <UsersIcon className="mt-0.5 size-4 shrink-0" aria-hidden />}
      <div className="grid gap-0.5">
        <span className="font-medium" data-testid="audience-count-value">
          {include.length === 0
            ? t("countNone")
            : pending
              ? t("counting")
              : result.count === null
                ? t("countFailed")
                : t("countNow", { count: result.count, formatted: format.number(result.count) })}
        </span>
        <span className="text-muted-foreground text-xs">{t("countNote")}</span>
      </div>
    </div>
  );
}
