import { z } from "zod";

// A journey's graph is the canvas's own JSON (@xyflow/react nodes and edges), with each
// node's settings in `data`. The trigger node also carries the journey's entry policy, goal
// and exit criteria, so everything a run follows is frozen together when a version is published.

export const nodeTypes = ["trigger", "delay", "wait", "condition", "split", "send", "update", "reward", "webhook", "task", "exit"] as const;
export type NodeType = (typeof nodeTypes)[number];

export const durationUnits = ["minutes", "hours", "days"] as const;
export type DurationUnit = (typeof durationUnits)[number];

const rule = z.unknown();
const duration = z.object({ amount: z.number().int().min(1).max(100_000), unit: z.enum(durationUnits) });
export type Duration = z.infer<typeof duration>;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time_format");
const id = z.string().min(1).max(100);

export const reentryPolicies = ["never", "after_exit", "always"] as const;
export type ReentryPolicy = (typeof reentryPolicies)[number];

export const triggerKinds = ["event", "segment", "date", "form", "manual"] as const;
export type TriggerKind = (typeof triggerKinds)[number];

/** Forms submit as this event, with `form_id` among its properties. */
export const formSubmittedEvent = "Form Submitted";

export const triggerData = z.object({
  kind: z.enum(triggerKinds),
  /** event: the event name; `where` is a rule on `properties.<key>`, as in `performed`. */
  event: z.string().max(200).optional(),
  where: rule.optional(),
  /** segment: entering it enrols the contact. */
  segmentId: z.uuid().optional(),
  /** date: a date attribute (birthday, renewal), N days before (negative) or after, at a local time. */
  attribute: z.string().max(200).optional(),
  offsetDays: z.number().int().min(-365).max(365).optional(),
  time: hhmm.optional(),
  /** date: every year on the anniversary (birthdays) instead of once on the date itself. */
  yearly: z.boolean().optional(),
  /** form: the form whose submissions enrol. */
  formId: z.string().max(100).optional(),
  reentry: z.enum(reentryPolicies).default("after_exit"),
  /** Only contacts in this segment (at the moment of entry) enter. */
  entrySegmentId: z.uuid().nullish(),
  /** Reaching this rule ends a run as converted, from any node. */
  goal: rule.optional(),
  /** Meeting this rule ends a run as exited, checked on every step. */
  exitRule: rule.optional(),
});
export type TriggerData = z.infer<typeof triggerData>;

export const delayData = z.union([
  z.object({ mode: z.literal("duration"), duration }),
  /** Until the next of these weekdays (0 = Sunday) at this time, in the contact's timezone. */
  z.object({ mode: z.literal("until"), weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7), time: hhmm }),
]);
export type DelayData = z.infer<typeof delayData>;

export const waitData = z.union([
  z.object({ for: z.literal("event"), event: z.string().min(1).max(200), where: rule.optional(), timeout: duration }),
  z.object({ for: z.literal("segment"), segmentId: z.uuid(), timeout: duration }),
]);
export type WaitData = z.infer<typeof waitData>;

export const conditionData = z.object({ rule });
export type ConditionData = z.infer<typeof conditionData>;

export const splitData = z.object({
  branches: z
    .array(z.object({ key: z.string().regex(/^[a-e]$/), weight: z.number().int().min(0).max(100) }))
    .min(2)
    .max(5),
});
export type SplitData = z.infer<typeof splitData>;

export const sendData = z.object({ templateId: z.uuid() });
export type SendData = z.infer<typeof sendData>;

export const lifecycleStages = ["subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist", "other"] as const;

