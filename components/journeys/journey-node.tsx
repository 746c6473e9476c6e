"use client";

import { createContext, memo, useContext } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { handlesOf, type NodeType } from "@/lib/journeys/graph";
import type { NodeStats } from "@/lib/journeys/stats";
import type { JourneyProblem } from "@/lib/journeys/validate";
import { cn } from "@/lib/utils";
import type { FlowNode } from "./flow";
import { nodeLook } from "./node-meta";
import { nodeSummary, type Say, type SummaryNames } from "./node-summary";
import { handleLabel, problemText } from "./problems";

/** What every node on the canvas reads besides its own data: problems, counts, names, words. */
export interface CanvasView {
  say: Say;
  names: SummaryNames;
  problems: Map<string, JourneyProblem[]>;
  /** Whether the journey has a goal (conversion only means something then). */
  hasGoal: boolean;
  /** Set while the canvas shows results. */
  stats: Map<string, NodeStats> | null;
  formatNumber: (value: number) => string;
  formatPercent: (value: number) => string;
}

export const CanvasContext = createContext<CanvasView | null>(null);

function JourneyNodeView({ id, type, data, selected }: NodeProps<FlowNode>) {
  const view = useContext(CanvasContext)!;
  const { say } = view;
  const look = nodeLook[type as NodeType];
  const Icon = look.icon;
  const handles = handlesOf({ type: type as NodeType, data });
  const problems = view.problems.get(id) ?? [];
  const unconnected = new Set(problems.filter((problem) => problem.code === "branch_unconnected").map((problem) => String(problem.params?.handle ?? "")));
  const stats = view.stats ? (view.stats.get(id) ?? { nodeId: id, entered: 0, waiting: 0, completed: 0, failed: 0, converted: 0 }) : null;
  const summary = nodeSummary({ type: type as NodeType, data }, say, view.names);
  const weights = type === "split" && Array.isArray(data.branches) ? new Map((data.branches as Array<{ key: string; weight: number }>).map((branch) => [branch.key, branch.weight])) : undefined;

  return (
    <div
      className={cn(
        "bg-card text-card-foreground in-focus-visible:ring-ring/60 relative w-[264px] rounded-lg border shadow-sm transition-shadow in-focus-visible:ring-[3px]",
        selected && "ring-ring ring-2",
        problems.length > 0 && "border-destructive ring-destructive/50 ring-2",
      )}
      data-testid="journey-node"
      data-node-id={id}
      data-node-type={type}
      data-problem={problems.length > 0 ? "true" : undefined}
      aria-invalid={problems.length > 0 ? true : undefined}
    >
      {type !== "trigger" ? <Handle type="target" position={Position.Top} className="bg-background! border-muted-foreground! size-3! border-2!" /> : null}
      <div className="flex items-start gap-2.5 p-3">
        <span className={cn("flex size-8 shrink-0 items-center justify-center rounded-md", look.tone)}>
          <Icon className="size-4" aria-hidden />
        </span>
        <div className="grid min-w-0 flex-1 gap-0.5">
          <p className="text-muted-foreground flex items-center justify-between gap-2 text-[11px] font-medium tracking-wide uppercase">
            <span className="truncate">{say(`types.${type}`)}</span>
            <code className="font-mono normal-case opacity-60">{id}</code>
          </p>
          <p className="line-clamp-2 text-sm leading-snug font-medium" data-testid="node-summary">
            {summary}
          </p>
        </div>
      </div>
      {stats ? (
        <div className="grid gap-1 border-t px-3 py-2" data-testid="node-stats">
          <dl className="grid grid-cols-4 gap-1 text-center">
            {(["entered", "waiting", "completed", "failed"] as const).map((key) => (
              <div key={key} className="flex flex-col-reverse">
                <dt className="text-muted-foreground text-[10px]">{say(`stats.${key}`)}</dt>
                <dd className={cn("text-sm font-semibold tabular-nums", key === "failed" && stats.failed > 0 && "text-destructive")} data-testid={`node-${key}`}>
                  {view.formatNumber(stats[key])}
                </dd>
              </div>
            ))}
          </dl>
          {view.hasGoal ? (
            <p className="text-muted-foreground text-[11px]" data-testid="node-conversion">
              {say("stats.converted", { percent: view.formatPercent(stats.entered > 0 ? stats.converted / stats.entered : 0), count: view.formatNumber(stats.converted) })}
            </p>
          ) : null}
        </div>
      ) : null}
      {!stats && problems.length > 0 ? (
        <div className="border-destructive/30 bg-destructive/5 text-destructive rounded-b-lg border-t px-3 py-2 text-xs" data-testid="node-problem">
          {problemText(say, problems[0])}
          {problems.length > 1 ? <span className="opacity-70"> {say("problems.more", { count: problems.length - 1 })}</span> : null}
        </div>
      ) : null}
      {handles.length > 1 ? (
        <div className="relative h-6 border-t" aria-hidden>
          {handles.map((handle, index) => (
            <span
              key={handle ?? "next"}
              className={cn("text-muted-foreground absolute top-1 -translate-x-1/2 text-[11px] whitespace-nowrap", !stats && unconnected.has(handle ?? "") && "text-destructive font-medium")}
              style={{ left: `${((index + 1) / (handles.length + 1)) * 100}%` }}
            >
              {handleLabel(say, handle)}
              {weights?.has(handle ?? "") ? ` ${weights.get(handle ?? "")}%` : ""}
            </span>
          ))}
        </div>
      ) : null}
      {handles.map((handle, index) => (
        <Handle
          key={handle ?? "next"}
          type="source"
          position={Position.Bottom}
          id={handle ?? undefined}
          aria-label={say("handles.aria", { branch: handleLabel(say, handle) })}
          data-testid={`handle-${handle ?? "next"}`}
          className={cn("bg-foreground! border-background! size-3! border-2!", !stats && unconnected.has(handle ?? "") && "bg-destructive!")}
          style={{ left: `${((index + 1) / (handles.length + 1)) * 100}%` }}
        />
      ))}
    </div>
  );
}

const JourneyNode = memo(JourneyNodeView);

export const flowNodeTypes = {
  trigger: JourneyNode,
  delay: JourneyNode,
  wait: JourneyNode,
  condition: JourneyNode,
  split: JourneyNode,
  send: JourneyNode,
  update: JourneyNode,
  webhook: JourneyNode,
  task: JourneyNode,
  exit: JourneyNode,
};
