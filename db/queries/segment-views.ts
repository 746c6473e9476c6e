import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { queryRows } from "../sql";

/**
 * Event names the workspace has seen (the builder's suggestions), most recently seen first.
 * Found by skipping through the (workspace, name, timestamp) index name by name, so the cost
 * follows the number of names, not of events: a group by over ten million events took 1.4 s.
 * Internal `segment.*` events are left out. The skip stops after `limit + 50` names in
 * alphabetical order, so a workspace with more names than that is offered the first of them.
 */
export async function eventNames(db: Db, workspaceId: string, limit = 200): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`with recursive names(name, n) as (
          (select name, 1 from events where workspace_id = ${workspaceId}::uuid and name is not null order by name limit 1)
          union all
          select (select e.name from events e where e.workspace_id = ${workspaceId}::uuid and e.name > names.name order by e.name limit 1), n + 1
          from names where names.name is not null and n < ${limit + 50}
        )
        select names.name from names
        cross join lateral (select max(e.timestamp) as last from events e where e.workspace_id = ${workspaceId}::uuid and e.name = names.name) seen
        where names.name is not null and names.name not like 'segment.%'
        order by seen.last desc, names.name limit ${limit}`,
  );
  return rows.map((row) => row.name);
}

/**
 * Property keys of each named event (the builder's suggestions for filters and aggregates),
 * read from its latest `sample` events, most frequent first.
 */
export async function eventPropertyKeys(db: Db, workspaceId: string, names: string[], sample = 100): Promise<Record<string, string[]>> {
  if (names.length === 0) return {};
  const rows = await queryRows<{ name: string; keys: string[] }>(
    db,
    sql`select n.name, array_agg(k.key order by k.uses desc, k.key) as keys
        from unnest(${sql.param(names)}::text[]) as n(name)
        cross join lateral (
          select key, count(*) as uses
          from (select e.properties from events e where e.workspace_id = ${workspaceId}::uuid and e.name = n.name
                order by e.timestamp desc limit ${sample}) latest
          cross join lateral jsonb_object_keys(case when jsonb_typeof(latest.properties) = 'object' then latest.properties else '{}' end) as key
          group by key
        ) k
        group by n.name`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.keys]));
}

/** Names of the segments whose rules read this one (they block deleting it). */
export async function segmentsReading(db: Db, workspaceId: string, segmentId: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from segments where workspace_id = ${workspaceId}::uuid and dependencies -> 'segments' ? ${segmentId}::text order by name`,
  );
  return rows.map((row) => row.name);
}
