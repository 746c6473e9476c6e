import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { contactIdentities, contactMerges, contacts, events, type IdentityKind } from "@/db/schema";
import { queryRows } from "@/db/sql";
import { scoringSettingsOf } from "@/lib/scoring/settings";
import { applyThresholds, stageLadder } from "@/lib/scoring/stages";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findByIdentity(db: Db, workspaceId: string, kind: IdentityKind, value: string) {
  const [row] = await db
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(
      and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.kind, kind), eq(contactIdentities.value, value)),
    );
  return row?.contactId;
}

async function identityOf(db: Db, workspaceId: string, contactId: string, kind: IdentityKind) {
  const [row] = await db
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(
      and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.contactId, contactId), eq(contactIdentities.kind, kind)),
    )
    .limit(1);
  return row?.value;
}

/** Links an identifier to a contact unless another contact holds it; returns the holder. */
export async function attachIdentity(db: Db, workspaceId: string, contactId: string, kind: IdentityKind, value: string) {
  const [inserted] = await db
    .insert(contactIdentities)
    .values({ workspaceId, kind, value, contactId })
    .onConflictDoNothing()
    .returning({ contactId: contactIdentities.contactId });
  if (inserted) {
    if (kind === "user_id") {
      await db
        .update(contacts)
        .set({ externalId: value })
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId), sql`${contacts.externalId} is null`));
    }
    return contactId;
  }
  return (await findByIdentity(db, workspaceId, kind, value))!;
}

async function createContact(db: Db, workspaceId: string, at: Date): Promise<string> {
  const [created] = await db
    .insert(contacts)
    .values({ workspaceId, createdAt: at, lastSeenAt: at })
    .returning({ id: contacts.id });
  return created.id;
}

// Moves everything of `fromId` onto `intoId` and removes `fromId`: identities and events
// move, the earliest created_at and the latest last_seen_at stay, fields the survivor lacks are
// filled in, attributes merge (the survivor's win), tags, engagement score and points add up.
// The survivor keeps the further of the two stages on the lifecycle ladder; a stage set by hand
// outside it ("partner") stays, and a survivor without one takes the other's.
const ladder = sql.raw(`array[${stageLadder.map((stage) => `'${stage}'`).join(", ")}]::text[]`);
const mergedStage = sql`case
        when coalesce(c.lifecycle_stage, '') = '' then f.lifecycle_stage
        when array_position(${ladder}, c.lifecycle_stage) < array_position(${ladder}, f.lifecycle_stage) then f.lifecycle_stage
        else c.lifecycle_stage end`;

