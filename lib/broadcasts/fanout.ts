import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { broadcasts, type Broadcast, type BroadcastAudience, type BroadcastVariant } from "@/db/schema";
import { enqueue, enqueueMany, getBoss, toDrizzleSql } from "@/jobs/boss";
import { broadcastComplete } from "@/jobs/broadcast-complete";
import { broadcastWinner } from "@/jobs/broadcast-winner";
import { messageSend } from "@/jobs/message-send";
import { getTemplate } from "@/lib/messages/templates";
import { listVariants, workspaceTimezone } from "./manage";

// broadcast.fanout: one holder at a time (a lease taken by a conditional update), a snapshot
// of the audience numbered by seq, then pages of recipients queued as messages. Each page's
// messages, their message.send jobs and the advanced cursor commit together, so a fan-out
// that dies mid-way is resumed by the next one from the last committed page: nobody twice,
// nobody skipped. Memory holds one page, whatever the audience size.

const leaseSeconds = 120;
export const defaultPageSize = 1000;

/** Current members of any included segment or list and of no excluded one, with their timezone. */
export function audienceQuery(workspaceId: string, audience: BroadcastAudience): SQL {
  const list = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const excluded = audience.exclude.length
    ? sql`and not exists (select 1 from segment_memberships x
          where x.workspace_id = ${workspaceId} and x.contact_id = c.id and x.exited_at is null and x.segment_id in (${list(audience.exclude)}))`
    : sql``;
  return sql`select c.id as contact_id, c.timezone from contacts c
    where c.workspace_id = ${workspaceId}
      and c.id in (select m.contact_id from segment_memberships m
                   where m.workspace_id = ${workspaceId} and m.exited_at is null and m.segment_id in (${list(audience.include)}))
      ${excluded}`;
}

/** How many contacts the audience holds right now (the form's live count). */
export async function countAudience(db: Db, workspaceId: string, audience: BroadcastAudience): Promise<number> {
  if (audience.include.length === 0) return 0;
  const [row] = await queryRows<{ count: number }>(db, sql`select count(*)::int as count from (${audienceQuery(workspaceId, audience)}) a`);
  return row?.count ?? 0;
}

/** A uniform number in [0, 1) from md5 of the seed: the same contact and broadcast always draw the same. */
function draw(seed: SQL): SQL {
  return sql`(('x' || substr(md5(${seed}), 1, 8))::bit(32)::bigint / 4294967296.0)`;
}

function variantChoice(variants: BroadcastVariant[], h: SQL): SQL {
  let bound = 0;
  const cases = variants.slice(0, -1).map((variant) => {
    bound += variant.weight / 100;
    return sql`when ${h} < ${bound} then ${variant.key}`;
  });
  return sql`case ${sql.join(cases, sql` `)} else ${variants.at(-1)!.key} end`;
}

export type FanoutResult =
  | { status: "skipped"; reason: string }
  | { status: "queued"; queued: number; done: boolean; waitingForWinner: boolean };

export interface FanoutOptions {
  /** The job id: the lease's owner. */
  owner: string;
  now?: Date;
  pageSize?: number;
  /** Stop after this many pages (tests stand in for a crash this way). */
  maxPages?: number;
  /** After a resume: queue the messages that waited while paused again. */
  requeue?: boolean;
}

async function claim(db: Db, workspaceId: string, broadcastId: string, owner: string, now: Date): Promise<Broadcast | undefined> {
  const [row] = await db
    .update(broadcasts)
    .set({
      status: "sending",
      startedAt: sql`coalesce(${broadcasts.startedAt}, ${now.toISOString()}::timestamptz)`,
      fanoutOwner: owner,
      fanoutLeaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
      updatedAt: now,
    })
    .where(
      and(
        eq(broadcasts.workspaceId, workspaceId),
        eq(broadcasts.id, broadcastId),
        sql`${broadcasts.status} in ('scheduled', 'sending')`,
        // A fan-out queued for an earlier schedule finds a rescheduled broadcast not yet due.
        sql`(${broadcasts.status} = 'sending' or ${broadcasts.scheduledAt} is null or ${broadcasts.scheduledAt} <= ${new Date(now.getTime() + 5000).toISOString()}::timestamptz)`,
        sql`(${broadcasts.fanoutLeaseUntil} is null or ${broadcasts.fanoutLeaseUntil} < ${now.toISOString()}::timestamptz or ${broadcasts.fanoutOwner} = ${owner})`,
      ),
    )
    .returning();
  return row;
}

