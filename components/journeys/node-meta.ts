import {
  CircleStopIcon,
  ClipboardCheckIcon,
  ClockIcon,
  GiftIcon,
  GitBranchIcon,
  HourglassIcon,
  SendIcon,
  SplitIcon,
  UserPenIcon,
  WebhookIcon,
  ZapIcon,
  type LucideIcon,
} from "lucide-react";
import type { NodeType } from "@/lib/journeys/graph";

/** Each node type's icon and colour on the canvas, the palette and the contact's path. */
export const nodeLook: Record<NodeType, { icon: LucideIcon; tone: string }> = {
  trigger: { icon: ZapIcon, tone: "bg-emerald-500/15 text-emerald-700 dark:text-emerald-300" },
  delay: { icon: ClockIcon, tone: "bg-amber-500/15 text-amber-700 dark:text-amber-300" },
  wait: { icon: HourglassIcon, tone: "bg-orange-500/15 text-orange-700 dark:text-orange-300" },
  condition: { icon: GitBranchIcon, tone: "bg-violet-500/15 text-violet-700 dark:text-violet-300" },
  split: { icon: SplitIcon, tone: "bg-fuchsia-500/15 text-fuchsia-700 dark:text-fuchsia-300" },
  send: { icon: SendIcon, tone: "bg-sky-500/15 text-sky-700 dark:text-sky-300" },
  update: { icon: UserPenIcon, tone: "bg-teal-500/15 text-teal-700 dark:text-teal-300" },
  reward: { icon: GiftIcon, tone: "bg-yellow-500/15 text-yellow-700 dark:text-yellow-300" },
  webhook: { icon: WebhookIcon, tone: "bg-slate-500/15 text-slate-700 dark:text-slate-300" },
  task: { icon: ClipboardCheckIcon, tone: "bg-indigo-500/15 text-indigo-700 dark:text-indigo-300" },
  exit: { icon: CircleStopIcon, tone: "bg-rose-500/15 text-rose-700 dark:text-rose-300" },
};

/** The palette, in the order a journey is usually drawn: timing, branching, actions, the end. */
export const paletteGroups: Array<{ key: "timing" | "branching" | "actions" | "end"; types: NodeType[] }> = [
  { key: "timing", types: ["delay", "wait"] },
  { key: "branching", types: ["condition", "split"] },
  { key: "actions", types: ["send", "update", "reward", "webhook", "task"] },
  { key: "end", types: ["exit"] },
];

/** The minimap's colour for a node type (the tone's hue). */
export const minimapColor: Record<NodeType, string> = {
  trigger: "#10b981",
  delay: "#f59e0b",
  wait: "#f97316",
  condition: "#8b5cf6",
  split: "#d946ef",
  send: "#0ea5e9",
  update: "#14b8a6",
  reward: "#eab308",
  webhook: "#64748b",
  task: "#6366f1",
  exit: "#f43f5e",
};
