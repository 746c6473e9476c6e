"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useTheme } from "next-themes";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { toast } from "sonner";
import type { JourneyStatus } from "@/db/schema";
import type { ActionState } from "@/lib/auth/action";
import { handlesOf, type JourneyGraph, type NodeType } from "@/lib/journeys/graph";
import type { JourneyProblem } from "@/lib/journeys/validate";
import { EditorToolbar, type EditorMode } from "./editor-toolbar";
import { connect, connectionRefusal, layoutNodes, nextNodeId, nodeWidth, pruneEdges, starterData, toFlow, toGraph, type FlowEdge, type FlowNode } from "./flow";
import { Inspector, type RunsAction } from "./inspector";
import { CanvasContext, flowNodeTypes, type CanvasView } from "./journey-node";
import { JourneySettings } from "./journey-settings";
import { NodePanel } from "./node-panel";
import { nodeSummary, type Say } from "./node-summary";
import { Palette, dragType } from "./palette";
import type { RuleTools } from "./rule-field";
import { TotalsBar } from "./totals-bar";
import type { JourneyOptions, LiveStats, PublishResult } from "./types";
import { useHistory } from "./use-history";

type Action<T = unknown> = (previous: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

export interface EditorActions {
  save: Action<{ updatedAt: string }>;
  publish: Action<PublishResult>;
  check: Action<{ problems: JourneyProblem[] }>;
  pause: Action;
  resume: Action;
  archive: Action;
  remove: Action;
  stats: Action<LiveStats>;
  runs: RunsAction;
}

export interface EditorJourney {
  id: string;
  name: string;
  description: string | null;
  status: JourneyStatus;
  version: number | null;
  graph: JourneyGraph;
}

interface EditorProps {
  workspaceId: string;
  slug: string;
  journey: EditorJourney;
  options: JourneyOptions;
  canEdit: boolean;
  initialStats: LiveStats | null;
  rules: Pick<RuleTools, "catalogue" | "preview">;
  actions: EditorActions;
}

/** The journey canvas: build the draft (palette, connections, settings, undo, layout, save, publish) or read its results. */
export function JourneyEditor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

function Editor({ workspaceId, slug, journey, options, canEdit, initialStats, rules, actions }: EditorProps) {
  const t = useTranslations("journeys");
  const say = t as unknown as Say;
  const format = useFormatter();
  const router = useRouter();
  const { resolvedTheme } = useTheme();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const wrapper = useRef<HTMLDivElement>(null);

  const [initial] = useState(() => toFlow(journey.graph));
  const [nodes, setNodes] = useState<FlowNode[]>(initial.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(initial.edges);
  const [name, setName] = useState(journey.name);
  const [description, setDescription] = useState(journey.description ?? "");
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<JourneyProblem[] | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [mode, setMode] = useState<EditorMode>(journey.version !== null && journey.status !== "draft" ? "results" : "build");
  const [polled, setPolled] = useState<LiveStats | null>(null);
  const [stale, setStale] = useState(false);
  const [inspected, setInspected] = useState<string | null>(null);
  const stats = polled ?? initialStats;
  const editable = canEdit && journey.status !== "archived" && mode === "build";
  const base = `/w/${slug}/journeys`;

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
      const selected = all.find((node) => node.selected);
      let position = at;
      let link: { source: string; handle: string | null } | undefined;
      if (!position && selected) {
        // Below the selected node, under its first branch that leads nowhere yet, and connected to it.
        const handles = handlesOf({ type: selected.type as NodeType, data: selected.data });
        const free = handles.find((handle) => !links.some((edge) => edge.source === selected.id && (edge.sourceHandle ?? null) === handle));
        const index = free === undefined ? 0 : handles.indexOf(free);
        const spread = handles.length > 1 ? (index - (handles.length - 1) / 2) * (nodeWidth + 40) : 0;
        position = { x: selected.position.x + spread, y: selected.position.y + (selected.measured?.height ?? 96) + 72 };
        if (free !== undefined && type !== "trigger") link = { source: selected.id, handle: free };
      }
      if (!position) {
        const box = wrapper.current?.getBoundingClientRect();
        const center = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
        position = { x: center.x - nodeWidth / 2, y: center.y };
      }
      const node: FlowNode = { id, type, position, data: starterData(type), selected: true, deletable: type !== "trigger" };
      setNodes((current) => [...current.map((other) => (other.selected ? { ...other, selected: false } : other)), node]);
      setEdges((current) => (link ? connect(current, link.source, link.handle, id) : current.map((edge) => (edge.selected ? { ...edge, selected: false } : edge))));
      setDirty(true);
    },
    [flow, record],
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
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 300 }));
  }, [flow, record]);

  const formOf = useCallback(() => {
    const form = new FormData();
    form.set("workspaceId", workspaceId);
    form.set("id", journey.id);
    form.set("name", name);
    form.set("description", description);
    form.set("graph", JSON.stringify(toGraph(latest.current.nodes, latest.current.edges)));
    return form;
  }, [workspaceId, journey.id, name, description]);

  const failed = useCallback(
    (result: ActionState<unknown>) => {
      if (!result || result.ok) return;
      setFieldErrors(result.fieldErrors ?? {});
      const field = Object.values(result.fieldErrors ?? {})[0];
      toast.error(field && t.has(`errors.${field}`) ? t(`errors.${field}`) : result.error);
    },
    [t],
  );

  const save = useCallback(async () => {
    if (busy) return;
    setBusy("save");
    const result = await actions.save(null, formOf()).catch(() => null);
    setBusy(null);
    if (result?.ok) {
      setDirty(false);
      setFieldErrors({});
      toast.success(t("toast.saved"));
    } else if (result) failed(result);
    else toast.error(t("toast.failed"));
  }, [actions, busy, failed, formOf, t]);

  const lastChecked = useRef("");
  const publish = useCallback(async () => {
    setBusy("publish");
    const form = formOf();
    const result = await actions.publish(null, form).catch(() => null);
    setBusy(null);
    if (!result) return toast.error(t("toast.failed"));
    if (!result.ok || !result.data) return failed(result);
    setDirty(false);
    setFieldErrors({});
    if (result.data.published) {
      setProblems(null);
      setShowAll(false);
      toast.success(t("toast.published", { version: result.data.version }));
      router.refresh();
    } else {
      lastChecked.current = String(form.get("graph"));
      setProblems(result.data.problems);
      setShowAll(true);
      setInspected(null);
      toast.error(t("toast.notPublished", { count: result.data.problems.length }));
    }
  }, [actions, failed, formOf, router, t]);

  const changeStatus = useCallback(
    async (what: "pause" | "resume" | "archive" | "remove") => {
      setBusy(what);
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("id", journey.id);
      const result = await actions[what](null, form).catch(() => null);
      setBusy(null);
      if (!result?.ok) return result ? failed(result) : toast.error(t("toast.failed"));
      toast.success(t(`toast.${what}`));
      if (what === "remove") router.push(base);
      else router.refresh();
    },
    [actions, base, failed, journey.id, router, t, workspaceId],
  );

  // Once problems are shown, they are checked again as the canvas changes, so they clear as they are fixed.
  const graphText = useMemo(() => JSON.stringify(toGraph(nodes, edges)), [nodes, edges]);
  const checking = canEdit && problems !== null && problems.length > 0;
  useEffect(() => {
    if (!checking || graphText === lastChecked.current) return;
    const timer = setTimeout(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("graph", graphText);
      const result = await actions.check(null, form).catch(() => null);
      if (result?.ok && result.data) {
        lastChecked.current = graphText;
        setProblems(result.data.problems);
      }
    }, 600);
    return () => clearTimeout(timer);
  }, [checking, graphText, actions, workspaceId]);

  // Counts are asked again every few seconds while the journey runs and its results are shown.
  const polling = mode === "results" && journey.version !== null && journey.status === "active";
  useEffect(() => {
    if (mode !== "results" || journey.version === null) return;
    let stopped = false;
    const poll = async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("id", journey.id);
      const result = await actions.stats(null, form).catch(() => null);
      if (stopped) return;
      setStale(!result?.ok);
      if (result?.ok && result.data) setPolled(result.data);
    };
    void poll();
    if (!polling) return () => void (stopped = true);
    const timer = setInterval(poll, 4000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [mode, polling, journey.version, journey.id, workspaceId, actions]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!editable || isTyping(event.target)) return;
      const command = event.ctrlKey || event.metaKey;
      if (!command) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) history.undo();
      else if ((key === "z" && event.shiftKey) || key === "y") history.redo();
      else if (key === "s") void save();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editable, history, save]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const names = useMemo(
    () => ({
      templates: new Map(options.templates.map((template) => [template.id, template.name])),
      segments: new Map(options.segments.map((segment) => [segment.id, segment.name])),
      members: new Map(options.members.map((member) => [member.id, member.name ?? member.email])),
    }),
    [options],
  );
  const shownProblems = useMemo(() => (mode === "build" ? (problems ?? []) : []), [mode, problems]);
  const problemsByNode = useMemo(() => {
    const map = new Map<string, JourneyProblem[]>();
    for (const problem of shownProblems) if (problem.nodeId) map.set(problem.nodeId, [...(map.get(problem.nodeId) ?? []), problem]);
    return map;
  }, [shownProblems]);
  const view = useMemo<CanvasView>(
    () => ({
      say,
      names,
      problems: problemsByNode,
      stats: mode === "results" && stats ? new Map(stats.nodes.map((node) => [node.nodeId, node])) : null,
      formatNumber: (value) => format.number(value),
      formatPercent: (value) => format.number(value, { style: "percent", maximumFractionDigits: 1 }),
    }),
    [say, names, problemsByNode, mode, stats, format],
  );
  const problemEdges = useMemo(() => new Set(shownProblems.map((problem) => problem.edgeId).filter(Boolean)), [shownProblems]);
  const shownEdges = useMemo(
    () => edges.map((edge) => (problemEdges.has(edge.id) ? { ...edge, animated: true, style: { stroke: "var(--destructive)", strokeWidth: 2 } } : edge)),
    [edges, problemEdges],
  );

  const selected = nodes.filter((node) => node.selected);
  const single = selected.length === 1 ? selected[0] : undefined;
  const inspectedNode = inspected ? nodes.find((node) => node.id === inspected) : undefined;
  const hasTrigger = nodes.some((node) => node.type === "trigger");
  const tools: RuleTools = useMemo(() => ({ workspaceId, slug, ...rules }), [workspaceId, slug, rules]);

  const focusNode = useCallback(
    (id: string) => {
      setNodes((current) => current.map((node) => ({ ...node, selected: node.id === id })));
      const node = latest.current.nodes.find((candidate) => candidate.id === id);
      if (node) void flow.setCenter(node.position.x + nodeWidth / 2, node.position.y + 48, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
    },
    [flow],
  );

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="journey-editor" data-mode={mode}>
      <EditorToolbar
        backHref={base}
        name={name}
        status={journey.status}
        version={journey.version}
        mode={mode}
        onMode={(next) => {
          setMode(next);
          setInspected(null);
        }}
        canEdit={canEdit}
        dirty={dirty}
        busy={busy}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        onUndo={history.undo}
        onRedo={history.redo}
        onLayout={layout}
        onSave={() => void save()}
        onPublish={() => void publish()}
        onStatus={(what) => void changeStatus(what)}
      />
      {mode === "results" && stats ? <TotalsBar totals={stats.totals} live={polling} stale={stale} /> : null}
      {journey.status === "paused" ? (
        <p className="border-b bg-amber-500/10 px-4 py-2 text-sm text-amber-800 dark:text-amber-300" data-testid="journey-paused">
          {t("editor.pausedNote")}
        </p>
      ) : null}
      <div className="flex min-h-0 flex-1">
        {editable ? <Palette withTrigger={!hasTrigger} onAdd={(type) => addNode(type)} /> : null}
        <div
          ref={wrapper}
          className="relative min-w-0 flex-1"
          onDragOver={(event) => {
            if (!editable || !event.dataTransfer.types.includes(dragType)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
          }}
          onDrop={(event) => {
            const type = event.dataTransfer.getData(dragType) as NodeType;
            if (!editable || !type) return;
            event.preventDefault();
            const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
            addNode(type, { x: point.x - nodeWidth / 2, y: point.y - 24 });
          }}
          data-testid="journey-canvas"
        >
          <CanvasContext.Provider value={view}>
            <ReactFlow<FlowNode, FlowEdge>
              nodes={nodes}
              edges={shownEdges}
              nodeTypes={flowNodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              isValidConnection={isValidConnection}
              onNodeDragStart={() => {
                dragging.current = true;
                record();
              }}
              onNodeDragStop={() => {
                dragging.current = false;
              }}
              onNodeClick={(_, node) => {
                if (mode === "results") setInspected(node.id);
              }}
              onPaneClick={() => setInspected(null)}
              nodesDraggable={editable}
              nodesConnectable={editable}
              edgesFocusable={editable}
              deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
              defaultEdgeOptions={{ type: "smoothstep" }}
              colorMode={resolvedTheme === "dark" ? "dark" : "light"}
              fitView
              fitViewOptions={{ padding: 0.25, maxZoom: 1 }}
              minZoom={0.2}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} />
              <Controls showInteractive={false} />
              <MiniMap pannable zoomable className="hidden md:block" />
            </ReactFlow>
          </CanvasContext.Provider>
        </div>
        <aside className="bg-background w-[22rem] shrink-0 overflow-y-auto border-l p-4" aria-label={t("panel.label")} data-testid="journey-panel">
          {mode === "results" ? (
            inspectedNode ? (
              <Inspector
                key={inspectedNode.id}
                workspaceId={workspaceId}
                journeyId={journey.id}
                slug={slug}
                timeZone={options.timezone}
                node={{ id: inspectedNode.id, type: inspectedNode.type as NodeType }}
                summary={nodeSummary({ type: inspectedNode.type as NodeType, data: inspectedNode.data }, say, names)}
                stats={stats?.nodes.find((node) => node.nodeId === inspectedNode.id)}
                load={actions.runs}
              />
            ) : (
              <div className="text-muted-foreground grid gap-2 text-sm" data-testid="results-help">
                <h2 className="text-foreground text-base font-semibold">{t("results.title")}</h2>
                <p>{t("results.help")}</p>
                <p>{t("results.legend")}</p>
              </div>
            )
          ) : single ? (
            <NodePanel
              key={single.id}
              node={single}
              nodes={nodes}
              edges={edges}
              problems={problemsByNode.get(single.id) ?? []}
              showAll={showAll}
              options={options}
              tools={tools}
              names={names}
              say={say}
              disabled={!editable}
              onData={(data, field) => updateData(single.id, data, field)}
              onLink={(handle, target) => link(single.id, handle, target)}
              onDelete={() => void flow.deleteElements({ nodes: [{ id: single.id }] })}
            />
          ) : (
            <JourneySettings
              name={name}
              description={description}
              onName={(value) => {
                setName(value);
                setDirty(true);
              }}
              onDescription={(value) => {
                setDescription(value);
                setDirty(true);
              }}
              errors={fieldErrors}
              disabled={!editable}
              problems={shownProblems}
              nodeTypes={new Map(nodes.map((node) => [node.id, node.type as NodeType]))}
              onSelectProblem={focusNode}
            />
          )}
        </aside>
      </div>
    </div>
  );
}
