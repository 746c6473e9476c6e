"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { useTheme } from "next-themes";
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type { JourneyStatus } from "@/db/schema";
import type { JourneyGraph, NodeType } from "@/lib/journeys/graph";
import type { JourneyProblem } from "@/lib/journeys/validate";
import { EditorToolbar, type EditorMode } from "./editor-toolbar";
import { nodeWidth, toGraph, type FlowEdge, type FlowNode } from "./flow";
import { Inspector } from "./inspector";
import { CanvasContext, flowNodeTypes, type CanvasView } from "./journey-node";
import { JourneySettings } from "./journey-settings";
import { NodePanel } from "./node-panel";
import { nodeSummary, type Say } from "./node-summary";
import { Palette, dragType } from "./palette";
import type { RuleTools } from "./rule-field";
import { minimapColor } from "./node-meta";
import { TotalsBar } from "./totals-bar";
import type { JourneyOptions, LiveStats } from "./types";
import { useCanvas } from "./use-canvas";
import { useJourneyServer, type EditorActions } from "./use-journey-server";

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
  const { resolvedTheme } = useTheme();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const wrapper = useRef<HTMLDivElement>(null);

  const canvas = useCanvas(journey.graph, wrapper);
  const { nodes, edges, setNodes, latest, dirty, setDirty, history, addNode } = canvas;
  const [name, setName] = useState(journey.name);
  const [description, setDescription] = useState(journey.description ?? "");
  const [mode, setMode] = useState<EditorMode>(journey.version !== null && journey.status !== "draft" ? "results" : "build");
  const [inspected, setInspected] = useState<string | null>(null);
  const editable = canEdit && journey.status !== "archived" && mode === "build";
  const base = `/w/${slug}/journeys`;

  const formOf = useCallback(() => {
    const form = new FormData();
    form.set("workspaceId", workspaceId);
    form.set("id", journey.id);
    form.set("name", name);
    form.set("description", description);
    form.set("graph", JSON.stringify(toGraph(latest.current.nodes, latest.current.edges)));
    return form;
  }, [workspaceId, journey.id, name, description, latest]);

  const graphText = useMemo(() => JSON.stringify(toGraph(nodes, edges)), [nodes, edges]);
  const server = useJourneyServer({
    workspaceId,
    journey,
    actions,
    canEdit,
    formOf,
    graphText,
    showResults: mode === "results",
    initialStats,
    onSaved: useCallback(() => setDirty(false), [setDirty]),
  });
  const { save, problems, stats } = server;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const command = event.ctrlKey || event.metaKey;
      if (!editable || !command) return;
      const key = event.key.toLowerCase();
      // Save works from anywhere; undo and redo leave a text field's own undo alone.
      if (key !== "s" && isTyping(event.target)) return;
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
      campaigns: new Map(options.campaigns.map((campaign) => [campaign.id, campaign.name])),
    }),
    [options],
  );
  const shownProblems = useMemo(() => (mode === "build" ? (problems ?? []) : []), [mode, problems]);
  const problemsByNode = useMemo(() => {
    const map = new Map<string, JourneyProblem[]>();
    for (const problem of shownProblems) if (problem.nodeId) map.set(problem.nodeId, [...(map.get(problem.nodeId) ?? []), problem]);
    return map;
  }, [shownProblems]);
  const goal = nodes.find((node) => node.type === "trigger")?.data.goal;
  const hasGoal = goal !== undefined && goal !== null;
  const view = useMemo<CanvasView>(
    () => ({
      say,
      names,
      problems: problemsByNode,
      hasGoal,
      stats: mode === "results" && stats ? new Map(stats.nodes.map((node) => [node.nodeId, node])) : null,
      formatNumber: (value) => format.number(value),
      formatPercent: (value) => format.number(value, { style: "percent", maximumFractionDigits: 1 }),
    }),
    [say, names, problemsByNode, hasGoal, mode, stats, format],
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
      const node = nodes.find((candidate) => candidate.id === id);
      if (node) void flow.setCenter(node.position.x + nodeWidth / 2, node.position.y + 48, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
    },
    [flow, nodes, setNodes],
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
        busy={server.busy}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        onUndo={history.undo}
        onRedo={history.redo}
        onLayout={canvas.layout}
        onSave={() => void save()}
        onPublish={() => {
          setInspected(null);
          void server.publish();
        }}
        onStatus={(what) => void server.changeStatus(what, slug)}
      />
      {mode === "results" && stats ? <TotalsBar totals={stats.totals} live={server.polling} stale={server.stale} /> : null}
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
              onNodesChange={canvas.onNodesChange}
              onEdgesChange={canvas.onEdgesChange}
              onConnect={canvas.onConnect}
              isValidConnection={canvas.isValidConnection}
              onNodeDragStart={canvas.onNodeDragStart}
              onNodeDragStop={canvas.onNodeDragStop}
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
              <MiniMap pannable zoomable className="hidden md:block" nodeColor={(node) => minimapColor[node.type as NodeType] ?? "#94a3b8"} nodeBorderRadius={6} />
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
              showAll={server.showAll}
              options={options}
              tools={tools}
              names={names}
              say={say}
              disabled={!editable}
              onData={(data, field) => canvas.updateData(single.id, data, field)}
              onLink={(handle, target) => canvas.link(single.id, handle, target)}
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
              errors={server.fieldErrors}
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
