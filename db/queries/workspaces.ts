import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { members, users, workspaces, type Role } from "../schema";

export async function listWorkspacesForUser(db: Db, userId: string) {
  return db
    .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug, role: members.role })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(eq(members.userId, userId))
    .orderBy(asc(workspaces.createdAt));
}

export async function findMembership(db: Db, params: { userId: string; slug?: string; workspaceId?: string }) {
  const target = params.workspaceId ? eq(workspaces.id, params.workspaceId) : eq(workspaces.slug, params.slug ?? "");
  const [row] = await db
    .select({ workspace: workspaces, role: members.role })
    .from(workspaces)
    .innerJoin(members, and(eq(members.workspaceId, workspaces.id), eq(members.userId, params.userId)))
    .where(target);
  return row;
}

export async function listMembers(db: Db, workspaceId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: members.role, joinedAt: members.createdAt })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.workspaceId, workspaceId))
    .orderBy(asc(members.createdAt));
}

export async function countOwners(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.role, "owner")));
  return Number(row.n);
}

export async function setMemberRole(db: Db, params: { workspaceId: string; userId: string; role: Role }) {
  return db
    .update(members)
    .set({ role: params.role })
    .where(and(eq(members.workspaceId, params.workspaceId), eq(members.userId, params.userId)))
    .returning();
}

export async function removeMember(db: Db, params: { workspaceId: string; userId: string }) {
  return db
    .delete(members)
    .where(and(eq(members.workspaceId, params.workspaceId), eq(members.userId, params.userId)))
    .returning();
}

export async function updateWorkspace(db: Db, params: { workspaceId: string; name: string; timezone: string }) {
  const [row] = await db
    .update(workspaces)
    .set({ name: params.name, timezone: params.timezone })
    .where(eq(workspaces.id, params.workspaceId))
    .returning();
  return row;
}
