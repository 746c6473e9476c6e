import { readJson, withSecretKey } from "@/lib/api/handler";
import { taskJson } from "@/lib/journeys/api";
import { requireTask, updateTask } from "@/lib/tasks/manage";
import { taskPatchSchema } from "@/lib/validation/journeys";

// GET /api/v1/tasks/:id: one task with its assignee and contact
export const GET = withSecretKey(async (_request, { db, workspace, params }) => {
  return taskJson(await requireTask(db, workspace.id, String(params.id)));
});

// PATCH /api/v1/tasks/:id: mark it done, cancelled or open again, or hand it to another member (`assignee`: id, email or null)
export const PATCH = withSecretKey(async (request, { db, workspace, params }) => {
  const patch = taskPatchSchema.parse(await readJson(request));
  return taskJson(await updateTask(db, workspace.id, String(params.id), patch));
});
