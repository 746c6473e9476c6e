import { withSecretKey } from "@/lib/api/handler";
import { messageWithHistory } from "@/lib/messages/api";

// GET /api/v1/messages/:id: the message, its status and its status history
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return messageWithHistory(db, workspace.id, String(params.id));
});
