import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import type { JsonObject } from "@/db/schema";
import { enqueueMany } from "@/jobs/boss";
import { messageSend } from "@/jobs/message-send";

export interface QueuedRow {
  /** The idempotency key: a row whose key exists already is skipped. */
  key: string;
  contactId: string | null;
  /** An address instead of the contact's (a member's email, a webhook URL). */
  to?: string | null;
  data: JsonObject;
}

export interface QueuedFields {
  source: string;
  sourceId: string | null;
  channel: string;
  kind: string;
  templateId: string | null;
  templateVersion: number | null;
  topicId: string | null;
}

// Many messages of one kind in one statement (with their `queued` events) and their
// message.send jobs, inside the caller's transaction: what a journey node, a monitor or a
// hand-off queues for a batch of contacts. Returns the messages that are new.
export async function queueMessageRows(db: Db, workspaceId: string, rows: QueuedRow[], fields: QueuedFields): Promise<Array<{ id: string; key: string }>> {
  if (rows.length === 0) return [];
  const payload = rows.map((row) => ({ key: row.key, contact_id: row.contactId, to_address: row.to ?? null, data: row.data }));
  const inserted = await queryRows<{ id: string; key: string }>(
    db,
    sql`with inserted as (
          insert into messages (workspace_id, idempotency_key, source, source_id, contact_id, channel, kind, template_id, template_version, topic_id, to_address, data)
          select ${workspaceId}, x.key, ${fields.source}, ${fields.sourceId}, x.contact_id, ${fields.channel}::channel, ${fields.kind}::message_kind,
                 ${fields.templateId}::uuid, ${fields.templateVersion}::int, ${fields.topicId}::uuid, x.to_address, x.data
          from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(key text, contact_id uuid, to_address text, data jsonb)
          on conflict (workspace_id, idempotency_key) do nothing
          returning id, idempotency_key),
        recorded as (
          insert into message_events (workspace_id, message_id, type, details)
          select ${workspaceId}, i.id, 'queued', ${JSON.stringify({ source: fields.source })}::jsonb from inserted i)
        select id, idempotency_key as key from inserted`,
  );
  await enqueueMany(messageSend, inserted.map((row) => ({ data: { workspaceId, messageId: row.id } })), { tx: db });
  return inserted;
}
