import { z } from "zod";
import { readJson, withSecretKey } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { deleteTopic, getTopic, topicJson, updateTopic } from "@/lib/messages/topics";
import { topicPatchSchema } from "@/lib/validation/topics";

function topicId(params: Record<string, string | string[]>): string {
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) throw new AppError("not_found", "No such topic.");
  return parsed.data;
}

// GET /api/v1/topics/:id: one topic
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  const topic = await getTopic(db, workspace.id, topicId(params));
  if (!topic) throw new AppError("not_found", "No such topic.");
  return { topic: topicJson(topic) };
});

// PATCH /api/v1/topics/:id: rename, describe, change the default
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const id = topicId(params);
  const patch = topicPatchSchema.parse(await readJson(request, 64 * 1024));
  return { topic: topicJson(await updateTopic(db, workspace.id, id, patch)) };
});

// DELETE /api/v1/topics/:id: delete a topic and the contacts' choices about it
export const DELETE = withSecretKey(async (_request, { db, workspace, params }) => {
  await deleteTopic(db, workspace.id, topicId(params));
  return { success: true };
});
