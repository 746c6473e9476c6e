import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { monitorMatches, monitors, workspaces, type Json, type Monitor, type MonitorStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { eventMatches } from "@/lib/segments/event-match";
import { loadRuleContext } from "@/lib/segments/membership";
import { validateRule } from "@/lib/segments/validate";
import { contribution, isActive } from "./evaluate";
import type { MonitorInput } from "./schema";
import { bucketOf, windowLengthMs, windowStart } from "./windows";
import { isUuid } from "@/lib/uuid";


export async function getMonitor(db: Db, workspaceId: string, monitorId: string): Promise<Monitor | undefined> {
  if (!isUuid(monitorId)) return undefined;
  const [row] = await db.select().from(monitors).where(and(eq(monitors.workspaceId, workspaceId), eq(monitors.id, monitorId)));
  return row;
}

export async function requireMonitor(db: Db, workspaceId: string, monitorId: string): Promise<Monitor> {
  const monitor = await getMonitor(db, workspaceId, monitorId);
  if (!monitor) throw new AppError("not_found", `No monitor ${monitorId} in this workspace.`);
  return monitor;
}

/** Checks the parts of a monitor that live in the workspace: the `where` rule, the segment, coupon campaigns and templates. */
async function checkReferences(db: Db, workspaceId: string, input: MonitorInput) {
  if (input.where !== undefined && input.where !== null) {
    const checked = validateRule({ performed: { event: input.event, where: input.where } }, await loadRuleContext(db, workspaceId));
    if (!checked.ok) {
      const [first] = checked.problems;
      // The rule was checked inside {performed: {event, where}}: its paths start there.
      const inside = first.path.startsWith("$.performed.where") ? first.path.slice("$.performed.where".length) : "";
      throw new AppError("validation_failed", `Invalid rule at where${inside}: ${first.message}`, [{ path: "where", message: first.message, code: first.code }]);
    }
  }
  const exists = async (table: string, id: string) =>
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)} where workspace_id = ${workspaceId} and id = ${id}::uuid`))[0].n > 0;
  if (input.segmentId && !(await exists("segments", input.segmentId))) throw new AppError("validation_failed", "The segment does not exist.", [{ path: "segmentId", message: "segment_missing" }]);
  for (const [index, action] of input.actions.entries()) {
    if (action.type === "coupon" && !(await exists("coupon_campaigns", action.campaignId))) {
      throw new AppError("validation_failed", "The coupon campaign does not exist.", [{ path: `actions.${index}.campaignId`, message: "campaign_missing" }]);
    }
    if (action.type === "message" && !(await exists("templates", action.templateId))) {
      throw new AppError("validation_failed", "The template does not exist.", [{ path: `actions.${index}.templateId`, message: "template_missing" }]);
    }
  }
}

function columns(input: MonitorInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    event: input.event,
    where: (input.where ?? null) as Json | null,
    statistic: input.statistic,
    property: input.statistic === "count" ? null : (input.property ?? null),
    threshold: input.threshold,
    window: input.window,
    segmentId: input.segmentId ?? null,
    limit: input.limit,
    activeFrom: input.activeFrom ?? null,
    activeUntil: input.activeUntil ?? null,
    actions: input.actions,
    template: input.template ?? null,
  };
}

export async function createMonitor(db: Db, workspaceId: string, input: MonitorInput, createdBy?: string | null): Promise<Monitor> {
  await checkReferences(db, workspaceId, input);
  const [row] = await db.insert(monitors).values({ workspaceId, ...columns(input), createdBy: createdBy ?? null }).returning();
  return row;
}

/** Changing what a monitor counts keeps the counters: they count events, and the rule decides which from now on. */
export async function updateMonitor(db: Db, workspaceId: string, monitorId: string, input: MonitorInput): Promise<Monitor> {
  const monitor = await requireMonitor(db, workspaceId, monitorId);
  if (monitor.status === "archived") throw new AppError("conflict", "This monitor is archived; it cannot be changed.");
  await checkReferences(db, workspaceId, input);
  const [row] = await db
    .update(monitors)
    .set({ ...columns(input), updatedAt: new Date() })
    .where(and(eq(monitors.workspaceId, workspaceId), eq(monitors.id, monitorId)))
    .returning();
  return row;
}

const transitions: Record<"activate" | "pause" | "archive", { from: MonitorStatus[]; to: MonitorStatus }> = {
  activate: { from: ["draft", "paused"], to: "active" },
  pause: { from: ["active"], to: "paused" },
  archive: { from: ["draft", "active", "paused"], to: "archived" },
};

export async function setMonitorStatus(db: Db, workspaceId: string, monitorId: string, action: keyof typeof transitions): Promise<Monitor> {
  const monitor = await requireMonitor(db, workspaceId, monitorId);
  const { from, to } = transitions[action];
  if (!from.includes(monitor.status)) throw new AppError("conflict", `This monitor is ${monitor.status}; it cannot be ${action === "activate" ? "activated" : action === "pause" ? "paused" : "archived"}.`);
  const [row] = await db.update(monitors).set({ status: to, updatedAt: new Date() }).where(and(eq(monitors.workspaceId, workspaceId), eq(monitors.id, monitorId))).returning();
  return row;
}

export async function deleteMonitor(db: Db, workspaceId: string, monitorId: string): Promise<void> {
  const monitor = await requireMonitor(db, workspaceId, monitorId);
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from monitor_matches where workspace_id = ${workspaceId} and monitor_id = ${monitor.id}`);
  if (n > 0) throw new AppError("conflict", "This monitor has matched contacts; archive it instead of deleting it.");
  await db.transaction(async (tx) => {
    await tx.delete(monitors).where(and(eq(monitors.workspaceId, workspaceId), eq(monitors.id, monitorId)));
    await tx.execute(sql`delete from monitor_counters where workspace_id = ${workspaceId} and monitor_id = ${monitorId}`);
  });
}

