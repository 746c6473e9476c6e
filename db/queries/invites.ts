import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { invites, members, workspaces, type Role } from "../schema";
import { randomToken, sha256 } from "@/lib/auth/tokens";

const inviteDays = 7;

export async function createInvite(db: Db, params: { workspaceId: string; role: Role; createdBy: string }) {
  const token = randomToken("inv_", 24);
  const [invite] = await db
    .insert(invites)
    .values({
      workspaceId: params.workspaceId,
      role: params.role,
      tokenHash: sha256(token),
      createdBy: params.createdBy,
      expiresAt: new Date(Date.now() + inviteDays * 86_400_000),
    })
    .returning();
  return { invite, token };
}

export async function listOpenInvites(db: Db, workspaceId: string) {
  return db
    .select()
    .from(invites)
    .where(
      and(
        eq(invites.workspaceId, workspaceId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invites.createdAt));
}

export async function revokeInvite(db: Db, params: { workspaceId: string; inviteId: string }) {
  const [invite] = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invites.workspaceId, params.workspaceId),
        eq(invites.id, params.inviteId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
      ),
    )
    .returning();
  return invite;
}

export async function findInviteByToken(db: Db, token: string) {
  const [row] = await db
    .select({ invite: invites, workspace: workspaces })
    .from(invites)
    .innerJoin(workspaces, eq(workspaces.id, invites.workspaceId))
    .where(eq(invites.tokenHash, sha256(token)));
  return row;
}

export type InviteProblem = "unknown" | "expired" | "used" | "revoked";

export function inviteProblem(invite: { expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null } | undefined) {
  if (!invite) return "unknown" as const;
  if (invite.revokedAt) return "revoked" as const;
  if (invite.acceptedAt) return "used" as const;
  if (invite.expiresAt.getTime() < Date.now()) return "expired" as const;
  return null;
}

/** Accepts an invite once: the conditional update makes a second use of the same link fail. */
export async function acceptInvite(db: Db, params: { token: string; userId: string }) {
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(invites)
      .set({ acceptedAt: new Date(), acceptedBy: params.userId })
      .where(
        and(
          eq(invites.tokenHash, sha256(params.token)),
          isNull(invites.acceptedAt),
          isNull(invites.revokedAt),
          gt(invites.expiresAt, new Date()),
        ),
      )
      .returning();
    if (!invite) return undefined;
    await tx
      .insert(members)
      .values({ workspaceId: invite.workspaceId, userId: params.userId, role: invite.role })
      .onConflictDoNothing();
    const [workspace] = await tx.select().from(workspaces).where(eq(workspaces.id, invite.workspaceId));
    return workspace;
  });
}