export const updateData = z.union([
  z.object({ action: z.literal("set_attribute"), key: z.string().min(1).max(200), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
  z.object({ action: z.literal("add_tag"), tag: z.string().min(1).max(100) }),
  z.object({ action: z.literal("remove_tag"), tag: z.string().min(1).max(100) }),
  z.object({ action: z.literal("set_lifecycle_stage"), stage: z.enum(lifecycleStages) }),
]);
export type UpdateData = z.infer<typeof updateData>;

/** Points into the contact's ledger, or a coupon from a campaign (a later send renders it as {{ coupon.code }}). */
export const rewardData = z.union([
  z.object({ kind: z.literal("points"), amount: z.number().int().min(1).max(10_000_000), expiresInDays: z.number().int().min(1).max(3650).nullish(), reason: z.string().max(200).nullish() }),
  z.object({ kind: z.literal("coupon"), campaignId: z.uuid() }),
]);
export type RewardData = z.infer<typeof rewardData>;

export const webhookData = z.object({ url: z.url({ protocol: /^https?$/ }) });
export type WebhookData = z.infer<typeof webhookData>;

export const taskData = z.object({
  title: z.string().min(1).max(200),
  /** The workspace member the task is for. */
  assigneeId: z.uuid(),
  notes: z.string().max(2000).optional(),
  /** Also email the member. */
  notify: z.boolean().default(true),
  dueInDays: z.number().int().min(0).max(365).optional(),
});
export type TaskData = z.infer<typeof taskData>;

export const exitData = z.object({});

/** Each node type's settings. */
export const nodeDataSchemas = {
  trigger: triggerData,
  delay: delayData,
  wait: waitData,
  condition: conditionData,
  split: splitData,
  send: sendData,
  update: updateData,
  reward: rewardData,
  webhook: webhookData,
  task: taskData,
  exit: exitData,
} satisfies Record<NodeType, z.ZodType>;

/** The outgoing handles each node type has: null is the single "next" handle. */
export function handlesOf(node: Pick<JourneyNode, "type" | "data">): Array<string | null> {
  switch (node.type) {
    case "condition":
      return ["yes", "no"];
    case "wait":
      return ["matched", "timeout"];
    case "split": {
      const parsed = splitData.safeParse(node.data);
      return parsed.success ? parsed.data.branches.map((branch) => branch.key) : [];
    }
    case "exit":
      return [];
    default:
      return [null];
  }
}

export const journeyNode = z.object({
  id,
  type: z.enum(nodeTypes),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type JourneyNode = z.infer<typeof journeyNode>;

export const journeyEdge = z.object({
  id,
  source: id,
  target: id,
  sourceHandle: z.string().max(50).nullish(),
});
export type JourneyEdge = z.infer<typeof journeyEdge>;

/** The graph as stored (draft and versions): the canvas saves whatever it holds, publishing checks it. */
export const journeyGraph = z
  .object({
    nodes: z.array(journeyNode).max(200),
    edges: z.array(journeyEdge).max(400),
  })
  // The canvas may save an unfinished graph, but never two nodes or two edges with one id.
  .superRefine((graph, context) => {
    for (const part of ["nodes", "edges"] as const) {
      const seen = new Set<string>();
      graph[part].forEach((item, index) => {
        if (seen.has(item.id)) context.addIssue({ code: "custom", path: [part, index, "id"], message: `Another ${part === "nodes" ? "node" : "edge"} already has the id "${item.id}".` });
        seen.add(item.id);
      });
    }
  });
export type JourneyGraph = z.infer<typeof journeyGraph>;

export function emptyGraph(): JourneyGraph {
  return { nodes: [{ id: "trigger", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", reentry: "after_exit" } }], edges: [] };
}

/** The node an edge from `source` through `handle` leads to, if any. */
export function nextNode(graph: JourneyGraph, source: string, handle: string | null): string | undefined {
  return graph.edges.find((edge) => edge.source === source && (edge.sourceHandle ?? null) === handle)?.target;
}

export function triggerOf(graph: JourneyGraph): { node: JourneyNode; data: TriggerData } | undefined {
  const node = graph.nodes.find((candidate) => candidate.type === "trigger");
  if (!node) return undefined;
  const parsed = triggerData.safeParse(node.data);
  return parsed.success ? { node, data: parsed.data } : undefined;
}

export function durationMs(value: Duration): number {
  const unit = value.unit === "minutes" ? 60_000 : value.unit === "hours" ? 3_600_000 : 86_400_000;
  return value.amount * unit;
}
