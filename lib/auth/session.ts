import { redirect } from "next/navigation";
import { auth } from "./auth";
import { getDb, type Db } from "@/db/client";
import { findMembership } from "@/db/queries/workspaces";
import { findUserById } from "@/db/queries/users";
import type { Role, User, Workspace } from "@/db/schema";
import { hasRole } from "./roles";
import { isUuid } from "@/lib/uuid";


export interface WorkspaceContext {
  db: Db;
  user: User;
  workspace: Workspace;
  role: Role;
}

/** The signed-in user, or undefined; a session whose user was deleted counts as signed out. */
export async function currentUser(): Promise<User | undefined> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return undefined;
  return findUserById(await getDb(), id);
}

export async function requireUser(): Promise<User> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

export type MembershipCheck =
  | { ok: true; context: WorkspaceContext }
  | { ok: false; reason: "signed_out" | "not_member" | "role"; role?: Role };

// The one check behind every page, server action and session route: a signed-in user,
// a member of this workspace, with at least the role the area needs.
export async function checkMembership(
  target: { slug?: string; workspaceId?: string },
  atLeast: Role,
): Promise<MembershipCheck> {
  const user = await currentUser();
  if (!user) return { ok: false, reason: "signed_out" };
  if (target.workspaceId && !isUuid(target.workspaceId)) return { ok: false, reason: "not_member" };
  const db = await getDb();
  const membership = await findMembership(db, { userId: user.id, ...target });
  if (!membership) return { ok: false, reason: "not_member" };
  if (!hasRole(membership.role, atLeast)) return { ok: false, reason: "role", role: membership.role };
  return { ok: true, context: { db, user, workspace: membership.workspace, role: membership.role } };
}

/** For pages under /w/[slug]: redirects when signed out, 404s for non-members, sends a too-low role home with a notice. */
export async function requireWorkspace(slug: string, atLeast: Role = "viewer"): Promise<WorkspaceContext> {
  const check = await checkMembership({ slug }, atLeast);
  if (check.ok) return check.context;
  if (check.reason === "signed_out") redirect("/login");
  if (check.reason === "not_member") redirect("/");
  redirect(`/w/${slug}?denied=${atLeast}`);
}
