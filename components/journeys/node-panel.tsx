"use client";

import { Trash2Icon } from "lucide-react";
import { handlesOf, type NodeType } from "@/lib/journeys/graph";
import type { JourneyProblem } from "@/lib/journeys/validate";
import { Button } from "@/components/ui/button";
import { Separator } from "@/components/ui/separator";
import { NativeSelect } from "@/components/broadcasts/native-select";
import { cn } from "@/lib/utils";
import { connectionRefusal, type FlowEdge, type FlowNode } from "./flow";
import { useNodeErrors, type NodeFormProps } from "./form-bits";
import { nodeLook } from "./node-meta";
import { nodeSummary, type Say, type SummaryNames } from "./node-summary";
import { handleLabel, problemText } from "./problems";
import type { RuleTools } from "./rule-field";
import { ConditionForm, DelayForm, RewardForm, SendForm, SplitForm, TaskForm, UpdateForm, WaitForm, WebhookForm } from "./step-forms";
import { TriggerForm } from "./trigger-form";
import type { JourneyOptions } from "./types";

const forms: Partial<Record<NodeType, (props: NodeFormProps) => React.ReactNode>> = {
  trigger: TriggerForm,
  delay: DelayForm,
  wait: WaitForm,
  condition: ConditionForm,
  split: SplitForm,
  send: SendForm,
  update: UpdateForm,
  reward: RewardForm,
  webhook: WebhookForm,
  task: TaskForm,
};

/** The selected node's settings, where each of its branches leads, and Delete. Key it by the node's id. */
export function NodePanel({
  node,
  nodes,
  edges,
  problems,
  showAll,
  options,
  tools,
  names,
  say,
  disabled,
  onData,
  onLink,
  onDelete,
}: {
  node: FlowNode;
  nodes: FlowNode[];
  edges: FlowEdge[];
  problems: JourneyProblem[];
  showAll: boolean;
  options: JourneyOptions;
  tools: RuleTools;
  names: SummaryNames;
  say: Say;
  disabled: boolean;
  onData: (data: Record<string, unknown>, field?: string) => void;
  onLink: (handle: string | null, target: string | null) => void;
  onDelete: () => void;
}) {
  const type = node.type as NodeType;
  const look = nodeLook[type];
  const Icon = look.icon;
  const errors = useNodeErrors(say, type, node.data, problems, showAll);
  const Form = forms[type];
  const handles = handlesOf({ type, data: node.data });
  const label = (other: FlowNode) => `${say(`types.${other.type}`)}: ${nodeSummary({ type: other.type as NodeType, data: other.data }, say, names)}`;
  const generalProblems = problems.filter((problem) => !problem.path);

  return (
    <div className="grid gap-4" data-testid="node-panel" data-node-id={node.id}>
      <div className="flex items-start gap-3">
        <span className={cn("flex size-9 shrink-0 items-center justify-center rounded-md", look.tone)}>
          <Icon className="size-4" aria-hidden />
        </span>
        <div className="grid min-w-0 flex-1 gap-0.5">
          <h2 className="text-base font-semibold">{say(`types.${type}`)}</h2>
          <p className="text-muted-foreground text-xs">{say(`typeHints.${type}`)}</p>
        </div>
      </div>
      {generalProblems.length > 0 ? (
        <ul className="text-destructive grid gap-1 rounded-md border border-red-500/30 bg-red-500/5 p-2 text-sm" role="alert">
          {generalProblems.map((problem, index) => (
            <li key={`${problem.code}-${index}`}>{problemText(say, problem)}</li>
          ))}
        </ul>
      ) : null}
      <fieldset disabled={disabled} className="grid gap-4">
        <legend className="sr-only">{say("panel.settings")}</legend>
        {Form ? (
          <Form nodeId={node.id} data={node.data} onChange={onData} options={options} tools={tools} errors={errors} say={say} disabled={disabled} />
        ) : (
          <p className="text-muted-foreground text-sm">{say("form.exitHint")}</p>
        )}
      </fieldset>
      {handles.length > 0 ? (
        <>
          <Separator />
          <section className="grid gap-3" aria-labelledby={`${node.id}-next`}>
            <div>
              <h3 id={`${node.id}-next`} className="text-sm font-medium">
                {say(handles.length > 1 ? "panel.branches" : "panel.next")}
              </h3>
              <p className="text-muted-foreground text-xs">{say("panel.nextHint")}</p>
            </div>
            {handles.map((handle) => {
              const id = `${node.id}-link-${handle ?? "next"}`;
              const current = edges.find((edge) => edge.source === node.id && (edge.sourceHandle ?? null) === handle)?.target ?? "";
              const candidates = nodes.filter((other) => other.id === current || !connectionRefusal(nodes, edges, node.id, other.id));
              const missing = problems.some((problem) => problem.code === "branch_unconnected" && problem.params?.handle === handle);
              return (
                <div key={handle ?? "next"} className="grid gap-1.5">
                  <label htmlFor={id} className={cn("text-sm", missing && "text-destructive font-medium")}>
                    {handles.length > 1 ? handleLabel(say, handle) : say("panel.thenGoTo")}
                  </label>
                  <NativeSelect id={id} value={current} disabled={disabled} onChange={(event) => onLink(handle, event.target.value || null)} aria-invalid={missing ? true : undefined}>
                    <option value="">{say("panel.notConnected")}</option>
                    {candidates.map((other) => (
                      <option key={other.id} value={other.id}>
                        {label(other)}
                      </option>
                    ))}
                  </NativeSelect>
                </div>
              );
            })}
          </section>
        </>
      ) : null}
      {type !== "trigger" && !disabled ? (
        <>
          <Separator />
          <Button type="button" variant="outline" className="text-destructive justify-self-start" onClick={onDelete}>
            <Trash2Icon />
            {say("panel.deleteNode")}
          </Button>
        </>
      ) : null}
    </div>
  );
}
