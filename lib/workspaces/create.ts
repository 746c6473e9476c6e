import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { createApiKey, firstActiveWriteKey } from "@/db/queries/api-keys";
import { findUserByEmail } from "@/db/queries/users";
import { members, users, workspaces } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "ws";
}

async function freeSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  const [taken] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, base));
  return taken ? `${base}-${randomBytes(3).toString("hex")}` : base;
}

/** A new workspace owned by `ownerId`, with a write key ready for the website. */
export async function createWorkspace(
  db: Db,
  params: { name: string; ownerId: string; timezone?: string },
) {
  return db.transaction(async (tx) => {
    const [workspace] = await tx
      .insert(workspaces)
      .values({ name: params.name, slug: await freeSlug(tx, params.name), timezone: params.timezone || "UTC" })
      .returning();
    await tx.insert(members).values({ workspaceId: workspace.id, userId: params.ownerId, role: "owner" });
    const { token: writeKey } = await createApiKey(tx, {
      workspaceId: workspace.id,
      kind: "write",
      name: "Website",
      createdBy: params.ownerId,
    });
    return { workspace, writeKey };
  });
}

export interface SetupInput {
  email: string;
  password: string;
  name?: string;
  workspaceName: string;
  timezone?: string;
}

// First run: creates the owner and the first workspace, only while no account exists.
// The transaction lock makes two concurrent setups end with exactly one owner.
export async function setupFirstOwner(db: Db, input: SetupInput) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tideline:setup'))`);
    const [existing] = await tx.select({ id: users.id }).from(users).limit(1);
    if (existing) throw new AppError("setup_done", "Tideline is already set up: sign in instead.");
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name || null, passwordHash })
      .returning();
    const created = await createWorkspace(tx, { name: input.workspaceName, ownerId: user.id, timezone: input.timezone });
    return { user, ...created };
  });
}

/** For operators and scripts: the owner and workspace, created or reused, plus a fresh secret key. */
export async function ensureOwnerWorkspace(db: Db, input: SetupInput) {
  let user = await findUserByEmail(db, input.email);
  if (user) {
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.password))) {
      throw new AppError("wrong_password", `A user ${input.email} exists and the password does not match.`);
    }
  } else {
    [user] = await db
      .insert(users)
      .values({ email: input.email, name: input.name || null, passwordHash: await hashPassword(input.password) })
      .returning();
  }
  const [owned] = await db
    .select({ workspace: workspaces })
    .from(workspaces)
    .innerJoin(members, and(eq(members.workspaceId, workspaces.id), eq(members.userId, user.id)))
    .where(and(eq(workspaces.name, input.workspaceName), eq(members.role, "owner")))
    .limit(1);
  let workspace = owned?.workspace;
  let writeKey: string;
  if (workspace) {
    const key = await firstActiveWriteKey(db, workspace.id);
    writeKey = key?.publicToken ?? (await createApiKey(db, { workspaceId: workspace.id, kind: "write", name: "Website" })).token;
  } else {
    const created = await createWorkspace(db, { name: input.workspaceName, ownerId: user.id, timezone: input.timezone });
    workspace = created.workspace;
    writeKey = created.writeKey;
  }
  const { token: secretKey } = await createApiKey(db, {
    workspaceId: workspace.id,
    kind: "secret",
    name: "CLI",
    createdBy: user.id,
  });
  return { user, workspace, writeKey, secretKey };
}
