import dagre from "@dagrejs/dagre";
import type { Edge, Node, XYPosition } from "@xyflow/react";
import { handlesOf, type JourneyGraph, type NodeType } from "@/lib/journeys/graph";

// The stored graph is the canvas's own JSON: these convert between it and @xyflow/react's
// nodes and edges (which carry selection, measured sizes and styling that are not saved).

export type FlowNode = Node<Record<string, unknown>, NodeType>;
export type FlowEdge = Edge;

export const nodeWidth = 264;
/** The gap between rows of nodes: room for the counts a node shows under its results. */
export const rowGap = 110;
const heightOf = (node: FlowNode) => node.measured?.height ?? 96;

export function toFlow(graph: JourneyGraph): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: graph.nodes.map((node) => ({ id: node.id, type: node.type, position: { ...node.position }, data: { ...node.data }, deletable: node.type !== "trigger" })),
    edges: graph.edges.map((edge) => ({ id: edge.id, source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null })),
  };
}

export function toGraph(nodes: FlowNode[], edges: FlowEdge[]): JourneyGraph {
  return {
    nodes: nodes.map((node) => ({ id: node.id, type: node.type as NodeType, position: { x: Math.round(node.position.x), y: Math.round(node.position.y) }, data: node.data })),
    edges: edges.map((edge) => ({ id: edge.id, source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null })),
  };
}

/** The settings a node starts with when it is added: a sensible default where there is one. */
export function starterData(type: NodeType): Record<string, unknown> {
  switch (type) {
    case "trigger":
      return { kind: "event", reentry: "after_exit" };
    case "delay":
      return { mode: "duration", duration: { amount: 1, unit: "days" } };
    case "wait":
      return { for: "event", event: "", timeout: { amount: 3, unit: "days" } };
    case "split":
      return { branches: [{ key: "a", weight: 50 }, { key: "b", weight: 50 }] };
    case "update":
      return { action: "add_tag", tag: "" };
    case "reward":
      return { kind: "points", amount: 100 };
    case "webhook":
      return { url: "" };
    case "task":
      return { title: "", notify: true };
    default:
      return {};
  }
}

/** A readable id that is not taken yet: send-1, send-2, … */
export function nextNodeId(type: NodeType, nodes: Array<{ id: string }>): string {
  const taken = new Set(nodes.map((node) => node.id));
  for (let n = 1; ; n += 1) {
    const id = `${type}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function edgeId(source: string, handle: string | null | undefined, target: string): string {
  return `e-${source}-${handle ?? "next"}-${target}`;
}

/** Whether `from` reaches `to` along the edges (connecting to → from would then close a loop). */
export function reaches(edges: Array<{ source: string; target: string }>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of edges) if (edge.source === id) queue.push(edge.target);
  }
  return false;
}

/** Why a connection cannot be made, or undefined when it can. */
export function connectionRefusal(nodes: FlowNode[], edges: FlowEdge[], source: string, target: string): "self" | "intoTrigger" | "loop" | undefined {
  if (source === target) return "self";
  if (nodes.find((node) => node.id === target)?.type === "trigger") return "intoTrigger";
  if (reaches(edges, target, source)) return "loop";
  return undefined;
}

/** The edges after connecting source's handle to target: one branch leads to one node, so an earlier edge from it goes. */
export function connect(edges: FlowEdge[], source: string, handle: string | null, target: string): FlowEdge[] {
  const kept = edges.filter((edge) => !(edge.source === source && (edge.sourceHandle ?? null) === handle));
  return [...kept, { id: edgeId(source, handle, target), source, target, sourceHandle: handle }];
}

/** Drops edges whose branch no longer exists (a split that lost a branch). */
export function pruneEdges(nodes: FlowNode[], edges: FlowEdge[]): FlowEdge[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return edges.filter((edge) => {
    const source = byId.get(edge.source);
    return source && byId.has(edge.target) && handlesOf({ type: source.type as NodeType, data: source.data }).includes(edge.sourceHandle ?? null);
  });
}

/** Top-to-bottom layout (dagre), branches side by side in their handles' order. */
export function layoutNodes(nodes: FlowNode[], edges: FlowEdge[]): FlowNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "TB", nodesep: 48, ranksep: rowGap, marginx: 24, marginy: 24 });
  graph.setDefaultEdgeLabel(() => ({}));
  const size = (node: FlowNode) => ({ width: node.measured?.width ?? nodeWidth, height: heightOf(node) });
  for (const node of nodes) graph.setNode(node.id, size(node));
  const order = (edge: FlowEdge) => {
    const source = nodes.find((node) => node.id === edge.source);
    return source ? handlesOf({ type: source.type as NodeType, data: source.data }).indexOf(edge.sourceHandle ?? null) : 0;
  };
  for (const edge of [...edges].sort((a, b) => order(a) - order(b))) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    if (!placed) return node;
    const { width, height } = size(node);
    return { ...node, position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) } };
  });
}

/**
 * Where a node added from the palette goes: below the selected node, under its first branch
 * that leads nowhere yet (and connected to it); else below the lowest node; else nowhere yet
 * (the caller puts it in view).
 */
export function placement(nodes: FlowNode[], edges: FlowEdge[], type: NodeType): { position: XYPosition; link?: { source: string; handle: string | null } } | undefined {
  const selected = nodes.find((node) => node.selected);
  if (selected) {
    const handles = handlesOf({ type: selected.type as NodeType, data: selected.data });
    const free = handles.find((handle) => !edges.some((edge) => edge.source === selected.id && (edge.sourceHandle ?? null) === handle));
    const index = free === undefined ? 0 : handles.indexOf(free);
    const spread = handles.length > 1 ? (index - (handles.length - 1) / 2) * (nodeWidth + 40) : 0;
    return {
      position: { x: selected.position.x + spread, y: selected.position.y + heightOf(selected) + rowGap },
      link: free !== undefined && type !== "trigger" ? { source: selected.id, handle: free } : undefined,
    };
  }
  const lowest = nodes.reduce<FlowNode | undefined>((low, node) => (!low || node.position.y + heightOf(node) > low.position.y + heightOf(low) ? node : low), undefined);
  return lowest ? { position: { x: lowest.position.x, y: lowest.position.y + heightOf(lowest) + rowGap } } : undefined;
}
