"use server";

import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/lib/auth/action";
import { updateTask } from "@/lib/tasks/manage";
import { updateTaskFormSchema } from "./schemas";

// Mark done, cancel, reopen, or take a task; the contact's profile lists tasks too.
export const updateTaskAction = workspaceAction("marketer", updateTaskFormSchema, async (input, { db, workspace, user }) => {
  const task = await updateTask(db, workspace.id, input.id, { status: input.status, ...(input.assignee === "me" ? { assignee: user.id } : {}) });
  revalidatePath(`/w/${workspace.slug}/tasks`);
  if (task.contactId) revalidatePath(`/w/${workspace.slug}/contacts/${task.contactId}`);
  return { data: { status: task.status } };
});
