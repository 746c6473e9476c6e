import { withSecretKey } from "@/lib/api/handler";
import { checkListCursor } from "@/lib/broadcasts/api";
import { taskJson } from "@/lib/journeys/api";
import { listTasks } from "@/lib/tasks/manage";
import { taskListQuerySchema } from "@/lib/validation/journeys";

// GET /api/v1/tasks: newest first, keyset-paged; `status`, `assignee` (a member's user id or email)
export const GET = withSecretKey(async (request, { db, workspace }) => {
  const query = taskListQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  checkListCursor(query.cursor);
  const page = await listTasks(db, workspace.id, query);
  return { data: page.tasks.map(taskJson), next_cursor: page.nextCursor };
});
