import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messageEvents, messages, type Message, type MessageEvent } from "@/db/schema";
import { findContactByRef } from "@/lib/contacts/manage";
import { AppError } from "@/lib/errors";
import { contactRefString, type MessageSendBody } from "@/lib/validation/messages";
import { queueMessage } from "./send";
import { isUuid } from "@/lib/uuid";

/** A message as the REST API shows it. */
export function messageJson(message: Message, history?: MessageEvent[]) {
  return {
    id: message.id,
    status: message.status,
    status_reason: message.statusReason,
    channel: message.channel,
    kind: message.kind,
    contact_id: message.contactId,
    template_id: message.templateId,
    template_version: message.templateVersion,
    to: message.toAddress,
    subject: message.subject,
    source: message.source,
    idempotency_key: message.idempotencyKey,
    created_at: message.createdAt,
    sent_at: message.sentAt,
    delivered_at: message.deliveredAt,
    opened_at: message.openedAt,
    clicked_at: message.clickedAt,
    ...(history
      ? { history: history.map((event) => ({ type: event.type, reason: event.reason, bot: event.bot, at: event.at, details: event.details })) }
      : {}),
  };
}

/** POST /api/v1/messages: one transactional or marketing message; a repeated idempotency key returns the first. */
export async function sendFromApi(db: Db, workspaceId: string, body: MessageSendBody, headerKey: string | null) {
  const contact = body.contact !== undefined ? await findContactByRef(db, workspaceId, contactRefString(body.contact)) : undefined;
  const idempotencyKey = body.idempotency_key ?? headerKey ?? randomUUID();
  const { message, created } = await queueMessage(db, {
    workspaceId,
    contactId: contact?.id ?? null,
    templateId: body.template,
    version: body.version,
    channel: body.channel,
    idempotencyKey: `api:${idempotencyKey}`,
    source: "api",
    data: body.data,
    to: body.to,
  });
  if (!created && message.templateId !== body.template) {
    throw new AppError("conflict", "This idempotency key was already used for another message.");
  }
  return { message, created };
}

export async function messageWithHistory(db: Db, workspaceId: string, messageId: string) {
  if (!isUuid(messageId)) throw new AppError("not_found", `No message ${messageId}.`);
  const [message] = await db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, messageId)));
  if (!message) throw new AppError("not_found", `No message ${messageId}.`);
  const history = await db
    .select()
    .from(messageEvents)
    .where(and(eq(messageEvents.workspaceId, workspaceId), eq(messageEvents.messageId, messageId)))
    .orderBy(asc(messageEvents.at), asc(messageEvents.id));
  return messageJson(message, history);
}
