"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ActionState } from "@/lib/auth/action";
import type { BroadcastStatus } from "@/db/schema";
import type { Progress } from "@/lib/broadcasts/stats";
import { ProgressBar } from "./progress-bar";

export type LiveState = { status: BroadcastStatus; progress: Progress; testEndsAt: string | null; winnerVariant: string | null };
type Poll = (previous: ActionState<LiveState>, formData: FormData) => Promise<ActionState<LiveState>>;

const activeStatuses: BroadcastStatus[] = ["scheduled", "sending", "paused"];

/** The progress bar, asked again every 2 s while the broadcast is under way; the page reloads when its status changes (key it by status). */
export function LiveProgress({ workspaceId, broadcastId, initial, poll }: { workspaceId: string; broadcastId: string; initial: LiveState; poll: Poll }) {
  const t = useTranslations("broadcasts.progress");
  const router = useRouter();
  const [live, setLive] = useState(initial);
  const [stale, setStale] = useState(false);
  const status = useRef(initial.status);

  useEffect(() => {
    if (!activeStatuses.includes(live.status)) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("id", broadcastId);
      const result = await poll(null, form).catch(() => null);
      if (stopped) return;
      if (!result?.ok || !result.data) {
        setStale(true);
        return;
      }
      setStale(false);
      setLive(result.data);
      if (result.data.status !== status.current) {
        status.current = result.data.status;
        router.refresh();
      }
    }, 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [live.status, workspaceId, broadcastId, poll, router]);

  return (
    <div className="grid gap-2" data-testid="live-progress" data-status={live.status}>
      {live.status === "scheduled" && live.progress.total === null ? (
        <p className="text-muted-foreground text-sm">{t("waiting")}</p>
      ) : (
        <ProgressBar progress={live.progress} />
      )}
      {live.status === "paused" ? <p className="text-sm text-amber-700 dark:text-amber-300">{t("paused")}</p> : null}
      {live.status === "sending" && live.testEndsAt && !live.winnerVariant ? <p className="text-muted-foreground text-sm">{t("testRunning")}</p> : null}
      {stale ? <p className="text-muted-foreground text-xs">{t("stale")}</p> : null}
    </div>
  );
}
