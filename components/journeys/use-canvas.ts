"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { useTranslations } from "next-intl";
import { applyEdgeChanges, applyNodeChanges, useReactFlow, type Connection, type EdgeChange, type NodeChange, type XYPosition } from "@xyflow/react";
import { toast } from "sonner";
import type { JourneyGraph, NodeType } from "@/lib/journeys/graph";
import { connect, connectionRefusal, layoutNodes, nextNodeId, nodeWidth, placement, pruneEdges, starterData, toFlow, type FlowEdge, type FlowNode } from "./flow";
import { useHistory } from "./use-history";

/**
 * The canvas's nodes and edges and every edit to them (React Flow's changes, connecting,
 * adding from the palette, settings, links from the side panel, layout), each recorded for
 * undo, and whether anything changed since the last save.
 */
export function useCanvas(graph: JourneyGraph, wrapper: RefObject<HTMLDivElement | null>) {
  const t = useTranslations("journeys");
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const [initial] = useState(() => toFlow(graph));
  const [nodes, setNodes] = useState<FlowNode[]>(initial.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(initial.edges);
  const [dirty, setDirty] = useState(false);

  // History reads and restores the canvas through a ref that always holds the latest state.
  const latest = useRef({ nodes, edges });
  useEffect(() => {
    latest.current = { nodes, edges };
  }, [nodes, edges]);
  const current = useCallback(() => latest.current, []);
  const restore = useCallback((snapshot: { nodes: FlowNode[]; edges: FlowEdge[] }) => {
    setNodes(snapshot.nodes.map((node) => ({ ...node, selected: false })));
    setEdges(snapshot.edges);
    setDirty(true);
  }, []);
  const history = useHistory(current, restore);
  const { record, recordOnce } = history;
  const dragging = useRef(false);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      if (changes.some((change) => change.type === "remove")) recordOnce();
      // A move by keyboard (arrow keys) is one undo step per burst; a drag is recorded when it starts.
      if (!dragging.current && changes.some((change) => change.type === "position")) record("keyboard-move");
      if (changes.some((change) => change.type === "remove" || change.type === "add" || change.type === "position")) setDirty(true);
      setNodes((current) => applyNodeChanges(changes, current));
    },
    [record, recordOnce],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      if (changes.some((change) => change.type === "remove")) {
        recordOnce();
        setDirty(true);
      }
      setEdges((current) => applyEdgeChanges(changes, current));
    },
    [recordOnce],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      const refusal = connectionRefusal(latest.current.nodes, latest.current.edges, connection.source, connection.target);
      if (refusal) {
        toast.error(t(`connect.${refusal}`));
        return;
      }
      record();
      setEdges((current) => connect(current, connection.source, connection.sourceHandle ?? null, connection.target));
      setDirty(true);
    },
    [record, t],
  );

  const isValidConnection = useCallback(
    (connection: { source: string; target: string }) => !connectionRefusal(latest.current.nodes, latest.current.edges, connection.source, connection.target),
    [],
  );

  const addNode = useCallback(
    (type: NodeType, at?: XYPosition) => {
      const { nodes: all, edges: links } = latest.current;
      if (type === "trigger" && all.some((node) => node.type === "trigger")) return;
      record();
      const id = nextNodeId(type, all);
      const placed = at ? { position: at } : placement(all, links, type);
      const box = wrapper.current?.getBoundingClientRect();
      const center = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
      const position = placed?.position ?? { x: center.x - nodeWidth / 2, y: center.y };
      const link = placed && "link" in placed ? placed.link : undefined;
      // Brought into view when it lands outside it.
      const onScreen = flow.flowToScreenPosition(position);
      if (box && (onScreen.x < box.left || onScreen.x > box.right - 100 || onScreen.y < box.top || onScreen.y > box.bottom - 60)) {
        requestAnimationFrame(() => void flow.setCenter(position.x + nodeWidth / 2, position.y + 48, { zoom: flow.getZoom(), duration: 250 }));
      }
      const node: FlowNode = { id, type, position, data: starterData(type), selected: true, deletable: type !== "trigger" };
      setNodes((current) => [...current.map((other) => (other.selected ? { ...other, selected: false } : other)), node]);
      setEdges((current) => (link ? connect(current, link.source, link.handle, id) : current.map((edge) => (edge.selected ? { ...edge, selected: false } : edge))));
      setDirty(true);
    },
    [flow, record, wrapper],
  );

  const updateData = useCallback(
    (id: string, data: Record<string, unknown>, field?: string) => {
      record(field ? `${id}:${field}` : undefined);
      const next = latest.current.nodes.map((node) => (node.id === id ? { ...node, data } : node));
      setNodes(next);
      setEdges((current) => pruneEdges(next, current));
      setDirty(true);
    },
    [record],
  );

  const link = useCallback(
    (source: string, handle: string | null, target: string | null) => {
      record();
      setEdges((current) => (target ? connect(current, source, handle, target) : current.filter((edge) => !(edge.source === source && (edge.sourceHandle ?? null) === handle))));
      setDirty(true);
    },
    [record],
  );

  const layout = useCallback(() => {
    record();
    setNodes(layoutNodes(latest.current.nodes, latest.current.edges));
    setDirty(true);
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 300, maxZoom: 1 }));
  }, [flow, record]);

  const onNodeDragStart = useCallback(() => {
    dragging.current = true;
    record();
  }, [record]);
  const onNodeDragStop = useCallback(() => {
    dragging.current = false;
  }, []);

  return {
    nodes,
    edges,
    setNodes,
    latest,
    dirty,
    setDirty,
    history,
    onNodesChange,
    onEdgesChange,
    onConnect,
    isValidConnection,
    onNodeDragStart,
    onNodeDragStop,
    addNode,
    updateData,
    link,
    layout,
  };
}