class LostLease extends Error {}

/** Takes the snapshot: one set-based insert of the audience, numbered, with variants and send times. */
async function snapshot(db: Db, broadcast: Broadcast, variants: BroadcastVariant[], now: Date): Promise<Broadcast> {
  const { workspaceId, id } = broadcast;
  const template = await getTemplate(db, workspaceId, broadcast.templateId);
  const fallback = broadcast.fallbackTimezone ?? (await workspaceTimezone(db, workspaceId));
  const ab = broadcast.abTest;
  const testing = ab?.mode === "winner";
  const local = broadcast.scheduleKind === "local" && broadcast.localTime;
  const phase = testing ? sql`case when ${draw(sql`${"test:" + id} || a.contact_id::text`)} < ${(ab.testPercent ?? 10) / 100} then 'test' else 'rest' end` : sql`'all'`;
  const variant = variants.length >= 2 ? variantChoice(variants, draw(sql`${id + ":"} || a.contact_id::text`)) : sql`null`;
  const zone = local ? sql`coalesce(z.name, ${fallback})` : sql`''`;
  const zoneJoin = local ? sql`left join pg_timezone_names z on z.name = a.timezone` : sql``;
  const base = local ? sql`(${broadcast.localTime!.replace("T", " ")}::timestamp at time zone p.zone)` : sql`${now.toISOString()}::timestamptz`;
  const pace = broadcast.throttlePerMinute ? sql` + floor(p.rank / ${broadcast.throttlePerMinute}) * interval '1 minute'` : sql``;
  const sendAfter = local || broadcast.throttlePerMinute ? sql`case when p.phase = 'rest' then null else ${base}${pace} end` : sql`null`;

  return db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into broadcast_recipients (workspace_id, broadcast_id, seq, contact_id, variant, phase, send_after)
      select ${workspaceId}, ${id}, row_number() over (order by p.phase desc, p.contact_id), p.contact_id,
             case when p.phase = 'rest' then null else p.variant end, p.phase, ${sendAfter}
      from (
        select q.*, row_number() over (partition by q.phase, q.zone order by q.contact_id) - 1 as rank
        from (
          select a.contact_id, ${zone} as zone, ${phase} as phase, ${variant} as variant
          from (${audienceQuery(workspaceId, broadcast.audience)}) a ${zoneJoin}
        ) q
      ) p`);
    const [counted] = await queryRows<{ total: number; test: number }>(
      tx,
      sql`select count(*)::int as total, count(*) filter (where phase = 'test')::int as test from broadcast_recipients
          where workspace_id = ${workspaceId} and broadcast_id = ${id}`,
    );
    // Pin what "the newest version" meant when sending started.
    for (const variant of variants) {
      if (variant.templateVersion) continue;
      const variantTemplate = variant.templateId === broadcast.templateId ? template : await getTemplate(tx, workspaceId, variant.templateId);
      await tx.execute(sql`update broadcast_variants set template_version = ${variantTemplate?.currentVersion ?? 1}
        where workspace_id = ${workspaceId} and broadcast_id = ${id} and key = ${variant.key}`);
    }
    const [updated] = await tx
      .update(broadcasts)
      .set({
        snapshotAt: now,
        recipientCount: counted.total,
        templateVersion: broadcast.templateVersion ?? template?.currentVersion ?? 1,
        testEndsAt: testing ? new Date(now.getTime() + (ab.waitHours ?? 4) * 3600_000) : null,
        updatedAt: now,
      })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, id)))
      .returning();
    return updated;
  });
}

interface PageRow {
  last_seq: number | null;
  scanned: number;
  queued: number;
}

// pg-boss's own INSERT of jobs (its defaults, queue settings and partition routing), built by
// pg-boss and captured instead of run, with its job list read from `jobs` (a json array of
// {name, data, startAfter}) instead of a parameter: a page's jobs are queued by the statement
// that inserts its messages, without the ids travelling to Node and back.
async function jobInsertFrom(jobs: SQL): Promise<SQL> {
  const boss = await getBoss();
  let captured: { text: string; values: unknown[] } | undefined;
  await boss.insert([{ name: messageSend.name, data: {} }], {
    db: {
      async executeSql(text: string, values: unknown[]) {
        captured = { text, values };
        return { rows: [] };
      },
    },
  });
  const parts = captured?.text.split("json_to_recordset($1)") ?? [];
  if (!captured || parts.length !== 2 || /\$1\b/.test(parts.join("")) || !/\binsert into\b/i.test(captured.text)) {
    throw new Error("pg-boss's job insert is not the one statement this fan-out expects (json_to_recordset($1)); check the pg-boss version.");
  }
  return sql.join([toDrizzleSql(parts[0], captured.values), sql`json_to_recordset(${jobs})`, toDrizzleSql(parts[1], captured.values)], sql.raw(""));
}

/** Queues one page: messages (under their idempotency keys), their queued events and jobs, and the cursor, in one statement. */
async function queuePage(db: Db, broadcast: Broadcast, kind: string, topicId: string | null, owner: string, pageSize: number, now: Date, restFirstSeq: number) {
  const { workspaceId, id } = broadcast;
  const winner = broadcast.winnerVariant;
  const restStart = broadcast.winnerChosenAt ?? now;
  const restPace = broadcast.throttlePerMinute
    ? sql`${restStart.toISOString()}::timestamptz + floor((r.seq - ${restFirstSeq}) / ${broadcast.throttlePerMinute}) * interval '1 minute'`
    : sql`null::timestamptz`;
  // A message.send job per inserted message; one due later (local time, throttle) starts then.
  const queueJobs = await jobInsertFrom(sql`(
    select coalesce(json_agg(json_build_object(
      'name', ${messageSend.name}::text,
      'data', json_build_object('workspaceId', ${workspaceId}::text, 'messageId', i.id),
      'startAfter', case when i.not_before > ${now.toISOString()}::timestamptz
                         then to_char(i.not_before at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end)), '[]'::json)
    from inserted i)`);
  return db.transaction(async (tx) => {
    const [page] = await queryRows<PageRow>(
      tx,
      sql`
      with batch as (
        select r.seq, r.contact_id, coalesce(r.variant, ${winner}) as variant,
               case when r.phase = 'rest' then ${restPace} else r.send_after end as send_after
        from broadcast_recipients r
        where r.workspace_id = ${workspaceId} and r.broadcast_id = ${id} and r.seq > ${broadcast.fanoutCursor}
          and (r.phase <> 'rest' or ${winner !== null})
        order by r.seq
        limit ${pageSize}
      ), inserted as (
        insert into messages (workspace_id, idempotency_key, source, source_id, contact_id, channel, kind, template_id,
                              template_version, topic_id, variant, not_before)
        select ${workspaceId}, 'broadcast:' || ${id} || ':contact:' || b.contact_id, 'broadcast', ${id}, b.contact_id,
               ${broadcast.channel}, ${kind}::message_kind, coalesce(v.template_id, ${broadcast.templateId}::uuid),
               coalesce(v.template_version, ${broadcast.templateVersion}::int), ${topicId}::uuid, b.variant, b.send_after
        from batch b
        left join broadcast_variants v on v.workspace_id = ${workspaceId} and v.broadcast_id = ${id} and v.key = b.variant
        on conflict (workspace_id, idempotency_key) do nothing
        returning id, not_before
      ), recorded as (
        insert into message_events (workspace_id, message_id, type, details)
        select ${workspaceId}, i.id, 'queued', ${JSON.stringify({ source: "broadcast" })}::jsonb from inserted i
      ), jobs as (${queueJobs})
      select (select max(seq) from batch) as last_seq, (select count(*)::int from batch) as scanned,
             (select count(*)::int from inserted) as queued`,
    );
    if (Number(page.scanned) === 0) return { scanned: 0, queued: 0 };
    const renewed = await tx
      .update(broadcasts)
      .set({ fanoutCursor: Number(page.last_seq), fanoutLeaseUntil: new Date(Date.now() + leaseSeconds * 1000) })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, id), eq(broadcasts.fanoutOwner, owner), eq(broadcasts.status, "sending")))
      .returning({ cursor: broadcasts.fanoutCursor });
    // Paused, cancelled or taken over since the claim: this page is not ours to queue.
    if (renewed.length === 0) throw new LostLease();
    broadcast.fanoutCursor = renewed[0].cursor;
    return { scanned: Number(page.scanned), queued: Number(page.queued) };
  });
}

/** Queues again the messages that waited while the broadcast was paused (their throttle restarted from now). */
async function requeueWaiting(db: Db, broadcast: Broadcast, now: Date, pageSize: number): Promise<number> {
  const { workspaceId, id } = broadcast;
  if (broadcast.throttlePerMinute) {
    await db.execute(sql`
      update messages m set not_before = ${now.toISOString()}::timestamptz + floor(w.rank / ${broadcast.throttlePerMinute}) * interval '1 minute'
      from (select id, row_number() over (order by not_before nulls first, id) - 1 as rank from messages
            where workspace_id = ${workspaceId} and source = 'broadcast' and source_id = ${id} and status = 'queued') w
      where m.workspace_id = ${workspaceId} and m.id = w.id`);
  }
  let after = "00000000-0000-0000-0000-000000000000";
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ id: string; not_before: string | Date | null }>(
      db,
      sql`select id, not_before from messages
          where workspace_id = ${workspaceId} and source = 'broadcast' and source_id = ${id} and status = 'queued' and id > ${after}::uuid
          order by id limit ${pageSize}`,
    );
    if (rows.length === 0) return total;
    await enqueueMany(
      messageSend,
      rows.map((row) => {
        const at = row.not_before ? new Date(row.not_before) : undefined;
        return { data: { workspaceId, messageId: row.id }, startAfter: at && at > now ? at : undefined };
      }),
    );
    total += rows.length;
    after = rows.at(-1)!.id;
  }
}

export async function runFanout(db: Db, workspaceId: string, broadcastId: string, options: FanoutOptions): Promise<FanoutResult> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? defaultPageSize;
  let broadcast = await claim(db, workspaceId, broadcastId, options.owner, now);
  if (!broadcast) {
    const [current] = await db.select().from(broadcasts).where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId)));
    if (!current) return { status: "skipped", reason: "missing" };
    if (current.status === "sending") return { status: "skipped", reason: "held_by_another_fanout" };
    return { status: "skipped", reason: current.status === "scheduled" ? "not_due" : current.status };
  }
  await getBoss();
  const variants = await listVariants(db, workspaceId, broadcastId);
  if (!broadcast.snapshotAt) broadcast = await snapshot(db, broadcast, variants, now);
  if (options.requeue) await requeueWaiting(db, broadcast, now, pageSize);

  const template = await getTemplate(db, workspaceId, broadcast.templateId);
  const kind = template?.kind ?? "marketing";
  const topicId = broadcast.topicId ?? template?.topicId ?? null;
  // The rest of a winner test is paced from the first of them, when the winner was chosen.
  let restFirstSeq = 1;
  if (broadcast.winnerVariant) {
    const [row] = await queryRows<{ first: number | null }>(
      db,
      sql`select min(seq)::int as first from broadcast_recipients where workspace_id = ${workspaceId} and broadcast_id = ${broadcastId} and phase = 'rest'`,
    );
    restFirstSeq = row?.first ?? 1;
  }
  let queued = 0;
  let pages = 0;
  try {
    for (;;) {
      if (options.maxPages !== undefined && pages >= options.maxPages) return { status: "queued", queued, done: false, waitingForWinner: false };
      const page = await queuePage(db, broadcast, kind, topicId, options.owner, pageSize, now, restFirstSeq);
      if (page.scanned === 0) break;
      queued += page.queued;
      pages++;
    }
  } catch (error) {
    if (error instanceof LostLease) return { status: "skipped", reason: "paused_or_taken_over" };
    throw error;
  }

  const waitingForWinner = broadcast.abTest?.mode === "winner" && !broadcast.winnerVariant;
  await db.transaction(async (tx) => {
    const released = await tx
      .update(broadcasts)
      .set({ fanoutOwner: null, fanoutLeaseUntil: null, ...(waitingForWinner ? {} : { fannedOutAt: now }), updatedAt: now })
      .where(and(eq(broadcasts.workspaceId, workspaceId), eq(broadcasts.id, broadcastId), eq(broadcasts.fanoutOwner, options.owner)))
      .returning({ id: broadcasts.id });
    if (released.length === 0) return;
    if (waitingForWinner) {
      await enqueue(broadcastWinner, { workspaceId, broadcastId }, { tx, startAfter: broadcast.testEndsAt ?? now, singletonKey: `winner:${broadcastId}` });
    } else {
      await enqueue(broadcastComplete, { workspaceId, broadcastId }, { tx, startAfter: new Date(now.getTime() + 5000) });
    }
  });
  return { status: "queued", queued, done: !waitingForWinner, waitingForWinner };
}
