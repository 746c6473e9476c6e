import type { Db } from "@/db/client";
import { countOwners, listMembers, removeMember, setMemberRole } from "@/db/queries/workspaces";
import type { Role } from "@/db/schema";
import { assignableRoles, hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

interface Actor {
  userId: string;
  role: Role;
}

async function targetOf(db: Db, workspaceId: string, userId: string) {
  const target = (await listMembers(db, workspaceId)).find((member) => member.userId === userId);
  if (!target) throw new AppError("not_found", "That person is not a member of this workspace.");
  return target;
}

// Nobody hands out a role above their own, only owners touch owners, and a workspace
// always keeps one owner.
export async function changeMemberRole(db: Db, workspaceId: string, actor: Actor, userId: string, role: Role) {
  const target = await targetOf(db, workspaceId, userId);
  if (!assignableRoles(actor.role).includes(role) || (target.role === "owner" && !hasRole(actor.role, "owner"))) {
    throw new AppError("forbidden", "You cannot give or change that role.");
  }
  if (target.role === "owner" && role !== "owner" && (await countOwners(db, workspaceId)) <= 1) {
    throw new AppError("last_owner", "A workspace needs at least one owner.");
  }
  await setMemberRole(db, { workspaceId, userId, role });
}

export async function removeWorkspaceMember(db: Db, workspaceId: string, actor: Actor, userId: string) {
  const target = await targetOf(db, workspaceId, userId);
  if (target.role === "owner" && !hasRole(actor.role, "owner")) {
    throw new AppError("forbidden", "Only an owner can remove an owner.");
  }
  if (target.role === "owner" && (await countOwners(db, workspaceId)) <= 1) {
    throw new AppError("last_owner", "A workspace needs at least one owner.");
  }
  await removeMember(db, { workspaceId, userId });
}
