import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { companies, contacts, type JsonObject } from "@/db/schema";
import { discoverAttributes } from "@/lib/contacts/attributes";
import { attachIdentity, findByIdentity, mergeContacts, resolveContact } from "@/lib/contacts/identity";
import { isTimeZone, splitTraits } from "@/lib/contacts/traits";
import { onEvents } from "@/lib/journeys/enrol";
import { applyMonitors, type MonitorEvent } from "@/lib/monitors/evaluate";
import { applyScoring } from "@/lib/scoring/engagement";
import type { ContactChanges } from "@/lib/segments/membership";

// Contact columns as rule fields are named.
const fieldNames: Record<string, string> = {
  firstName: "first_name",
  lastName: "last_name",
  lifecycleStage: "lifecycle_stage",
};

interface PendingEvent {
  id: number;
  type: string;
  name: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  traits: JsonObject;
  context: JsonObject;
  timestamp: Date | string;
}

async function applyTraits(db: Db, workspaceId: string, contactId: string, traits: JsonObject, seen: Map<string, unknown>) {
  const { fields, attributes, createdAt } = splitTraits(traits);
  const set: Record<string, unknown> = { updatedAt: new Date() };
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) set[field] = value;
  if (Object.keys(attributes).length > 0) set.attributes = sql`${contacts.attributes} || ${JSON.stringify(attributes)}::jsonb`;
  if (createdAt) set.createdAt = sql`least(${contacts.createdAt}, ${createdAt.toISOString()}::timestamptz)`;
  await db.update(contacts).set(set).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
  if (fields.email) await attachIdentity(db, workspaceId, contactId, "email", fields.email);
  for (const [key, value] of Object.entries(attributes)) if (!seen.has(key)) seen.set(key, value);
}

async function joinCompany(db: Db, workspaceId: string, contactId: string, traits: JsonObject) {
  const groupId = String(traits.groupId);
  const rest: JsonObject = { ...traits };
  delete rest.groupId;
  const name = typeof rest.name === "string" ? rest.name : null;
  const [company] = await db
    .insert(companies)
    .values({ workspaceId, groupId, name, traits: rest })
    .onConflictDoUpdate({
      target: [companies.workspaceId, companies.groupId],
      set: {
        traits: sql`${companies.traits} || excluded.traits`,
        name: sql`coalesce(excluded.name, ${companies.name})`,
        updatedAt: new Date(),
      },
    })
    .returning({ id: companies.id });
  await db
    .update(contacts)
    .set({ companyId: company.id })
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
}

function contextValue(context: JsonObject, key: string): string | undefined {
  const value = context[key];
  return typeof value === "string" && value ? value : undefined;
}

/** The named events of a processed batch, with the contacts they ended with (after merges). */
async function namedEvents(db: Db, workspaceId: string, eventIds: number[]): Promise<MonitorEvent[]> {
  if (eventIds.length === 0) return [];
  const rows = await queryRows<{ id: string | number; contact_id: string; name: string; properties: JsonObject | null; timestamp: string | Date }>(
    db,
    sql`select id, contact_id, name, properties, timestamp from events
        where workspace_id = ${workspaceId} and id = any(array(select jsonb_array_elements_text(${JSON.stringify(eventIds)}::jsonb)::bigint))
          and name is not null and contact_id is not null
        order by id`,
  );
  return rows.map((row) => ({ id: Number(row.id), contactId: row.contact_id, name: row.name, properties: row.properties ?? {}, timestamp: new Date(row.timestamp) }));
}

// Processes up to `limit` stored calls of a workspace in arrival order, in one transaction:
// resolves (and merges) contacts, applies traits, joins companies, records last-seen times and
// newly seen attributes, and marks the events processed. Returns how many it took.
export interface ProcessedBatch {
  taken: number;
  /** Contacts the batch touched, and what changed about them (for real-time segment checks). */
  contactIds: string[];
  changes: ContactChanges;
  /** Journey runs the batch made due now (entered, or woken by an awaited event). */
  journeyRunsDue: number;
}

