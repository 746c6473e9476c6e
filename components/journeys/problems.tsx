"use client";

import { useTranslations } from "next-intl";
import { CircleAlertIcon } from "lucide-react";
import type { JourneyProblem } from "@/lib/journeys/validate";
import type { NodeType } from "@/lib/journeys/graph";
import { nodeLook } from "./node-meta";
import type { Say } from "./node-summary";

/** A branch's name as the canvas labels it: Yes, No, Matched, Timed out, A…E. */
export function handleLabel(say: Say, handle: string | null | undefined): string {
  if (!handle || handle === "next") return say("handles.next");
  if (/^[a-e]$/.test(handle)) return say("handles.branch", { key: handle.toUpperCase() });
  return say(`handles.${handle}`);
}

// An unfinished step's missing field, said as the field's own error says it.
const missingField: Record<string, string> = {
  "data.templateId": "errors.templateRequired",
  "data.event": "errors.eventRequired",
  "data.segmentId": "errors.segmentRequired",
  "data.assigneeId": "errors.assigneeRequired",
  "data.attribute": "errors.attributeRequired",
};

/** A publish problem in the reader's language (the English message when the code is new to the UI). */
export function problemText(say: Say, problem: JourneyProblem): string {
  if (problem.code === "node_invalid" && problem.path && missingField[problem.path]) return say(missingField[problem.path]);
  const params: Record<string, string | number> = { ...(problem.params ?? {}) };
  if (problem.code === "branch_unconnected") params.handle = handleLabel(say, String(params.handle ?? ""));
  if (problem.code === "rule_invalid") params.field = say(`ruleFields.${String(params.field ?? "rule")}`);
  const key = `problems.${problem.code}`;
  return say.has && !say.has(key) ? problem.message : say(key, params);
}

/** Every problem publishing found, each a button that takes you to its node. */
export function ProblemsList({ problems, nodeTypes, onSelect }: { problems: JourneyProblem[]; nodeTypes: Map<string, NodeType>; onSelect: (nodeId: string) => void }) {
  const t = useTranslations("journeys");
  const say = t as unknown as Say;
  return (
    <section className="grid gap-2" aria-labelledby="journey-problems-title" data-testid="journey-problems">
      <h3 id="journey-problems-title" className="text-destructive flex items-center gap-1.5 text-sm font-medium">
        <CircleAlertIcon className="size-4" aria-hidden />
        {t("problems.title", { count: problems.length })}
      </h3>
      <ul className="grid gap-1.5">
        {problems.map((problem, index) => {
          const type = problem.nodeId ? nodeTypes.get(problem.nodeId) : undefined;
          const Icon = type ? nodeLook[type].icon : CircleAlertIcon;
          const body = (
            <>
              <Icon className="text-muted-foreground mt-0.5 size-4 shrink-0" aria-hidden />
              <span className="grid min-w-0 gap-0.5">
                {type ? (
                  <span className="text-muted-foreground text-xs">
                    {t(`types.${type}`)} · <code className="font-mono">{problem.nodeId}</code>
                  </span>
                ) : null}
                <span>{problemText(say, problem)}</span>
              </span>
            </>
          );
          return (
            <li key={`${problem.nodeId ?? problem.edgeId ?? ""}-${problem.code}-${index}`}>
              {problem.nodeId && type ? (
                <button
                  type="button"
                  className="hover:bg-accent focus-visible:ring-ring/50 flex w-full items-start gap-2 rounded-md border border-red-500/30 bg-red-500/5 p-2 text-left text-sm outline-none focus-visible:ring-[3px]"
                  onClick={() => onSelect(problem.nodeId!)}
                  data-testid="journey-problem"
                >
                  {body}
                </button>
              ) : (
                <p className="flex items-start gap-2 rounded-md border border-red-500/30 bg-red-500/5 p-2 text-sm" data-testid="journey-problem">
                  {body}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
