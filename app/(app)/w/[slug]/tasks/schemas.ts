import { z } from "zod";
import { taskStatuses } from "@/db/schema";

export const updateTaskFormSchema = z.object({
  id: z.uuid(),
  status: z.enum(taskStatuses).optional(),
  /** "me": the member acting. */
  assignee: z.literal("me").optional(),
});

export const taskListSchema = z.object({
  status: z.enum(taskStatuses).catch("open"),
  assignee: z.enum(["me", "anyone"]).catch("me"),
  cursor: z.string().max(500).optional().catch(undefined),
});
