import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { IdentityKind, JsonObject } from "@/db/schema";
import type { ImportField } from "./mapping";
import type { BadRow, ImportPlan, ImportRow } from "./rows";

export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  bad: BadRow[];
}

/** Another writer took an identifier between this batch's look-up and its insert: run the batch again. */
export class ImportRace extends Error {}

interface Found {
  id: string;
  email: string | null;
  external_id: string | null;
}

// Which contact holds each identifier: its identity row first, else the contact field (a
// contact written before its identity was, or by code that sets only the field).
async function lookup(tx: Db, workspaceId: string, kind: IdentityKind, values: string[]): Promise<Map<string, Found>> {
  if (values.length === 0) return new Map();
  const field = kind === "email" ? sql`lower(c.email)` : sql`c.external_id`;
  const rows = await queryRows<Found & { value: string }>(
    tx,
    sql`with k as (select distinct value from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb) as value)
        select k.value, f.id, f.email, f.external_id
        from k cross join lateral (
          (select c.id, c.email, c.external_id, 0 as preference
             from contact_identities i
             join contacts c on c.workspace_id = i.workspace_id and c.id = i.contact_id
            where i.workspace_id = ${workspaceId} and i.kind = ${kind}::identity_kind and i.value = k.value)
          union all
          (select c.id, c.email, c.external_id, 1 from contacts c where c.workspace_id = ${workspaceId} and ${field} = k.value)
          order by preference limit 1
        ) f`,
  );
  return new Map(rows.map((row) => [row.value, row]));
}

interface Group {
  rows: ImportRow[];
  merged: ImportRow;
}

// Rows sharing a match key in one batch become one write, as if applied in file order: later
// values win, tags add up.
function groupByKey(rows: ImportRow[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const group = groups.get(row.key);
    if (!group) {
      groups.set(row.key, { rows: [row], merged: { ...row, fields: { ...row.fields }, attributes: { ...row.attributes } } });
      continue;
    }
    group.rows.push(row);
    for (const [field, value] of Object.entries(row.fields)) if (value !== null) group.merged.fields[field as ImportField] = value;
    Object.assign(group.merged.attributes, row.attributes);
    group.merged.tags = [...new Set([...group.merged.tags, ...row.tags])].sort();
  }
  return groups;
}

interface Write {
  id: string;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  timezone: string | null;
  locale: string | null;
  lifecycle_stage: string | null;
  attributes: JsonObject;
  tags: string[];
}

const recordColumns = sql.raw(`id uuid, external_id text, email text, phone text, first_name text, last_name text,
  timezone text, locale text, lifecycle_stage text, attributes jsonb, tags jsonb`);

function toWrite(id: string, row: ImportRow): Write {
  return { id, ...row.fields, attributes: row.attributes, tags: row.tags };
}

async function insertIdentities(tx: Db, workspaceId: string, kind: IdentityKind, links: Array<{ value: string; contact_id: string }>) {
  if (links.length === 0) return 0;
  const inserted = await queryRows<{ value: string }>(
    tx,
    sql`insert into contact_identities (workspace_id, kind, value, contact_id)
        select ${workspaceId}::uuid, ${kind}::identity_kind, r.value, r.contact_id
        from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as r(value text, contact_id uuid)
        on conflict do nothing
        returning value`,
  );
  return inserted.length;
}

