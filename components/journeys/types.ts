import type { JourneyStatus, RunStatus } from "@/db/schema";
import type { JourneyTotals, NodeStats } from "@/lib/journeys/stats";

/** What the node forms offer to pick from, read from the workspace. */
export interface JourneyOptions {
  templates: Array<{ id: string; name: string; channel: string; ready: boolean }>;
  segments: Array<{ id: string; name: string; kind: string }>;
  eventNames: string[];
  members: Array<{ id: string; name: string | null; email: string }>;
  /** Coupon campaigns that can still issue. */
  campaigns: Array<{ id: string; name: string }>;
  attributes: Array<{ key: string; type: string }>;
  timezone: string;
}

export interface LiveStats {
  status: JourneyStatus;
  nodes: NodeStats[];
  totals: JourneyTotals;
}

/** A run as the inspector lists it (dates as ISO text). */
export interface RunView {
  id: string;
  contactId: string;
  email: string | null;
  name: string | null;
  status: RunStatus;
  version: number;
  nodeEnteredAt: string;
  waitUntil: string | null;
  enteredAt: string;
}

/** What Publish answers: the new version, or the problems that stopped it. */
export type PublishResult =
  | { published: true; version: number; status: JourneyStatus }
  | { published: false; problems: import("@/lib/journeys/validate").JourneyProblem[] };