export async function processPendingEvents(db: Db, workspaceId: string, limit = 500): Promise<ProcessedBatch> {
  const changes: ContactChanges = { events: new Set(), attributes: new Set(), fields: new Set(["last_seen_at"]), tags: false, created: new Set() };
  const touched: string[] = [];
  let journeyRunsDue = 0;
  const taken = await db.transaction(async (tx) => {
    const batch = await queryRows<PendingEvent>(
      tx,
      sql`select id, type, name, user_id, anonymous_id, traits, context, timestamp
          from events where workspace_id = ${workspaceId} and processed_at is null
          order by id limit ${limit} for update skip locked`,
    );
    if (batch.length === 0) return 0;
    // A new contact, or one that a merge just gave another's attributes, tags, scores and
    // history, is checked against every segment.
    const checkEverySegment = (contactId: string) => changes.created.add(contactId);
    const resolved = new Map<string, string>();
    const seenAttributes = new Map<string, unknown>();
    const lastSeen = new Map<string, Date>();
    const assignments: Array<{ id: number; contact_id: string }> = [];

    for (const event of batch) {
      const at = new Date(event.timestamp);
      const email = event.type === "identify" && typeof event.traits.email === "string" ? event.traits.email : undefined;
      const key = `${event.user_id ?? ""}\u0000${event.anonymous_id ?? ""}\u0000${email ?? ""}`;
      let contactId = resolved.get(key);
      if (!contactId) {
        contactId = await resolveContact(tx, workspaceId, { userId: event.user_id, anonymousId: event.anonymous_id, email }, at, checkEverySegment, checkEverySegment);
        // A call with a userId may have merged contacts: earlier answers may be stale.
        if (event.user_id) resolved.clear();
        resolved.set(key, contactId);
      }
      if (event.name) changes.events.add(event.name);
      if (event.type === "identify") {
        await applyTraits(tx, workspaceId, contactId, event.traits, seenAttributes);
        const { fields, attributes, createdAt } = splitTraits(event.traits);
        for (const field of Object.keys(fields)) changes.fields.add(fieldNames[field] ?? field);
        for (const key of Object.keys(attributes)) changes.attributes.add(key);
        if (createdAt) changes.fields.add("created_at");
      }
      if (event.type === "group") changes.fields.add("company");
      if (event.user_id) changes.fields.add("external_id");
      if (event.type === "group" && event.traits.groupId !== undefined) await joinCompany(tx, workspaceId, contactId, event.traits);
      if (event.type === "alias" && typeof event.traits.previousId === "string") {
        const previousId = event.traits.previousId;
        const previous =
          (await findByIdentity(tx, workspaceId, "user_id", previousId)) ??
          (await findByIdentity(tx, workspaceId, "anonymous_id", previousId));
        if (previous && previous !== contactId) {
          await mergeContacts(tx, workspaceId, previous, contactId);
          checkEverySegment(contactId);
        }
        else if (!previous) await attachIdentity(tx, workspaceId, contactId, "anonymous_id", previousId);
        resolved.clear();
      }
      const timezone = contextValue(event.context, "timezone");
      const locale = contextValue(event.context, "locale");
      if (timezone) changes.fields.add("timezone");
      if (locale) changes.fields.add("locale");
      if (timezone || locale) {
        await tx
          .update(contacts)
          .set({
            timezone: timezone && isTimeZone(timezone) ? sql`coalesce(${contacts.timezone}, ${timezone})` : undefined,
            locale: locale ? sql`coalesce(${contacts.locale}, ${locale})` : undefined,
          })
          .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
      }
      const previousSeen = lastSeen.get(contactId);
      if (!previousSeen || previousSeen < at) lastSeen.set(contactId, at);
      assignments.push({ id: Number(event.id), contact_id: contactId });
    }

    // Contacts merged away during the batch hand their events to the survivor.
    await tx.execute(sql`
      update events e set contact_id = coalesce(m.into_contact_id, a.contact_id), processed_at = now()
      from jsonb_to_recordset(${JSON.stringify(assignments)}::jsonb) as a(id bigint, contact_id uuid)
      left join contact_merges m on m.workspace_id = ${workspaceId} and m.from_contact_id = a.contact_id
      where e.workspace_id = ${workspaceId} and e.id = a.id`);
    const seen = [...lastSeen].map(([contact_id, at]) => ({ contact_id, at: at.toISOString() }));
    await tx.execute(sql`
      update contacts c set last_seen_at = greatest(c.last_seen_at, s.at)
      from jsonb_to_recordset(${JSON.stringify(seen)}::jsonb) as s(contact_id uuid, at timestamptz)
      where c.workspace_id = ${workspaceId} and c.id = s.contact_id`);
    await discoverAttributes(tx, workspaceId, seenAttributes);
    // Monitors, then journeys, in this transaction: an event is never processed without them,
    // nor twice with them. Monitors count and reward; journeys enrol on triggers (and on the
    // monitor.matched events monitors emit) and move runs that awaited an event.
    const now = new Date();
    const named = await namedEvents(tx, workspaceId, assignments.map((row) => row.id));
    const monitored = await applyMonitors(tx, workspaceId, named, now);
    if (monitored.tagged.length > 0) changes.tags = true;
    await applyScoring(tx, workspaceId, [...named, ...monitored.emitted], now, changes);
    journeyRunsDue = await onEvents(tx, workspaceId, [...named, ...monitored.emitted], now);
    touched.push(...lastSeen.keys());
    return batch.length;
  });
  return { taken, contactIds: touched, changes, journeyRunsDue };
}
