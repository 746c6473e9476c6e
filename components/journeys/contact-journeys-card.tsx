import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ChevronRightIcon } from "lucide-react";
import type { RunStatus } from "@/db/schema";
import type { JourneyGraph, NodeType } from "@/lib/journeys/graph";
import type { contactJourneys } from "@/lib/journeys/stats";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/settings/date-time";
import { cn } from "@/lib/utils";
import { nodeLook } from "./node-meta";
import { nodeSummary, type Say, type SummaryNames } from "./node-summary";

type ContactRun = Awaited<ReturnType<typeof contactJourneys>>[number];

const tone: Record<RunStatus, string> = {
  active: "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300",
  waiting: "border-sky-500/40 bg-sky-500/10 text-sky-800 dark:text-sky-300",
  completed: "border-border bg-muted text-muted-foreground",
  converted: "border-emerald-500/40 bg-emerald-500/10 text-emerald-800 dark:text-emerald-300",
  exited: "border-amber-500/40 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  failed: "border-red-500/40 bg-red-500/10 text-red-800 dark:text-red-300",
};

/** The journeys a contact is in or was in: each run's status and the steps it took, in order. */
export async function ContactJourneysCard({
  runs,
  graphs,
  names,
  slug,
  timeZone,
}: {
  runs: ContactRun[];
  /** The versions' graphs, keyed "journeyId:version". */
  graphs: Map<string, JourneyGraph>;
  names: SummaryNames;
  slug: string;
  timeZone: string;
}) {
  const t = await getTranslations("journeys");
  const say = t as unknown as Say;
  return (
    <Card data-testid="contact-journeys">
      <CardHeader>
        <CardTitle>{t("profile.title")}</CardTitle>
        <CardDescription>{t("profile.description")}</CardDescription>
      </CardHeader>
      <CardContent>
        {runs.length === 0 ? (
          <p className="text-muted-foreground text-sm">{t("profile.none")}</p>
        ) : (
          <ul className="grid gap-4">
            {runs.map((run) => {
              const graph = graphs.get(`${run.journeyId}:${run.version}`);
              const nodeOf = (id: string) => graph?.nodes.find((node) => node.id === id);
              const ended = run.endedAt !== null;
              const steps = [...run.path.map((step) => step.nodeId), ...(ended ? [] : [run.nodeId])];
              const reason = run.endReason && t.has(`profile.reasons.${run.endReason}`) ? t(`profile.reasons.${run.endReason}`) : run.endReason;
              return (
                <li key={run.runId} className="grid gap-2 text-sm" data-testid="contact-journey" data-status={run.status}>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <Link href={`/w/${slug}/journeys/${run.journeyId}`} className="min-w-0 truncate font-medium hover:underline">
                      {run.journeyName}
                    </Link>
                    <Badge variant="outline" className={tone[run.status]}>
                      {t(`runStatuses.${run.status}`)}
                    </Badge>
                  </div>
                  <p className="text-muted-foreground text-xs">
                    {t.rich("profile.entered", { time: () => <DateTime value={run.enteredAt} timeZone={timeZone} />, version: run.version })}
                    {ended ? (
                      <>
                        {" · "}
                        {t.rich("profile.ended", { time: () => <DateTime value={run.endedAt} timeZone={timeZone} /> })}
                        {reason ? ` (${reason})` : null}
                      </>
                    ) : null}
                  </p>
                  <ol className="flex flex-wrap items-center gap-1" aria-label={t("profile.path")} data-testid="contact-journey-path">
                    {steps.map((nodeId, index) => {
                      const node = nodeOf(nodeId);
                      const type = node?.type as NodeType | undefined;
                      const Icon = type ? nodeLook[type].icon : undefined;
                      const here = !ended && index === steps.length - 1;
                      const failed = run.path[index]?.outcome === "failed";
                      const summary = node ? nodeSummary(node, say, names) : nodeId;
                      return (
                        <li key={`${nodeId}-${index}`} className="flex max-w-full min-w-0 items-center gap-1">
                          {index > 0 ? <ChevronRightIcon className="text-muted-foreground size-3 shrink-0" aria-hidden /> : null}
                          <span
                            className={cn(
                              "flex min-w-0 items-center gap-1 rounded-md border px-1.5 py-0.5 text-xs",
                              here && "border-sky-500/50 bg-sky-500/10",
                              failed && "border-red-500/40 bg-red-500/10",
                            )}
                            title={node ? `${t(`types.${node.type}`)}: ${summary}` : nodeId}
                          >
                            {Icon ? <Icon className={cn("size-3 shrink-0", type && nodeLook[type].tone.replace(/bg-\S+/g, ""))} aria-hidden /> : null}
                            <span className="max-w-56 truncate" data-testid="path-step">
                              {summary}
                            </span>
                            {here ? <span className="sr-only">{t("profile.now")}</span> : null}
                          </span>
                        </li>
                      );
                    })}
                  </ol>
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