export async function mergeContacts(db: Db, workspaceId: string, fromId: string, intoId: string): Promise<void> {
  if (fromId === intoId) return;
  const [loser] = await db
    .select({ externalId: contacts.externalId })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, fromId)));
  if (!loser) return;
  const [merged] = await queryRows<{ score: number; added: number; stage: string | null }>(
    db,
    sql`
    update contacts c set
      email = coalesce(c.email, f.email),
      phone = coalesce(c.phone, f.phone),
      first_name = coalesce(c.first_name, f.first_name),
      last_name = coalesce(c.last_name, f.last_name),
      timezone = coalesce(c.timezone, f.timezone),
      locale = coalesce(c.locale, f.locale),
      lifecycle_stage = ${mergedStage},
      company_id = coalesce(c.company_id, f.company_id),
      attributes = f.attributes || c.attributes,
      tags = array(select distinct unnest(c.tags || f.tags) order by 1),
      score_engagement = c.score_engagement + f.score_engagement,
      score = c.score_fit + c.score_engagement + f.score_engagement,
      points_balance = c.points_balance + f.points_balance,
      created_at = least(c.created_at, f.created_at),
      last_seen_at = greatest(c.last_seen_at, f.last_seen_at),
      updated_at = now()
    from contacts f
    where c.workspace_id = ${workspaceId} and c.id = ${intoId}
      and f.workspace_id = ${workspaceId} and f.id = ${fromId}
    returning c.score, f.score_engagement as added, c.lifecycle_stage as stage`,
  );
  await db
    .update(contactIdentities)
    .set({ contactId: intoId })
    .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.contactId, fromId)));
  await db
    .update(events)
    .set({ contactId: intoId })
    .where(and(eq(events.workspaceId, workspaceId), eq(events.contactId, fromId)));
  // Segment stays move too; where both were members, the survivor's stay is kept.
  await db.execute(sql`
    delete from segment_memberships f where f.workspace_id = ${workspaceId} and f.contact_id = ${fromId} and f.exited_at is null
      and exists (select 1 from segment_memberships i where i.workspace_id = f.workspace_id and i.segment_id = f.segment_id
        and i.contact_id = ${intoId} and i.exited_at is null)`);
  await db.execute(sql`update segment_memberships set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  // Messages and inbox items follow the person. Consent and topic choices merge towards "no":
  // if either contact opted out, the survivor is opted out.
  await db.execute(sql`update messages set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`update inbox_items set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  // Journey runs follow too; where both are in the same journey now, the survivor's run goes on
  // and the other ends (a person is in a journey once unless it allows re-entry at any time).
  await db.execute(sql`
    update journey_runs f set status = 'exited', ended_at = now(), end_reason = 'merged', due_at = null
    where f.workspace_id = ${workspaceId} and f.contact_id = ${fromId} and f.exclusive and f.ended_at is null
      and exists (select 1 from journey_runs i where i.workspace_id = f.workspace_id and i.journey_id = f.journey_id
        and i.contact_id = ${intoId} and i.exclusive and i.ended_at is null)`);
  await db.execute(sql`update journey_runs set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`update tasks set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await mergeRewards(db, workspaceId, fromId, intoId);
  // The engagement the other contact earned may take the survivor past a stage threshold.
  if (merged && Number(merged.added) > 0) {
    const score = Number(merged.score);
    const change = { contactId: intoId, before: score - Number(merged.added), after: score, stage: merged.stage };
    await applyThresholds(db, workspaceId, await scoringSettingsOf(db, workspaceId), [change], new Date());
  }
  await db.execute(sql`
    insert into contact_consents (workspace_id, contact_id, channel, status, source, updated_at)
    select workspace_id, ${intoId}, channel, status, source, updated_at from contact_consents
    where workspace_id = ${workspaceId} and contact_id = ${fromId}
    on conflict (workspace_id, contact_id, channel) do update set status = excluded.status, source = excluded.source, updated_at = excluded.updated_at
      where excluded.status = 'revoked' and contact_consents.status <> 'revoked'`);
  await db.execute(sql`delete from contact_consents where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`
    insert into topic_subscriptions (workspace_id, contact_id, topic_id, subscribed, source, updated_at)
    select workspace_id, ${intoId}, topic_id, subscribed, source, updated_at from topic_subscriptions
    where workspace_id = ${workspaceId} and contact_id = ${fromId}
    on conflict (workspace_id, contact_id, topic_id) do update set subscribed = false, source = excluded.source, updated_at = excluded.updated_at
      where not excluded.subscribed and topic_subscriptions.subscribed`);
  await db.execute(sql`delete from topic_subscriptions where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  // The external id is unique: the loser's row goes before the survivor can take it over.
  await db.delete(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, fromId)));
  if (loser.externalId) {
    await db
      .update(contacts)
      .set({ externalId: loser.externalId })
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, intoId), sql`${contacts.externalId} is null`));
  }
  await db
    .update(contactMerges)
    .set({ intoContactId: intoId })
    .where(and(eq(contactMerges.workspaceId, workspaceId), eq(contactMerges.intoContactId, fromId)));
  await db.insert(contactMerges).values({ workspaceId, fromContactId: fromId, intoContactId: intoId }).onConflictDoNothing();
}

export interface Identifiers {
  userId?: string | null;
  anonymousId?: string | null;
  email?: string | null;
}

// Finds or creates the contact behind a call. Anonymous history joins the known contact the
// moment a call links an anonymousId to a userId; a device shared by two known users does not
// merge them. Unique identities make concurrent callers agree on one contact.
export async function resolveContact(
  db: Db,
  workspaceId: string,
  ids: Identifiers,
  at: Date,
  onCreated?: (contactId: string) => void,
  onMerged?: (survivorId: string) => void,
): Promise<string> {
  const userId = ids.userId || undefined;
  const anonymousId = ids.anonymousId || undefined;
  const email = ids.email ? normalizeEmail(ids.email) : undefined;
  const byUser = userId ? await findByIdentity(db, workspaceId, "user_id", userId) : undefined;
  let byAnonymous = anonymousId ? await findByIdentity(db, workspaceId, "anonymous_id", anonymousId) : undefined;

  if (userId && byAnonymous && byAnonymous !== byUser) {
    const anonymousUser = await identityOf(db, workspaceId, byAnonymous, "user_id");
    if (anonymousUser && anonymousUser !== userId) {
      byAnonymous = undefined; // someone else's device history stays theirs
    } else if (byUser) {
      await mergeContacts(db, workspaceId, byAnonymous, byUser);
      onMerged?.(byUser);
      return byUser;
    }
  }

  let contactId = byUser ?? byAnonymous;
  if (!contactId && email) contactId = await findByIdentity(db, workspaceId, "email", email);
  if (contactId && userId && !byUser) {
    const existingUser = await identityOf(db, workspaceId, contactId, "user_id");
    if (existingUser && existingUser !== userId) contactId = undefined;
  }
  if (!contactId) {
    const created = await createContact(db, workspaceId, at);
    const kind: IdentityKind = userId ? "user_id" : anonymousId ? "anonymous_id" : "email";
    contactId = await attachIdentity(db, workspaceId, created, kind, (userId ?? anonymousId ?? email)!);
    if (contactId !== created) await db.delete(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, created)));
    else onCreated?.(created);
  }
  if (userId && !byUser) {
    const holder = await attachIdentity(db, workspaceId, contactId, "user_id", userId);
    if (holder !== contactId) {
      await mergeContacts(db, workspaceId, contactId, holder);
      onMerged?.(holder);
      contactId = holder;
    }
  }
  if (anonymousId && !byAnonymous) await attachIdentity(db, workspaceId, contactId, "anonymous_id", anonymousId);
  if (email) await attachIdentity(db, workspaceId, contactId, "email", email);
  return contactId;
}

/** Follows merges: the contact an id refers to now (itself if it was never merged away). */
export async function currentContactId(db: Db, workspaceId: string, contactId: string): Promise<string> {
  const [merged] = await db
    .select({ into: contactMerges.intoContactId })
    .from(contactMerges)
    .where(and(eq(contactMerges.workspaceId, workspaceId), eq(contactMerges.fromContactId, contactId)));
  return merged?.into ?? contactId;
}

// Points, coupons, monitor counts and score history follow the person: the ledgers move and the
// balances add up; a monitor that fired for both keeps the survivor's match, and its counters
// add up per bucket, so "3 purchases in 30 days" counts the purchases of both.
async function mergeRewards(db: Db, workspaceId: string, fromId: string, intoId: string): Promise<void> {
  await db.execute(sql`update point_transactions set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`
    insert into point_balances (workspace_id, contact_id, balance, earned, spent, expired, updated_at)
    select workspace_id, ${intoId}, balance, earned, spent, expired, now() from point_balances
    where workspace_id = ${workspaceId} and contact_id = ${fromId}
    on conflict (workspace_id, contact_id) do update set balance = point_balances.balance + excluded.balance,
      earned = point_balances.earned + excluded.earned, spent = point_balances.spent + excluded.spent,
      expired = point_balances.expired + excluded.expired, updated_at = now()`);
  await db.execute(sql`delete from point_balances where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`update coupon_codes set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`
    delete from monitor_matches f where f.workspace_id = ${workspaceId} and f.contact_id = ${fromId}
      and exists (select 1 from monitor_matches i where i.workspace_id = f.workspace_id and i.monitor_id = f.monitor_id
        and i.contact_id = ${intoId} and i.match_key = f.match_key)`);
  await db.execute(sql`update monitor_matches set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`
    insert into monitor_counters (workspace_id, monitor_id, contact_id, bucket, value, distinct_values, updated_at)
    select workspace_id, monitor_id, ${intoId}, bucket, value, distinct_values, now() from monitor_counters
    where workspace_id = ${workspaceId} and contact_id = ${fromId}
    on conflict (workspace_id, monitor_id, contact_id, bucket) do update set value = monitor_counters.value + excluded.value,
      distinct_values = array(select distinct unnest(monitor_counters.distinct_values || excluded.distinct_values) order by 1),
      updated_at = now()`);
  await db.execute(sql`delete from monitor_counters where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
  await db.execute(sql`update score_events set contact_id = ${intoId} where workspace_id = ${workspaceId} and contact_id = ${fromId}`);
}
