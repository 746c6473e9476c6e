import { readJson, withSecretKey } from "@/lib/api/handler";
import { createTopic, listTopics, topicJson } from "@/lib/messages/topics";
import { topicCreateSchema } from "@/lib/validation/topics";

// GET /api/v1/topics: the workspace's subscription topics
export const GET = withSecretKey(async (_request, { db, workspace }) => {
  const topics = await listTopics(db, workspace.id);
  return { topics: topics.map(topicJson) };
});

// POST /api/v1/topics: create a topic
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = topicCreateSchema.parse(await readJson(request, 64 * 1024));
  const topic = await createTopic(db, workspace.id, body);
  return Response.json({ topic: topicJson(topic) }, { status: 201 });
});
