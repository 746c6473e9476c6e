import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/sql";
import { templates, topics, topicSubscriptions, type Topic } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { TopicCreate, TopicPatch } from "@/lib/validation/topics";

// Subscription topics: what a contact may leave one by one in the preference centre. A
// marketing template names its topic; a contact who never chose follows the topic's default.

export async function listTopics(db: Db, workspaceId: string): Promise<Topic[]> {
  return db.select().from(topics).where(eq(topics.workspaceId, workspaceId)).orderBy(asc(topics.createdAt), asc(topics.id));
}

export async function getTopic(db: Db, workspaceId: string, id: string): Promise<Topic | undefined> {
  const [topic] = await db
    .select()
    .from(topics)
    .where(and(eq(topics.workspaceId, workspaceId), eq(topics.id, id)));
  return topic;
}

async function refuseDuplicate(db: Db, workspaceId: string, name: string, exceptId?: string) {
  const conditions = [eq(topics.workspaceId, workspaceId), sql`lower(${topics.name}) = lower(${name})`];
  if (exceptId) conditions.push(ne(topics.id, exceptId));
  const [existing] = await db
    .select({ id: topics.id })
    .from(topics)
    .where(and(...conditions));
  if (existing) throw new AppError("conflict", `A topic named "${name}" already exists.`, [{ path: "name", message: "A topic with this name already exists." }]);
}

export async function createTopic(db: Db, workspaceId: string, input: TopicCreate): Promise<Topic> {
  await refuseDuplicate(db, workspaceId, input.name);
  const [topic] = await db
    .insert(topics)
    .values({ workspaceId, name: input.name, description: input.description ?? null, defaultSubscribed: input.default_subscribed })
    .returning();
  return topic;
}

export async function updateTopic(db: Db, workspaceId: string, id: string, patch: TopicPatch): Promise<Topic> {
  if (patch.name !== undefined) await refuseDuplicate(db, workspaceId, patch.name, id);
  const set: Partial<typeof topics.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.default_subscribed !== undefined) set.defaultSubscribed = patch.default_subscribed;
  const existing = await getTopic(db, workspaceId, id);
  if (!existing) throw new AppError("not_found", "No such topic.");
  if (Object.keys(set).length === 0) return existing;
  const [topic] = await db
    .update(topics)
    .set(set)
    .where(and(eq(topics.workspaceId, workspaceId), eq(topics.id, id)))
    .returning();
  return topic;
}

/** Deletes a topic and the choices made about it; its templates go back to the general list. */
export async function deleteTopic(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(topics)
      .where(and(eq(topics.workspaceId, workspaceId), eq(topics.id, id)))
      .returning({ id: topics.id });
    if (removed.length === 0) throw new AppError("not_found", "No such topic.");
    await tx.delete(topicSubscriptions).where(and(eq(topicSubscriptions.workspaceId, workspaceId), eq(topicSubscriptions.topicId, id)));
    await tx
      .update(templates)
      .set({ topicId: null })
      .where(and(eq(templates.workspaceId, workspaceId), eq(templates.topicId, id)));
  });
}

export interface TopicChoice {
  topic: Topic;
  subscribed: boolean;
  /** False when the contact never chose and the topic's default applies. */
  chosen: boolean;
}

/** Every topic of the workspace with the contact's choice, or the topic's default. */
export async function topicChoices(db: Db, workspaceId: string, contactId: string): Promise<TopicChoice[]> {
  const [all, rows] = await Promise.all([
    listTopics(db, workspaceId),
    db
      .select()
      .from(topicSubscriptions)
      .where(and(eq(topicSubscriptions.workspaceId, workspaceId), eq(topicSubscriptions.contactId, contactId))),
  ]);
  const chosen = new Map(rows.map((row) => [row.topicId, row.subscribed]));
  return all.map((topic) => ({ topic, subscribed: chosen.get(topic.id) ?? topic.defaultSubscribed, chosen: chosen.has(topic.id) }));
}

export async function setTopicSubscription(
  db: Db,
  input: { workspaceId: string; contactId: string; topicId: string; subscribed: boolean; source: string },
): Promise<void> {
  await db
    .insert(topicSubscriptions)
    .values({ ...input, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [topicSubscriptions.workspaceId, topicSubscriptions.contactId, topicSubscriptions.topicId],
      set: { subscribed: input.subscribed, source: input.source, updatedAt: sql`now()` },
    });
}

export function topicJson(topic: Topic) {
  return {
    id: topic.id,
    name: topic.name,
    description: topic.description,
    default_subscribed: topic.defaultSubscribed,
    created_at: topic.createdAt.toISOString(),
  };
}

/** Per topic, how many contacts chose it against its default (left an opt-out topic, joined an opt-in one). */
export async function topicChoiceCounts(db: Db, workspaceId: string): Promise<Map<string, { subscribed: number; unsubscribed: number }>> {
  const rows = await queryRows<{ topic_id: string; subscribed: number; unsubscribed: number }>(
    db,
    sql`select topic_id, count(*) filter (where subscribed)::int as subscribed, count(*) filter (where not subscribed)::int as unsubscribed
        from topic_subscriptions where workspace_id = ${workspaceId} group by topic_id`,
  );
  return new Map(rows.map((row) => [row.topic_id, { subscribed: Number(row.subscribed), unsubscribed: Number(row.unsubscribed) }]));
}
