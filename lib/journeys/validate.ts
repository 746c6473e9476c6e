import type { RuleContext } from "@/lib/segments/validate";
import { validateRule } from "@/lib/segments/validate";
import { handlesOf, nodeDataSchemas, triggerData, type JourneyGraph, type JourneyNode, type TriggerData } from "./graph";

// Publishing checks the whole graph: one trigger, every node configured and reachable, every
// branch connected, no loops, every template, segment and member it names present. Each
// problem names its node (or edge) so the canvas can mark it, with a code and params for the
// reader's language and an English message for the REST API.

export type JourneyProblemCode =
  | "no_trigger"
  | "many_triggers"
  | "node_invalid"
  | "trigger_event_missing"
  | "trigger_segment_missing"
  | "trigger_attribute_missing"
  | "trigger_form_missing"
  | "rule_invalid"
  | "unreachable"
  | "branch_unconnected"
  | "edge_dangling"
  | "edge_handle_unknown"
  | "edge_duplicate"
  | "edge_into_trigger"
  | "cycle"
  | "template_missing"
  | "segment_missing"
  | "assignee_missing"
  | "campaign_missing"
  | "attribute_not_date";

export interface JourneyProblem {
  nodeId?: string;
  edgeId?: string;
  /** Within the node's settings, e.g. "data.templateId" or "data.goal.$.and[0]". */
  path?: string;
  code: JourneyProblemCode;
  message: string;
  params?: Record<string, string | number>;
}

/** What the workspace holds that a graph may name. */
export interface JourneyContext {
  rules: RuleContext;
  templates: Map<string, { channel: string; archived: boolean }>;
  segmentIds: Set<string>;
  memberIds: Set<string>;
  /** Coupon campaigns that can still issue. */
  campaignIds: Set<string>;
}

export type GraphCheck = { ok: true; trigger: TriggerData } | { ok: false; problems: JourneyProblem[] };

function checkRuleAt(problems: JourneyProblem[], context: JourneyContext, node: JourneyNode, field: string, rule: unknown) {
  const result = validateRule(rule, context.rules);
  if (!result.ok) {
    const [first] = result.problems;
    problems.push({
      nodeId: node.id,
      path: `data.${field}${first.path.slice(1)}`,
      code: "rule_invalid",
      message: `${field}: ${first.message}`,
      params: { field, rule_code: first.code },
    });
  }
}

function checkTrigger(problems: JourneyProblem[], context: JourneyContext, node: JourneyNode, data: TriggerData) {
  const at = (code: JourneyProblemCode, message: string, path: string) => problems.push({ nodeId: node.id, path, code, message });
  if ((data.kind === "event" && !data.event?.trim())) at("trigger_event_missing", "name the event that starts the journey", "data.event");
  if (data.kind === "segment") {
    if (!data.segmentId) at("trigger_segment_missing", "pick the segment whose entrants start the journey", "data.segmentId");
    else if (!context.segmentIds.has(data.segmentId)) at("segment_missing", "the segment no longer exists", "data.segmentId");
  }
  if (data.kind === "date") {
    const type = data.attribute ? context.rules.attributes.get(data.attribute) : undefined;
    if (!data.attribute) at("trigger_attribute_missing", "pick the date attribute (a birthday, a renewal date)", "data.attribute");
    else if (type !== "date") at("attribute_not_date", `attribute "${data.attribute}" is not a date attribute`, "data.attribute");
  }
  if (data.kind === "form" && !data.formId?.trim()) at("trigger_form_missing", "pick the form whose submissions start the journey", "data.formId");
  if (data.entrySegmentId && !context.segmentIds.has(data.entrySegmentId)) at("segment_missing", "the entry filter's segment no longer exists", "data.entrySegmentId");
  if (data.where !== undefined && data.where !== null && data.kind === "event" && data.event) {
    checkRuleAt(problems, context, node, "where", { performed: { event: data.event, where: data.where } });
  }
  if (data.goal !== undefined && data.goal !== null) checkRuleAt(problems, context, node, "goal", data.goal);
  if (data.exitRule !== undefined && data.exitRule !== null) checkRuleAt(problems, context, node, "exitRule", data.exitRule);
}