/** Monitors newest first, with their matches today (the workspace's day) and in all. */
export async function listMonitors(db: Db, workspaceId: string) {
  const [workspace] = await db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const today = bucketOf({ kind: "calendar", unit: "day" }, new Date(), workspace?.timezone ?? "UTC").toISOString();
  const rows = await db
    .select({
      monitor: monitors,
      today: sql<number>`(select count(*)::int from monitor_matches m where m.workspace_id = monitors.workspace_id and m.monitor_id = monitors.id and m.matched_at >= ${today}::timestamptz)`,
      total: sql<number>`(select count(*)::int from monitor_matches m where m.workspace_id = monitors.workspace_id and m.monitor_id = monitors.id)`,
    })
    .from(monitors)
    .where(eq(monitors.workspaceId, workspaceId))
    .orderBy(desc(monitors.createdAt));
  return rows.map((row) => ({ ...row.monitor, matchesToday: Number(row.today), matches: Number(row.total) }));
}

/** A monitor's newest matches, with the contact and what the actions did. */
export async function listMatches(db: Db, workspaceId: string, options: { monitorId?: string; contactId?: string; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  return queryRows<{ id: string; monitor_id: string; monitor_name: string; contact_id: string; email: string | null; value: number; results: Json; matched_at: Date | string }>(
    db,
    sql`select m.id, m.monitor_id, o.name as monitor_name, m.contact_id, c.email, m.value, m.results, m.matched_at
        from monitor_matches m
        join monitors o on o.workspace_id = m.workspace_id and o.id = m.monitor_id
        left join contacts c on c.workspace_id = m.workspace_id and c.id = m.contact_id
        where m.workspace_id = ${workspaceId}
          ${options.monitorId ? sql`and m.monitor_id = ${options.monitorId}` : sql``}
          ${options.contactId ? sql`and m.contact_id = ${options.contactId}` : sql``}
        order by m.matched_at desc limit ${limit}`,
  );
}

export interface SimulatedMatch {
  eventId: number;
  at: Date;
  value: number;
}

// "Test against a contact's history": replays the contact's past events of the monitored name
// through the same counting (buckets, window, threshold, spending, limit) in memory, and says
// when the monitor would have fired. Nothing is written.
export async function testMonitor(db: Db, workspaceId: string, input: MonitorInput, contactId: string): Promise<{ events: number; matches: SimulatedMatch[]; outsideSegment?: boolean }> {
  // A monitor for a segment counts only its members' events: outside it, nothing would fire.
  if (input.segmentId) {
    const [member] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from segment_memberships where workspace_id = ${workspaceId} and segment_id = ${input.segmentId} and contact_id = ${contactId} and exited_at is null`,
    );
    if (member.n === 0) return { events: 0, matches: [], outsideSegment: true };
  }
  const [workspace] = await db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const timeZone = workspace?.timezone ?? "UTC";
  const rows = await queryRows<{ id: string | number; properties: Record<string, Json> | null; timestamp: string | Date }>(
    db,
    sql`select id, properties, timestamp from events where workspace_id = ${workspaceId} and contact_id = ${contactId} and name = ${input.event}
        order by timestamp, id limit 10000`,
  );
  const catalogue = (await loadRuleContext(db, workspaceId)).attributes;
  const monitor = { ...columns(input) };
  const buckets = new Map<number, { value: number; distinct: Set<string> }>();
  const matches: SimulatedMatch[] = [];
  for (const row of rows) {
    const event = { id: Number(row.id), name: input.event, properties: row.properties ?? {}, timestamp: new Date(row.timestamp) };
    if (!isActive(monitor, event.timestamp)) continue;
    if (monitor.where !== null && !eventMatches(event, monitor.where, catalogue, event.timestamp)) continue;
    const added = contribution(monitor, event, timeZone);
    if (!added) continue;
    const bucket = bucketOf(monitor.window, event.timestamp, timeZone).getTime();
    const counter = buckets.get(bucket) ?? { value: 0, distinct: new Set<string>() };
    if (added.distinct !== undefined) counter.distinct.add(added.distinct);
    else counter.value += added.add;
    buckets.set(bucket, counter);
    const since = windowStart(monitor.window, event.timestamp, timeZone).getTime();
    const inWindow = [...buckets].filter(([start]) => start >= since).map(([, value]) => value);
    const value = monitor.statistic === "distinct" ? new Set(inWindow.flatMap((item) => [...item.distinct])).size : inWindow.reduce((sum, item) => sum + item.value, 0);
    if (value < monitor.threshold) continue;
    const limit = monitor.limit;
    if (limit.kind === "once" && matches.length > 0) continue;
    if (limit.kind === "at_most" && matches.length >= limit.count) continue;
    if (limit.kind === "once_per_window") {
      const last = matches.at(-1);
      if (last && monitor.window.kind === "calendar" && bucketOf(monitor.window, last.at, timeZone).getTime() === bucket) continue;
      if (last && monitor.window.kind === "rolling" && last.at.getTime() > event.timestamp.getTime() - windowLengthMs(monitor.window)) continue;
    }
    matches.push({ eventId: event.id, at: event.timestamp, value });
    for (const [start] of buckets) if (start <= bucket) buckets.set(start, { value: 0, distinct: new Set() });
  }
  return { events: rows.length, matches };
}

/** How many times the monitor fired for one contact (the profile). */
export async function contactMatches(db: Db, workspaceId: string, contactId: string) {
  return db
    .select()
    .from(monitorMatches)
    .where(and(eq(monitorMatches.workspaceId, workspaceId), eq(monitorMatches.contactId, contactId)))
    .orderBy(desc(monitorMatches.matchedAt))
    .limit(50);
}
