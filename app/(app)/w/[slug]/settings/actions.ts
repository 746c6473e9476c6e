"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { createInvite, revokeInvite } from "@/db/queries/invites";
import { updateWorkspace } from "@/db/queries/workspaces";
import { workspaceAction } from "@/lib/auth/action";
import { assignableRoles } from "@/lib/auth/roles";
import { appUrl } from "@/lib/app-url";
import { AppError } from "@/lib/errors";
import {
  createInviteSchema,
  createKeySchema,
  idSchema,
  memberRoleSchema,
  memberSchema,
  workspaceSettingsSchema,
} from "@/lib/validation/settings";
import { changeMemberRole, removeWorkspaceMember } from "@/lib/workspaces/members";

export const updateWorkspaceAction = workspaceAction("admin", workspaceSettingsSchema, async (input, { db, workspace }) => {
  await updateWorkspace(db, { workspaceId: workspace.id, ...input });
  revalidatePath(`/w/${workspace.slug}`, "layout");
});

export const createKeyAction = workspaceAction("admin", createKeySchema, async (input, { db, workspace, user }) => {
  const { token } = await createApiKey(db, { workspaceId: workspace.id, ...input, createdBy: user.id });
  revalidatePath(`/w/${workspace.slug}/settings/keys`);
  return { data: { token, kind: input.kind } };
});

export const revokeKeyAction = workspaceAction("admin", idSchema, async (input, { db, workspace }) => {
  const key = await revokeApiKey(db, { workspaceId: workspace.id, keyId: input.id });
  if (!key) throw new AppError("not_found", "No such active key.");
  revalidatePath(`/w/${workspace.slug}/settings/keys`);
});

export const createInviteAction = workspaceAction("admin", createInviteSchema, async (input, { db, workspace, user, role }) => {
  if (!assignableRoles(role).includes(input.role)) throw new AppError("forbidden", "You cannot invite with that role.");
  const { token } = await createInvite(db, { workspaceId: workspace.id, role: input.role, createdBy: user.id });
  revalidatePath(`/w/${workspace.slug}/settings/members`);
  return { data: { url: `${await appUrl()}/invite/${token}` } };
});

export const revokeInviteAction = workspaceAction("admin", idSchema, async (input, { db, workspace }) => {
  if (!(await revokeInvite(db, { workspaceId: workspace.id, inviteId: input.id }))) {
    throw new AppError("not_found", "No such invite.");
  }
  revalidatePath(`/w/${workspace.slug}/settings/members`);
});

export const changeRoleAction = workspaceAction("admin", memberRoleSchema, async (input, { db, workspace, user, role }) => {
  await changeMemberRole(db, workspace.id, { userId: user.id, role }, input.userId, input.role);
  revalidatePath(`/w/${workspace.slug}`, "layout");
});

export const removeMemberAction = workspaceAction("admin", memberSchema, async (input, { db, workspace, user, role }) => {
  await removeWorkspaceMember(db, workspace.id, { userId: user.id, role }, input.userId);
  revalidatePath(`/w/${workspace.slug}/settings/members`);
});
