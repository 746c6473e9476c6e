import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { JsonObject, RunStatus } from "@/db/schema";
import { getBoss } from "@/jobs/boss";
import { localMomentIn } from "@/lib/broadcasts/schedule";
import { AppError } from "@/lib/errors";
import { queueMessageRows, type QueuedFields, type QueuedRow } from "@/lib/messages/queue-many";
import { getTemplateVersion } from "@/lib/messages/templates";
import { issueCoupon } from "@/lib/rewards/coupons";
import { changePoints } from "@/lib/rewards/points";
import { matchingContactsQuery } from "@/lib/segments/compile";
import { loadRuleContext, refreshContacts, type ContactChanges } from "@/lib/segments/membership";
import type { Condition } from "@/lib/segments/rule";
import { validateRule, type RuleContext } from "@/lib/segments/validate";
import { taskNotifications } from "@/lib/tasks/notify";
import { versionGraph } from "./enrol";
import {
  delayData,
  durationMs,
  nextNode,
  rewardData,
  splitData,
  taskData,
  triggerOf,
  updateData,
  waitData,
  webhookData,
  type JourneyGraph,
  type JourneyNode,
} from "./graph";

// The journey engine. One call claims a batch of due runs (FOR UPDATE SKIP LOCKED, so any
// number of workers share the work) and moves each as far as it can go now, in one
// transaction: runs at the same node move together (one query decides a condition for all of
// them, one INSERT queues their messages), and the runs' new positions and their steps are
// written in one statement each. A crash rolls the whole batch back; every side effect carries
// the key (run, node, step) under a unique index, so the batch done again sends nothing twice.

const maxRounds = 100;

interface ClaimedRun {
  id: string;
  workspace_id: string;
  journey_id: string;
  version: number;
  contact_id: string;
  node_id: string;
  node_entered_at: string | Date;
  status: RunStatus;
  wait_until: string | Date | null;
  resume_handle: string | null;
  steps: number;
  entry: JsonObject;
}

interface RunState {
  run: ClaimedRun;
  graph: JourneyGraph;
  nodeId: string;
  arrivedAt: Date;
  status: RunStatus;
  /** At the node because it was waiting there (resumed), not just arrived. */
  resumed: boolean;
  resumeHandle: string | null;
  waitUntil: Date | null;
  dueAt: Date | null;
  waitEvent: string | null;
  waitSegmentId: string | null;
  steps: number;
  endReason: string | null;
  moving: boolean;
}

interface StepRow {
  run_id: string;
  journey_id: string;
  workspace_id: string;
  node_id: string;
  outcome: "completed" | "failed";
  handle: string | null;
  detail: JsonObject | null;
  arrived_at: string;
  left_at: string;
}

export interface AdvanceOptions {
  now?: Date;
  /** Runs claimed per transaction. */
  limit?: number;
  workspaceId?: string;
  /** Only these contacts' runs (event.process moves the runs its events made due, not the backlog). */
  contactIds?: string[];
}

export interface AdvanceResult {
  runs: number;
  steps: number;
  sent: number;
}

const ruleCache = new Map<string, { ok: true; condition: Condition } | { ok: false }>();

function compiledRule(key: string, rule: unknown, context: RuleContext) {
  let cached = ruleCache.get(key);
  if (!cached) {
    const result = validateRule(rule, context);
    cached = result.ok ? { ok: true, condition: result.condition } : { ok: false };
    if (ruleCache.size > 5000) ruleCache.clear();
    ruleCache.set(key, cached);
  }
  return cached;
}

/** A uniform number in [0, 1) from the contact and node: the same contact always takes the same branch. */
export function stickyDraw(journeyId: string, nodeId: string, contactId: string): number {
  return createHash("md5").update(`${journeyId}:${nodeId}:${contactId}`).digest().readUInt32BE(0) / 4294967296;
}

