"use client";

import { useCallback, useEffect, useState } from "react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { ChevronDownIcon, Loader2Icon, RefreshCwIcon, UserIcon } from "lucide-react";
import type { ActionState } from "@/lib/auth/action";
import type { NodeType } from "@/lib/journeys/graph";
import type { NodeStats } from "@/lib/journeys/stats";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { nodeLook } from "./node-meta";
import type { RunView } from "./types";

export type RunsAction = (previous: ActionState<{ runs: RunView[]; nextCursor: string | null }>, formData: FormData) => Promise<ActionState<{ runs: RunView[]; nextCursor: string | null }>>;

/** "Who is where": the contacts at one node now, newest first, each a link to the profile. Key it by the node's id. */
export function Inspector({
  workspaceId,
  journeyId,
  slug,
  timeZone,
  node,
  summary,
  stats,
  load,
}: {
  workspaceId: string;
  journeyId: string;
  slug: string;
  timeZone: string;
  node: { id: string; type: NodeType };
  summary: string;
  stats: NodeStats | undefined;
  load: RunsAction;
}) {
  const t = useTranslations("journeys");
  const format = useFormatter();
  const [runs, setRuns] = useState<RunView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const look = nodeLook[node.type];
  const Icon = look.icon;

  const fetchPage = useCallback(
    async (after: string | null) => {
      setLoading(true);
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("id", journeyId);
      form.set("nodeId", node.id);
      if (after) form.set("cursor", after);
      const result = await load(null, form).catch(() => null);
      setLoading(false);
      if (!result?.ok || !result.data) {
        setFailed(true);
        return;
      }
      setFailed(false);
      const page = result.data;
      setRuns((current) => (after ? [...current, ...page.runs] : page.runs));
      setCursor(page.nextCursor);
    },
    [workspaceId, journeyId, node.id, load],
  );

  useEffect(() => {
    // Loads the first page when the inspector opens on a node.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void fetchPage(null);
  }, [fetchPage]);

  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short", timeZone });
  const here = stats?.waiting ?? 0;

  return (
    <div className="grid gap-4" data-testid="inspector" data-node-id={node.id}>
      <div className="flex items-start gap-3">
        <span className={cn("flex size-9 shrink-0 items-center justify-center rounded-md", look.tone)}>
          <Icon className="size-4" aria-hidden />
        </span>
        <div className="grid min-w-0 flex-1 gap-0.5">
          <h2 className="text-base font-semibold">{t("inspector.title")}</h2>
          <p className="text-muted-foreground text-xs">
            {t(`types.${node.type}`)} · {summary}
          </p>
        </div>
        <Button type="button" variant="ghost" size="icon" className="size-8" onClick={() => void fetchPage(null)} aria-label={t("inspector.refresh")} disabled={loading}>
          <RefreshCwIcon className={cn(loading && "animate-spin")} />
        </Button>
      </div>
      {stats ? (
        <dl className="grid grid-cols-2 gap-2 text-sm">
          {(["entered", "waiting", "completed", "failed"] as const).map((key) => (
            <div key={key} className="flex flex-col-reverse rounded-md border px-3 py-2">
              <dt className="text-muted-foreground text-xs">{t(`stats.${key}`)}</dt>
              <dd className="text-lg font-semibold tabular-nums">{format.number(stats[key])}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <section className="grid gap-2" aria-labelledby="inspector-here">
        <h3 id="inspector-here" className="text-sm font-medium">
          {t("inspector.hereNow", { count: here, formatted: format.number(here) })}
        </h3>
        {failed ? <p className="text-destructive text-sm">{t("inspector.failed")}</p> : null}
        {runs.length === 0 && !loading && !failed ? <p className="text-muted-foreground text-sm" data-testid="inspector-empty">{t("inspector.nobody")}</p> : null}
        <ul className={cn("divide-y rounded-md border", runs.length === 0 && "hidden")} data-testid="inspector-runs">
          {runs.map((run) => (
            <li key={run.id} className="grid gap-0.5 px-3 py-2 text-sm">
              <Link href={`/w/${slug}/contacts/${run.contactId}`} className="flex items-center gap-1.5 font-medium hover:underline">
                <UserIcon className="text-muted-foreground size-3.5 shrink-0" aria-hidden />
                <span className="truncate">{run.name ?? run.email ?? t("inspector.anonymous", { id: run.contactId.slice(0, 8) })}</span>
              </Link>
              {run.name && run.email ? <span className="text-muted-foreground truncate text-xs">{run.email}</span> : null}
              <span className="text-muted-foreground text-xs">
                {run.status === "waiting" && run.waitUntil
                  ? t("inspector.waitingUntil", { since: when(run.nodeEnteredAt), until: when(run.waitUntil) })
                  : t("inspector.since", { since: when(run.nodeEnteredAt) })}
                {" · "}
                {t("inspector.version", { version: run.version })}
              </span>
            </li>
          ))}
        </ul>
        {cursor ? (
          <Button type="button" variant="outline" size="sm" className="justify-self-start" disabled={loading} onClick={() => void fetchPage(cursor)}>
            {loading ? <Loader2Icon className="animate-spin" /> : <ChevronDownIcon />}
            {t("inspector.more")}
          </Button>
        ) : null}
      </section>
    </div>
  );
}