// Writes one batch set-based: a look-up per identifier kind, one insert of the new contacts
// and their identities, one update of the existing ones that changes only rows whose values
// differ (so importing a file twice leaves every contact as it was).
export async function applyBatch(tx: Db, workspaceId: string, plan: ImportPlan, rows: ImportRow[]): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, skipped: 0, bad: [] };
  if (rows.length === 0) return outcome;
  const byEmail = plan.matchKey === "email";
  const keyKind: IdentityKind = byEmail ? "email" : "user_id";
  const groups = groupByKey(rows);
  const existing = await lookup(tx, workspaceId, keyKind, [...groups.keys()]);
  const externalIds = byEmail
    ? [...groups.values()].map((group) => group.merged.fields.external_id).filter((value): value is string => Boolean(value))
    : [];
  const externalHolders = await lookup(tx, workspaceId, "user_id", externalIds);

  const creates: Write[] = [];
  const updates: Write[] = [];
  const updateGroups = new Map<string, Group>();
  const claimed = new Map<string, string>();
  const firstRow = new Map<string, number>();
  const reject = (group: Group, reason: string, details: JsonObject) => {
    for (const row of group.rows) outcome.bad.push({ row: row.row, reason, details, raw: [] });
  };

  for (const [key, group] of groups) {
    const found = existing.get(key);
    if (found && plan.onExisting === "skip") {
      outcome.skipped += group.rows.length;
      continue;
    }
    const id = found?.id ?? randomUUID();
    firstRow.set(id, group.rows[0].row);
    const externalId = group.merged.fields.external_id;
    if (byEmail && externalId) {
      const holder = externalHolders.get(externalId)?.id ?? claimed.get(externalId);
      if (holder && holder !== id) {
        reject(group, "external_id_taken", { value: externalId });
        continue;
      }
      if (found?.external_id && found.external_id !== externalId) {
        reject(group, "external_id_conflict", { value: externalId, current: found.external_id });
        continue;
      }
      claimed.set(externalId, id);
    }
    if (!found) {
      creates.push(toWrite(id, group.merged));
      outcome.created += 1;
      outcome.skipped += plan.onExisting === "skip" ? group.rows.length - 1 : 0;
      outcome.updated += plan.onExisting === "update" ? group.rows.length - 1 : 0;
      continue;
    }
    const write = toWrite(id, group.merged);
    // Matched by one of its addresses: the contact's main email stays as it is.
    if (byEmail && found.email) write.email = null;
    updates.push(write);
    updateGroups.set(id, group);
  }

  const newKeys = creates.map((write) => ({ value: (byEmail ? write.email : write.external_id)!, contact_id: write.id }));
  if ((await insertIdentities(tx, workspaceId, keyKind, newKeys)) !== newKeys.length) throw new ImportRace();
  if (creates.length > 0) {
    await tx.execute(sql`
      insert into contacts (workspace_id, id, external_id, email, phone, first_name, last_name, timezone, locale,
                            lifecycle_stage, attributes, tags)
      select ${workspaceId}::uuid, r.id, r.external_id, r.email, r.phone, r.first_name, r.last_name, r.timezone, r.locale,
             r.lifecycle_stage, r.attributes, array(select jsonb_array_elements_text(r.tags))
      from jsonb_to_recordset(${JSON.stringify(creates)}::jsonb) as r(${recordColumns})`);
  }

  if (updates.length > 0) {
    const changed = await queryRows<{ id: string }>(
      tx,
      sql`with r as (
            select r.*, array(select jsonb_array_elements_text(r.tags)) as tag_list
            from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as r(${recordColumns})
          )
          update contacts c set
            external_id = coalesce(c.external_id, r.external_id),
            email = coalesce(r.email, c.email),
            phone = coalesce(r.phone, c.phone),
            first_name = coalesce(r.first_name, c.first_name),
            last_name = coalesce(r.last_name, c.last_name),
            timezone = coalesce(r.timezone, c.timezone),
            locale = coalesce(r.locale, c.locale),
            lifecycle_stage = coalesce(r.lifecycle_stage, c.lifecycle_stage),
            attributes = c.attributes || r.attributes,
            tags = case when c.tags @> r.tag_list then c.tags
                        else array(select distinct t from unnest(c.tags || r.tag_list) as t order by 1) end,
            updated_at = now()
          from r
          where c.workspace_id = ${workspaceId} and c.id = r.id
            and (c.external_id is null and r.external_id is not null
              or c.email is distinct from coalesce(r.email, c.email)
              or c.phone is distinct from coalesce(r.phone, c.phone)
              or c.first_name is distinct from coalesce(r.first_name, c.first_name)
              or c.last_name is distinct from coalesce(r.last_name, c.last_name)
              or c.timezone is distinct from coalesce(r.timezone, c.timezone)
              or c.locale is distinct from coalesce(r.locale, c.locale)
              or c.lifecycle_stage is distinct from coalesce(r.lifecycle_stage, c.lifecycle_stage)
              or c.attributes is distinct from c.attributes || r.attributes
              or not c.tags @> r.tag_list)
          returning c.id`,
    );
    const changedIds = new Set(changed.map((row) => row.id));
    for (const [id, group] of updateGroups) {
      if (changedIds.has(id)) outcome.updated += group.rows.length;
      else outcome.unchanged += group.rows.length;
    }
  }

  // Identities follow the fields: the match key of contacts found by their field alone, the
  // external id in email mode, the email in external-id mode (unless another contact has it).
  // In file order, so the first row with a shared email is the one that gets it.
  const touched = [...creates, ...updates].sort((a, b) => firstRow.get(a.id)! - firstRow.get(b.id)!);
  await insertIdentities(
    tx,
    workspaceId,
    keyKind,
    updates.map((write) => ({ value: groupKey(updateGroups.get(write.id)!), contact_id: write.id })),
  );
  const secondaryKind: IdentityKind = byEmail ? "user_id" : "email";
  await insertIdentities(
    tx,
    workspaceId,
    secondaryKind,
    touched
      .map((write) => ({ value: byEmail ? write.external_id : write.email, contact_id: write.id }))
      .filter((link): link is { value: string; contact_id: string } => Boolean(link.value)),
  );
  return outcome;
}

function groupKey(group: Group): string {
  return group.merged.key;
}