function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The next moment after `now` that is one of these weekdays at this time in the zone. */
export function nextLocalWeekdayTime(now: Date, weekdays: number[], time: string, timeZone: string): Date {
  const today = new Date(`${localDate(now, timeZone)}T00:00:00Z`);
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(today.getTime() + offset * 86_400_000);
    if (!weekdays.includes(day.getUTCDay())) continue;
    const moment = localMomentIn(`${day.toISOString().slice(0, 10)}T${time}`, timeZone);
    if (moment > now) return moment;
  }
  return new Date(now.getTime() + 7 * 86_400_000);
}

function idList(ids: string[]) {
  return sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
}

class Batch {
  readonly steps: StepRow[] = [];
  /** Contacts a node changed, and what about them, for the real-time segment check after commit. */
  readonly changed = { contacts: new Set<string>(), changes: { events: new Set(), attributes: new Set(), fields: new Set(), tags: false, created: new Set() } as ContactChanges };
  sent = 0;
  private ruleContext?: RuleContext;
  private timezones?: Map<string, string | null>;
  private workspaceZones = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly now: Date,
  ) {}

  async rules(workspaceId: string): Promise<RuleContext> {
    this.ruleContext ??= await loadRuleContext(this.db, workspaceId);
    return this.ruleContext;
  }

  leave(state: RunState, handle: string | null, detail: JsonObject | null = null) {
    this.steps.push({
      run_id: state.run.id,
      journey_id: state.run.journey_id,
      workspace_id: state.run.workspace_id,
      node_id: state.nodeId,
      outcome: "completed",
      handle,
      detail,
      arrived_at: state.arrivedAt.toISOString(),
      left_at: this.now.toISOString(),
    });
    state.steps++;
    state.resumed = false;
    state.resumeHandle = null;
    state.waitUntil = null;
    state.waitEvent = null;
    state.waitSegmentId = null;
    const next = nextNode(state.graph, state.nodeId, handle);
    if (!next) {
      this.end(state, "completed", "end");
      return;
    }
    state.nodeId = next;
    state.arrivedAt = this.now;
  }

  fail(state: RunState, reason: string) {
    this.steps.push({
      run_id: state.run.id,
      journey_id: state.run.journey_id,
      workspace_id: state.run.workspace_id,
      node_id: state.nodeId,
      outcome: "failed",
      handle: null,
      detail: { reason },
      arrived_at: state.arrivedAt.toISOString(),
      left_at: this.now.toISOString(),
    });
    state.steps++;
    this.end(state, "failed", reason);
  }

  end(state: RunState, status: RunStatus, reason: string) {
    state.status = status;
    state.endReason = reason;
    state.moving = false;
    state.dueAt = null;
  }

  park(state: RunState, until: Date | null, wait: { event?: string; segmentId?: string } = {}) {
    state.status = "waiting";
    state.moving = false;
    state.waitUntil = until;
    state.dueAt = until;
    state.waitEvent = wait.event ?? null;
    state.waitSegmentId = wait.segmentId ?? null;
  }

  noteChange(contactId: string, change: (changes: ContactChanges) => void) {
    this.changed.contacts.add(contactId);
    change(this.changed.changes);
  }

  async timezoneOf(workspaceId: string, contactIds: string[]): Promise<Map<string, string>> {
    if (!this.timezones) this.timezones = new Map();
    const missing = contactIds.filter((id) => !this.timezones!.has(id));
    if (missing.length > 0) {
      const rows = await queryRows<{ id: string; timezone: string | null }>(
        this.db,
        sql`select c.id, z.name as timezone from contacts c left join pg_timezone_names z on z.name = c.timezone
            where c.workspace_id = ${workspaceId} and c.id in (${idList(missing)})`,
      );
      for (const row of rows) this.timezones.set(row.id, row.timezone);
    }
    let fallback = this.workspaceZones.get(workspaceId);
    if (!fallback) {
      const [row] = await queryRows<{ timezone: string }>(this.db, sql`select timezone from workspaces where id = ${workspaceId}`);
      fallback = row?.timezone ?? "UTC";
      this.workspaceZones.set(workspaceId, fallback);
    }
    return new Map(contactIds.map((id) => [id, this.timezones!.get(id) ?? fallback!]));
  }

  // ── Nodes: each takes every run at one node of one version and moves them on. ──

  async node(node: JourneyNode, states: RunState[]) {
    const ws = states[0].run.workspace_id;
    switch (node.type) {
      case "trigger":
        for (const state of states) this.leave(state, null);
        return;
      case "exit":
        for (const state of states) {
          this.steps.push({
            run_id: state.run.id,
            journey_id: state.run.journey_id,
            workspace_id: ws,
            node_id: state.nodeId,
            outcome: "completed",
            handle: null,
            detail: null,
            arrived_at: state.arrivedAt.toISOString(),
            left_at: this.now.toISOString(),
          });
          state.steps++;
          this.end(state, "completed", "exit");
        }
        return;
      case "delay":
        return this.delay(node, states, ws);
      case "wait":
        return this.wait(node, states, ws);
      case "condition":
        return this.condition(node, states, ws);
      case "split": {
        const { branches } = splitData.parse(node.data);
        const total = branches.reduce((sum, branch) => sum + branch.weight, 0) || 1;
        for (const state of states) {
          const drawn = stickyDraw(state.run.journey_id, node.id, state.run.contact_id) * total;
          let bound = 0;
          const branch = branches.find((candidate) => (bound += candidate.weight) > drawn) ?? branches.at(-1)!;
          this.leave(state, branch.key);
        }
        return;
      }
      case "send":
        return this.send(node, states, ws, String((node.data as { templateId?: unknown }).templateId));
      case "webhook":
        return this.webhook(node, states, ws);
      case "update":
        return this.update(node, states, ws);
      case "reward":
        return this.reward(node, states, ws);
      case "task":
        return this.task(node, states, ws);
    }
  }

  private resumeOrWait(states: RunState[]): { arriving: RunState[]; due: RunState[] } {
    const arriving: RunState[] = [];
    const due: RunState[] = [];
    for (const state of states) {
      if (!state.resumed) arriving.push(state);
      else if (state.resumeHandle || (state.waitUntil && state.waitUntil <= this.now)) due.push(state);
      // Looked at early (a goal check): back to waiting until its time.
      else this.park(state, state.waitUntil, { event: state.waitEvent ?? undefined, segmentId: state.waitSegmentId ?? undefined });
    }
    return { arriving, due };
  }

  private async delay(node: JourneyNode, states: RunState[], ws: string) {
    const settings = delayData.parse(node.data);
    const { arriving, due } = this.resumeOrWait(states);
    for (const state of due) this.leave(state, null);
    if (arriving.length === 0) return;
    if (settings.mode === "duration") {
      const until = new Date(this.now.getTime() + durationMs(settings.duration));
      for (const state of arriving) this.park(state, until);
      return;
    }
    const zones = await this.timezoneOf(ws, arriving.map((state) => state.run.contact_id));
    for (const state of arriving) {
      this.park(state, nextLocalWeekdayTime(this.now, settings.weekdays, settings.time, zones.get(state.run.contact_id)!));
    }
  }

  private async wait(node: JourneyNode, states: RunState[], ws: string) {
    const settings = waitData.parse(node.data);
    const { arriving, due } = this.resumeOrWait(states);
    for (const state of due) this.leave(state, state.resumeHandle === "matched" ? "matched" : "timeout");
    if (arriving.length === 0) return;
    const until = new Date(this.now.getTime() + durationMs(settings.timeout));
    if (settings.for === "event") {
      for (const state of arriving) this.park(state, until, { event: settings.event });
      return;
    }
    // Already in the segment: nothing to wait for.
    const members = await queryRows<{ contact_id: string }>(
      this.db,
      sql`select contact_id from segment_memberships where workspace_id = ${ws} and segment_id = ${settings.segmentId}::uuid
          and exited_at is null and contact_id in (${idList(arriving.map((state) => state.run.contact_id))})`,
    );
    const inside = new Set(members.map((row) => row.contact_id));
    for (const state of arriving) {
      if (inside.has(state.run.contact_id)) this.leave(state, "matched");
      else this.park(state, until, { segmentId: settings.segmentId });
    }
  }

  private async condition(node: JourneyNode, states: RunState[], ws: string) {
    const first = states[0].run;
    const rule = compiledRule(`${first.journey_id}:${first.version}:${node.id}`, (node.data as { rule?: unknown }).rule, await this.rules(ws));
    if (!rule.ok) {
      for (const state of states) this.fail(state, "rule_invalid");
      return;
    }
    const matching = await this.matching(ws, rule.condition, states);
    for (const state of states) this.leave(state, matching.has(state.run.contact_id) ? "yes" : "no");
  }

  async matching(ws: string, condition: Condition, states: RunState[]): Promise<Set<string>> {
    const contactIds = [...new Set(states.map((state) => state.run.contact_id))];
    const rows = await queryRows<{ id: string }>(this.db, matchingContactsQuery(condition, { workspaceId: ws, now: this.now, mode: "contacts", contactIds }));
    return new Set(rows.map((row) => row.id));
  }

  private async send(node: JourneyNode, states: RunState[], ws: string, templateId: string) {
    const found = await getTemplateVersion(this.db, ws, templateId);
    if (!found || found.template.archivedAt) {
      for (const state of states) this.fail(state, "template_missing");
      return;
    }
    const { template, version } = found;
    const rows = states.map((state) => {
      const data: JsonObject = { $journey: { id: state.run.journey_id, run_id: state.run.id } };
      if (state.run.entry.event) data.$event = state.run.entry.event;
      return { key: `journey:${state.run.id}:${node.id}:${state.steps}`, contactId: state.run.contact_id, data };
    });
    const inserted = await this.queueMessages(ws, rows, {
      channel: template.channel,
      kind: template.kind,
      templateId: template.id,
      templateVersion: version.version,
      topicId: template.topicId,
      sourceId: states[0].run.journey_id,
    });
    const byKey = new Map(inserted.map((row) => [row.key, row.id]));
    for (const [index, state] of states.entries()) {
      const messageId = byKey.get(rows[index].key);
      this.leave(state, null, messageId ? { message_id: messageId } : { duplicate: true });
    }
  }

  private async webhook(node: JourneyNode, states: RunState[], ws: string) {
    const { url } = webhookData.parse(node.data);
    const rows = states.map((state) => ({
      key: `journey:${state.run.id}:${node.id}:${state.steps}`,
      contactId: state.run.contact_id,
      to: url,
      data: { journey_id: state.run.journey_id, run_id: state.run.id, node_id: node.id, ...(state.run.entry.event ? { event: state.run.entry.event } : {}) } as JsonObject,
    }));
    const inserted = await this.queueMessages(ws, rows, { channel: "webhook", kind: "transactional", templateId: null, templateVersion: null, topicId: null, sourceId: states[0].run.journey_id });
    const byKey = new Map(inserted.map((row) => [row.key, row.id]));
    for (const [index, state] of states.entries()) {
      const messageId = byKey.get(rows[index].key);
      this.leave(state, null, messageId ? { message_id: messageId } : { duplicate: true });
    }
  }

  private async queueMessages(ws: string, rows: QueuedRow[], fields: Omit<QueuedFields, "source">, counted = true) {
    const inserted = await queueMessageRows(this.db, ws, rows, { source: "journey", ...fields });
    if (counted) this.sent += inserted.length;
    return inserted;
  }

  private async update(node: JourneyNode, states: RunState[], ws: string) {
    const change = updateData.parse(node.data);
    const ids = idList(states.map((state) => state.run.contact_id));
    const where = sql`workspace_id = ${ws} and id in (${ids})`;
    switch (change.action) {
      case "add_tag":
        await this.db.execute(sql`update contacts set tags = array_append(tags, ${change.tag}::text), updated_at = now() where ${where} and not (${change.tag}::text = any(tags))`);
        break;
      case "remove_tag":
        await this.db.execute(sql`update contacts set tags = array_remove(tags, ${change.tag}::text), updated_at = now() where ${where}`);
        break;
      case "set_attribute":
        await this.db.execute(sql`update contacts set attributes = attributes || jsonb_build_object(${change.key}::text, ${JSON.stringify(change.value)}::jsonb), updated_at = now() where ${where}`);
        break;
      case "set_lifecycle_stage":
        await this.db.execute(sql`update contacts set lifecycle_stage = ${change.stage}, updated_at = now() where ${where}`);
        break;
    }
    for (const state of states) {
      this.noteChange(state.run.contact_id, (changes) => {
        if (change.action === "add_tag" || change.action === "remove_tag") changes.tags = true;
        if (change.action === "set_attribute") changes.attributes.add(change.key);
        if (change.action === "set_lifecycle_stage") changes.fields.add("lifecycle_stage");
      });
      this.leave(state, null);
    }
  }

  // One ledger change or one coupon per run, each under the step's key. A coupon that cannot be
  // given (none left, the contact at its limit) is noted on the step; the run goes on.
  private async reward(node: JourneyNode, states: RunState[], ws: string) {
    const settings = rewardData.parse(node.data);
    for (const state of states) {
      const key = `journey:${state.run.id}:${node.id}:${state.steps}`;
      try {
        if (settings.kind === "points") {
          const result = await changePoints(this.db, ws, {
            contactId: state.run.contact_id,
            amount: settings.amount,
            source: "journey",
            sourceId: state.run.journey_id,
            reason: settings.reason ?? null,
            idempotencyKey: key,
            expiresAt: settings.expiresInDays ? new Date(this.now.getTime() + settings.expiresInDays * 86_400_000) : undefined,
          });
          this.leave(state, null, { points: settings.amount, transaction_id: result.transaction.id });
        } else {
          const issued = await issueCoupon(this.db, ws, { campaignId: settings.campaignId, contactId: state.run.contact_id, issueKey: key, now: this.now });
          this.leave(state, null, { coupon: issued.code.code });
        }
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        this.leave(state, null, { reward_error: error.code });
      }
    }
  }

  private async task(node: JourneyNode, states: RunState[], ws: string) {
    const settings = taskData.parse(node.data);
    const due = settings.dueInDays !== undefined ? new Date(this.now.getTime() + settings.dueInDays * 86_400_000).toISOString() : null;
    const rows = states.map((state) => ({ key: `journey:${state.run.id}:${node.id}:${state.steps}`, contact_id: state.run.contact_id, run_id: state.run.id }));
    const inserted = await queryRows<{ id: string; idempotency_key: string }>(
      this.db,
      sql`insert into tasks (workspace_id, idempotency_key, title, notes, contact_id, assignee_id, source, source_id, due_at)
          select ${ws}, x.key, ${settings.title}, ${settings.notes ?? null}, x.contact_id,
                 (select m.user_id from members m where m.workspace_id = ${ws} and m.user_id = ${settings.assigneeId}::uuid),
                 'journey', ${states[0].run.journey_id}, ${due}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(key text, contact_id uuid, run_id uuid)
          on conflict (workspace_id, idempotency_key) do nothing
          returning id, idempotency_key`,
    );
    if (settings.notify && inserted.length > 0) {
      const notifications = await taskNotifications(this.db, ws, inserted.map((row) => row.id));
      const rows = notifications.map((note) => ({ key: note.key, contactId: null, to: note.to, data: note.data }));
      await this.queueMessages(ws, rows, { channel: "email", kind: "transactional", templateId: null, templateVersion: null, topicId: null, sourceId: states[0].run.journey_id }, false);
    }
    const byKey = new Map(inserted.map((row) => [row.idempotency_key, row.id]));
    for (const [index, state] of states.entries()) {
      const taskId = byKey.get(rows[index].key);
      this.leave(state, null, taskId ? { task_id: taskId } : { duplicate: true });
    }
  }

  // Goal and exit criteria, checked whenever a run is picked up: the goal ends it as
  // converted, the exit rule as exited, whatever node it is at.
  async checkGoals(states: RunState[]) {
    const byVersion = new Map<string, RunState[]>();
    for (const state of states) {
      const key = `${state.run.journey_id}:${state.run.version}`;
      byVersion.set(key, [...(byVersion.get(key) ?? []), state]);
    }
    for (const [key, group] of byVersion) {
      const trigger = triggerOf(group[0].graph)?.data;
      if (!trigger) continue;
      const ws = group[0].run.workspace_id;
      for (const [field, status] of [["goal", "converted"], ["exitRule", "exited"]] as const) {
        const rule = trigger[field];
        if (rule === undefined || rule === null) continue;
        const live = group.filter((state) => state.moving || state.status === "waiting");
        if (live.length === 0) break;
        const compiled = compiledRule(`${key}:${field}`, rule, await this.rules(ws));
        if (!compiled.ok) continue;
        const matching = await this.matching(ws, compiled.condition, live);
        for (const state of live) {
          if (matching.has(state.run.contact_id)) this.end(state, status, field === "goal" ? "goal" : "exit_rule");
        }
      }
    }
  }
}

