import { z } from "zod";
import { role, timezone, workspaceName } from "./accounts";

export const workspaceSettingsSchema = z.object({ name: workspaceName, timezone });
export const createKeySchema = z.object({
  kind: z.enum(["write", "secret"]),
  name: z.string().trim().min(1, "key_name_required").max(60),
});
export const idSchema = z.object({ id: z.uuid() });
export const createInviteSchema = z.object({ role });
export const memberRoleSchema = z.object({ userId: z.uuid(), role });
export const memberSchema = z.object({ userId: z.uuid() });
