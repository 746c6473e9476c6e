import { readJson, withSecretKey } from "@/lib/api/handler";
import { messageJson, sendFromApi } from "@/lib/messages/api";
import { messageSendSchema } from "@/lib/validation/messages";

// POST /api/v1/messages: queue one message to a contact from a template (202; 200 with the
// first message when the idempotency key was seen before)
export const POST = withSecretKey(async (request, { db, workspace }) => {
  const body = messageSendSchema.parse(await readJson(request));
  const { message, created } = await sendFromApi(db, workspace.id, body, request.headers.get("idempotency-key"));
  return Response.json(messageJson(message), { status: created ? 202 : 200 });
});