async function claim(db: Db, options: Required<Pick<AdvanceOptions, "limit">> & AdvanceOptions, now: Date): Promise<ClaimedRun[]> {
  return queryRows<ClaimedRun>(
    db,
    sql`select r.id, r.workspace_id, r.journey_id, r.version, r.contact_id, r.node_id, r.node_entered_at, r.status, r.wait_until,
               r.resume_handle, r.steps, r.entry
        from journey_runs r
        where r.status in ('active', 'waiting') and r.due_at is not null and r.due_at <= ${now.toISOString()}::timestamptz
          ${options.workspaceId ? sql`and r.workspace_id = ${options.workspaceId}` : sql``}
          ${options.contactIds ? sql`and r.contact_id in (select jsonb_array_elements_text(${JSON.stringify(options.contactIds)}::jsonb)::uuid)` : sql``}
          and exists (select 1 from journeys j where j.workspace_id = r.workspace_id and j.id = r.journey_id and j.status = 'active')
        order by r.due_at
        limit ${options.limit}
        for update of r skip locked`,
  );
}

// Moves one batch of due runs. Returns what it did; `runs` below the limit means nothing more is due now.
export async function advanceRuns(db: Db, options: AdvanceOptions = {}): Promise<AdvanceResult> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 500;
  await getBoss();
  const { result, changed } = await db.transaction(async (tx) => {
    const claimed = await claim(tx, { ...options, limit }, now);
    if (claimed.length === 0) return { result: { runs: 0, steps: 0, sent: 0 }, changed: [] };
    // One workspace's rules at a time: the batch is split by workspace.
    const byWorkspace = new Map<string, ClaimedRun[]>();
    for (const run of claimed) byWorkspace.set(run.workspace_id, [...(byWorkspace.get(run.workspace_id) ?? []), run]);
    let steps = 0;
    let sent = 0;
    const changedAll: Array<{ workspaceId: string; contacts: string[]; changes: ContactChanges }> = [];
    const finals: RunState[] = [];
    for (const [workspaceId, runs] of byWorkspace) {
      const batch = new Batch(tx, now);
      const states: RunState[] = [];
      for (const run of runs) {
        const graph = await versionGraph(tx, workspaceId, run.journey_id, run.version);
        const state: RunState = {
          run,
          graph: graph ?? { nodes: [], edges: [] },
          nodeId: run.node_id,
          arrivedAt: new Date(run.node_entered_at),
          status: run.status,
          resumed: run.status === "waiting",
          resumeHandle: run.resume_handle,
          waitUntil: run.wait_until ? new Date(run.wait_until) : null,
          dueAt: null,
          waitEvent: null,
          waitSegmentId: null,
          steps: run.steps,
          endReason: null,
          moving: true,
        };
        states.push(state);
        if (!graph) batch.end(state, "failed", "version_missing");
      }
      await batch.checkGoals(states);
      for (let round = 0; round < maxRounds; round++) {
        const moving = states.filter((state) => state.moving);
        if (moving.length === 0) break;
        const groups = new Map<string, RunState[]>();
        for (const state of moving) {
          state.status = "active";
          const key = `${state.run.journey_id}:${state.run.version}:${state.nodeId}`;
          groups.set(key, [...(groups.get(key) ?? []), state]);
        }
        for (const group of groups.values()) {
          const node = group[0].graph.nodes.find((candidate) => candidate.id === group[0].nodeId);
          if (!node) {
            for (const state of group) batch.end(state, "failed", "node_missing");
            continue;
          }
          await batch.node(node, group);
        }
      }
      for (const state of states) if (state.moving) batch.end(state, "failed", "too_many_steps");
      steps += batch.steps.length;
      sent += batch.sent;
      await writeSteps(tx, batch.steps);
      finals.push(...states);
      if (batch.changed.contacts.size > 0) changedAll.push({ workspaceId, contacts: [...batch.changed.contacts], changes: batch.changed.changes });
    }
    await writeRuns(tx, finals, now);
    return { result: { runs: claimed.length, steps, sent }, changed: changedAll };
  });
  // Contacts a node changed (tags, attributes, stage): real-time segments see it now.
  for (const { workspaceId, contacts, changes } of changed) await refreshContacts(db, workspaceId, contacts, changes, now);
  return result;
}

