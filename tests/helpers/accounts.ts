import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create";

/** An email no other test (or earlier run on the shared Postgres database) has used. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomUUID().slice(0, 12)}@example.test`;
}

/** A user without a password (as an OAuth sign-in would create). */
export async function createUser(db: Db, label = "user"): Promise<User> {
  const [user] = await db.insert(users).values({ email: uniqueEmail(label) }).returning();
  return user;
}

/** A new workspace with its owner and write key. */
export async function createOwnedWorkspace(db: Db, name = "Acme") {
  const owner = await createUser(db, "owner");
  const { workspace, writeKey } = await createWorkspace(db, { name, ownerId: owner.id });
  return { owner, workspace, writeKey };
}