function checkReferences(problems: JourneyProblem[], context: JourneyContext, node: JourneyNode) {
  const data = node.data as Record<string, unknown>;
  const missing = (code: JourneyProblemCode, message: string, path: string) => problems.push({ nodeId: node.id, path, code, message });
  if (node.type === "send") {
    const template = context.templates.get(String(data.templateId));
    if (!template) missing("template_missing", "the template no longer exists", "data.templateId");
    else if (template.archived) missing("template_missing", "the template is archived", "data.templateId");
  }
  if (node.type === "wait" && data.for === "segment" && !context.segmentIds.has(String(data.segmentId))) {
    missing("segment_missing", "the segment no longer exists", "data.segmentId");
  }
  if (node.type === "wait" && data.for === "event" && data.where !== undefined && data.where !== null) {
    checkRuleAt(problems, context, node, "where", { performed: { event: String(data.event), where: data.where } });
  }
  if (node.type === "condition") checkRuleAt(problems, context, node, "rule", data.rule);
  if (node.type === "reward" && data.kind === "coupon" && !context.campaignIds.has(String(data.campaignId))) {
    missing("campaign_missing", "the coupon campaign no longer exists or is archived", "data.campaignId");
  }
  if (node.type === "task" && !context.memberIds.has(String(data.assigneeId))) {
    missing("assignee_missing", "the member is no longer in this workspace", "data.assigneeId");
  }
}

function findCycle(graph: JourneyGraph): string | undefined {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const state = new Map<string, "open" | "done">();
  const visit = (id: string): string | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "open") return id;
    state.set(id, "open");
    for (const target of next.get(id) ?? []) {
      const found = visit(target);
      if (found) return found;
    }
    state.set(id, "done");
    return undefined;
  };
  for (const node of graph.nodes) {
    const found = visit(node.id);
    if (found) return found;
  }
  return undefined;
}

/** Checks a graph for publishing; problems come in the order a person would fix them. */
export function checkGraph(graph: JourneyGraph, context: JourneyContext): GraphCheck {
  const problems: JourneyProblem[] = [];
  const triggers = graph.nodes.filter((node) => node.type === "trigger");
  if (triggers.length === 0) return { ok: false, problems: [{ code: "no_trigger", message: "a journey needs a trigger: how contacts enter" }] };
  if (triggers.length > 1) {
    for (const node of triggers.slice(1)) problems.push({ nodeId: node.id, code: "many_triggers", message: "a journey has one trigger; remove this one" });
  }
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));

  for (const node of graph.nodes) {
    const parsed = nodeDataSchemas[node.type].safeParse(node.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = ["data", ...issue.path.map(String)].join(".");
      problems.push({ nodeId: node.id, path, code: "node_invalid", message: `${node.type}: ${path} ${issue.message}`, params: { type: node.type } });
      continue;
    }
    if (node.type === "trigger") checkTrigger(problems, context, node, parsed.data as TriggerData);
    else checkReferences(problems, context, node);
  }

  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) {
      problems.push({ edgeId: edge.id, code: "edge_dangling", message: "this connection leads nowhere" });
      continue;
    }
    if (target.type === "trigger") problems.push({ edgeId: edge.id, nodeId: target.id, code: "edge_into_trigger", message: "nothing leads back into the trigger" });
    const handle = edge.sourceHandle ?? null;
    if (!handlesOf(source).includes(handle)) {
      problems.push({ edgeId: edge.id, nodeId: source.id, code: "edge_handle_unknown", message: `${source.type} has no branch "${handle ?? "next"}"` });
    }
    const key = `${edge.source}\u0000${handle ?? ""}`;
    if (seen.has(key)) problems.push({ edgeId: edge.id, nodeId: source.id, code: "edge_duplicate", message: "one branch can lead to one node only" });
    seen.add(key);
  }

  // Every node reachable from the trigger; every branch of a branching node connected.
  const reachable = new Set<string>([triggers[0].id]);
  const queue = [triggers[0].id];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const edge of graph.edges) {
      if (edge.source === id && byId.has(edge.target) && !reachable.has(edge.target)) {
        reachable.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  for (const node of graph.nodes) {
    if (!reachable.has(node.id)) problems.push({ nodeId: node.id, code: "unreachable", message: "no path from the trigger reaches this node" });
    const handles = handlesOf(node);
    if (handles.length > 1) {
      for (const handle of handles) {
        if (!graph.edges.some((edge) => edge.source === node.id && (edge.sourceHandle ?? null) === handle)) {
          problems.push({ nodeId: node.id, code: "branch_unconnected", message: `connect the "${handle}" branch`, params: { handle: handle ?? "next" } });
        }
      }
    }
  }
  const cycle = findCycle(graph);
  if (cycle) problems.push({ nodeId: cycle, code: "cycle", message: "a path leads back to this node; journeys run forward only" });

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, trigger: triggerData.parse(triggers[0].data) };
}