async function writeSteps(db: Db, steps: StepRow[]) {
  if (steps.length === 0) return;
  await db.execute(sql`
    insert into journey_steps (workspace_id, journey_id, run_id, node_id, outcome, handle, detail, arrived_at, left_at)
    select x.workspace_id, x.journey_id, x.run_id, x.node_id, x.outcome, x.handle, x.detail, x.arrived_at, x.left_at
    from jsonb_to_recordset(${JSON.stringify(steps)}::jsonb)
      as x(workspace_id uuid, journey_id uuid, run_id uuid, node_id text, outcome text, handle text, detail jsonb, arrived_at timestamptz, left_at timestamptz)`);
}

async function writeRuns(db: Db, states: RunState[], now: Date) {
  if (states.length === 0) return;
  const ended = (status: RunStatus) => !["active", "waiting"].includes(status);
  const rows = states.map((state) => ({
    workspace_id: state.run.workspace_id,
    id: state.run.id,
    node_id: state.nodeId,
    node_entered_at: state.arrivedAt.toISOString(),
    status: state.status,
    due_at: state.dueAt?.toISOString() ?? null,
    wait_until: state.waitUntil?.toISOString() ?? null,
    wait_event: state.waitEvent,
    wait_segment_id: state.waitSegmentId,
    steps: state.steps,
    ended_at: ended(state.status) ? now.toISOString() : null,
    end_reason: state.endReason,
  }));
  await db.execute(sql`
    update journey_runs r set node_id = x.node_id, node_entered_at = x.node_entered_at, status = x.status::journey_run_status,
      due_at = x.due_at, wait_until = x.wait_until, wait_event = x.wait_event, wait_segment_id = x.wait_segment_id,
      resume_handle = null, steps = x.steps, ended_at = x.ended_at, end_reason = x.end_reason
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(workspace_id uuid, id uuid, node_id text, node_entered_at timestamptz, status text, due_at timestamptz, wait_until timestamptz,
           wait_event text, wait_segment_id uuid, steps int, ended_at timestamptz, end_reason text)
    where r.workspace_id = x.workspace_id and r.id = x.id`);
}

/** The earliest moment a run of this workspace (or any) is due, for scheduling the next advance. */
export async function nextDueAt(db: Db, workspaceId?: string): Promise<Date | null> {
  const [row] = await queryRows<{ at: string | Date | null }>(
    db,
    sql`select min(due_at) as at from journey_runs where status in ('active', 'waiting') and due_at is not null
        ${workspaceId ? sql`and workspace_id = ${workspaceId}` : sql``}`,
  );
  return row?.at ? new Date(row.at) : null;
}
