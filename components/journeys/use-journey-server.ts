"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { JourneyStatus } from "@/db/schema";
import type { ActionState } from "@/lib/auth/action";
import type { JourneyProblem } from "@/lib/journeys/validate";
import type { RunsAction } from "./inspector";
import type { LiveStats, PublishResult } from "./types";

type Action<T = unknown> = (previous: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

export interface EditorActions {
  save: Action<{ updatedAt: string }>;
  publish: Action<PublishResult>;
  check: Action<{ problems: JourneyProblem[] }>;
  pause: Action;
  resume: Action;
  archive: Action;
  remove: Action;
  stats: Action<LiveStats>;
  runs: RunsAction;
}

export type StatusChange = "pause" | "resume" | "archive" | "remove";

/**
 * The canvas's round trips: save, publish (and the problems it found, checked again as the
 * canvas changes), pause/resume/archive/delete, and the counts polled while the journey runs.
 */
export function useJourneyServer({
  workspaceId,
  journey,
  actions,
  canEdit,
  formOf,
  graphText,
  showResults,
  initialStats,
  onSaved,
}: {
  workspaceId: string;
  journey: { id: string; status: JourneyStatus; version: number | null };
  actions: EditorActions;
  canEdit: boolean;
  /** The journey as the form sends it (name, description, graph). */
  formOf: () => FormData;
  /** The graph as JSON, to notice changes. */
  graphText: string;
  showResults: boolean;
  initialStats: LiveStats | null;
  onSaved: () => void;
}) {
  const t = useTranslations("journeys");
  const router = useRouter();
  const base = (slug: string) => `/w/${slug}/journeys`;
  const [busy, setBusy] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<JourneyProblem[] | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [polled, setPolled] = useState<LiveStats | null>(null);
  const [stale, setStale] = useState(false);
  const lastChecked = useRef("");

  const idForm = useCallback(() => {
    const form = new FormData();
    form.set("workspaceId", workspaceId);
    form.set("id", journey.id);
    return form;
  }, [workspaceId, journey.id]);

  const failed = useCallback(
    (result: ActionState<unknown>) => {
      if (!result) return toast.error(t("toast.failed"));
      if (result.ok) return;
      setFieldErrors(result.fieldErrors ?? {});
      const field = Object.values(result.fieldErrors ?? {})[0];
      toast.error(field && t.has(`errors.${field}`) ? t(`errors.${field}`) : result.error);
    },
    [t],
  );

  const save = useCallback(async () => {
    if (busy) return;
    setBusy("save");
    const result = await actions.save(null, formOf()).catch(() => null);
    setBusy(null);
    if (!result?.ok) return failed(result);
    onSaved();
    setFieldErrors({});
    toast.success(t("toast.saved"));
  }, [actions, busy, failed, formOf, onSaved, t]);

  const publish = useCallback(async () => {
    setBusy("publish");
    const form = formOf();
    const result = await actions.publish(null, form).catch(() => null);
    setBusy(null);
    if (!result?.ok || !result.data) return failed(result);
    onSaved();
    setFieldErrors({});
    if (result.data.published) {
      setProblems(null);
      setShowAll(false);
      toast.success(t("toast.published", { version: result.data.version }));
      router.refresh();
      return;
    }
    lastChecked.current = String(form.get("graph"));
    setProblems(result.data.problems);
    setShowAll(true);
    toast.error(t("toast.notPublished", { count: result.data.problems.length }));
  }, [actions, failed, formOf, onSaved, router, t]);

  const changeStatus = useCallback(
    async (what: StatusChange, slug: string) => {
      setBusy(what);
      const result = await actions[what](null, idForm()).catch(() => null);
      setBusy(null);
      if (!result?.ok) return failed(result);
      toast.success(t(`toast.${what}`));
      if (what === "remove") router.push(base(slug));
      else router.refresh();
    },
    [actions, failed, idForm, router, t],
  );

  // Once problems are shown, they are checked again as the canvas changes, so they clear as they are fixed.
  const checking = canEdit && problems !== null && problems.length > 0;
  useEffect(() => {
    if (!checking || graphText === lastChecked.current) return;
    const timer = setTimeout(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("graph", graphText);
      const result = await actions.check(null, form).catch(() => null);
      if (result?.ok && result.data) {
        lastChecked.current = graphText;
        setProblems(result.data.problems);
      }
    }, 600);
    return () => clearTimeout(timer);
  }, [checking, graphText, actions, workspaceId]);

  // Counts are asked for when results are shown, and again every few seconds while the journey runs.
  const polling = showResults && journey.version !== null && journey.status === "active";
  useEffect(() => {
    if (!showResults || journey.version === null) return;
    let stopped = false;
    const poll = async () => {
      const result = await actions.stats(null, idForm()).catch(() => null);
      if (stopped) return;
      setStale(!result?.ok);
      if (result?.ok && result.data) setPolled(result.data);
    };
    void poll();
    const timer = polling ? setInterval(poll, 4000) : undefined;
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [showResults, polling, journey.version, actions, idForm]);

  return { busy, fieldErrors, problems, showAll, stats: polled ?? initialStats, stale, polling, save, publish, changeStatus };
}
