"use client";

import { startTransition, useActionState, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { InfoIcon, Loader2Icon, RefreshCwIcon } from "lucide-react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import type { ScoringAction, ScoringActionState } from "./types";

export interface RecalculationView {
  startedAt: string;
  done: number;
  total: number;
  finishedAt?: string;
  /** Its job failed for good before the end. */
  stopped: boolean;
}

/** The recalculation's progress bar (polled while it runs) and the button that starts one. */
export function RecalculationPanel({
  initial,
  stale,
  canEdit,
  workspaceId,
  actions,
}: {
  initial: RecalculationView | null;
  stale: boolean;
  canEdit: boolean;
  workspaceId: string;
  actions: { start: ScoringAction<RecalculationView>; progress: ScoringAction<RecalculationView | null> };
}) {
  const t = useTranslations("scoring.recalculation");
  const format = useFormatter();
  const router = useRouter();
  const [recalculation, setRecalculation] = useState(initial);
  const running = recalculation !== null && !recalculation.finishedAt && !recalculation.stopped;
  const [, start, pending] = useActionState<ScoringActionState<RecalculationView>, FormData>(async (previous, formData) => {
    const result = await actions.start(previous, formData);
    if (result?.ok && result.data) {
      setRecalculation(result.data);
      toast.success(t("queued"));
    } else if (result && !result.ok) toast.error(result.error);
    return result;
  }, null);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      const result = await actions.progress(null, form).catch(() => null);
      if (result?.ok && result.data) {
        setRecalculation(result.data);
        if (result.data.finishedAt) router.refresh();
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [running, workspaceId, actions, router]);

  const percent = recalculation && recalculation.total > 0 ? Math.round((recalculation.done / recalculation.total) * 100) : running ? 0 : 100;
  return (
    <Card data-testid="scoring-recalculation">
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>
          {running
            ? t("running", { done: format.number(recalculation!.done), total: format.number(recalculation!.total) })
            : recalculation?.stopped
              ? t("stopped", { done: format.number(recalculation.done), total: format.number(recalculation.total) })
              : recalculation?.finishedAt
                ? t("finished", { when: format.relativeTime(new Date(recalculation.finishedAt), new Date()), total: format.number(recalculation.total) })
                : t("never")}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {recalculation ? <Progress value={percent} aria-label={t("title")} aria-valuetext={`${percent}%`} data-testid="recalculation-progress" /> : null}
        {canEdit ? (
          <Button
            size="sm"
            className="justify-self-start"
            variant={stale ? "default" : "outline"}
            disabled={running || pending}
            aria-busy={pending}
            onClick={() => {
              const form = new FormData();
              form.set("workspaceId", workspaceId);
              startTransition(() => start(form));
            }}
          >
            {running || pending ? <Loader2Icon className="animate-spin" /> : <RefreshCwIcon />}
            {t("button")}
          </Button>
        ) : null}
        {stale && !running ? (
          <Alert>
            <InfoIcon />
            <AlertDescription>{t("stale")}</AlertDescription>
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}
