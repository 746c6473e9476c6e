import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { forgetWorkspace } from "./reference-cache";
import { senderIdentities, type SenderIdentity } from "@/db/schema";
import { AppError } from "@/lib/errors";

// Who a workspace's email comes from. Exactly one identity is the default whenever there is
// any: the first one becomes it, making another default moves it in one statement, and
// deleting the default hands it to the oldest that is left.

export interface SenderInput {
  name: string;
  email: string;
  replyTo?: string | null;
  isDefault?: boolean;
}

export async function listSenders(db: Db, workspaceId: string): Promise<SenderIdentity[]> {
  return db
    .select()
    .from(senderIdentities)
    .where(eq(senderIdentities.workspaceId, workspaceId))
    .orderBy(desc(senderIdentities.isDefault), asc(senderIdentities.createdAt), asc(senderIdentities.id));
}

/** The identity email comes from when a template names none. */
export async function defaultSender(db: Db, workspaceId: string): Promise<SenderIdentity | undefined> {
  const [row] = await db
    .select()
    .from(senderIdentities)
    .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.isDefault, true)))
    .limit(1);
  return row;
}

// One statement, so no moment (and no concurrent reader) sees two defaults or none.
async function setDefault(db: Db, workspaceId: string, senderId: string): Promise<void> {
  await db
    .update(senderIdentities)
    .set({ isDefault: sql`${senderIdentities.id} = ${senderId}` })
    .where(eq(senderIdentities.workspaceId, workspaceId));
}

// The oldest identity becomes the default when none is (after a delete, or a race of two firsts).
async function ensureDefault(db: Db, workspaceId: string): Promise<void> {
  const [current] = await db
    .select({ id: senderIdentities.id })
    .from(senderIdentities)
    .where(eq(senderIdentities.workspaceId, workspaceId))
    .orderBy(desc(senderIdentities.isDefault), asc(senderIdentities.createdAt), asc(senderIdentities.id))
    .limit(1);
  if (current) await setDefault(db, workspaceId, current.id);
}

export async function createSender(db: Db, workspaceId: string, input: SenderInput): Promise<SenderIdentity> {
  forgetWorkspace(workspaceId);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(senderIdentities)
      .values({ workspaceId, name: input.name, email: input.email.toLowerCase(), replyTo: input.replyTo || null, isDefault: false })
      .returning();
    const existing = await tx
      .select({ id: senderIdentities.id })
      .from(senderIdentities)
      .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.isDefault, true)))
      .limit(1);
    if (input.isDefault || existing.length === 0) await setDefault(tx, workspaceId, created.id);
    const [row] = await tx
      .select()
      .from(senderIdentities)
      .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.id, created.id)));
    return row;
  });
}

export async function updateSender(db: Db, workspaceId: string, senderId: string, input: SenderInput): Promise<SenderIdentity> {
  forgetWorkspace(workspaceId);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(senderIdentities)
      .set({ name: input.name, email: input.email.toLowerCase(), replyTo: input.replyTo || null })
      .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.id, senderId)))
      .returning();
    if (!updated) throw new AppError("not_found", "No such sender identity.");
    if (input.isDefault) await setDefault(tx, workspaceId, senderId);
    const [row] = await tx
      .select()
      .from(senderIdentities)
      .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.id, senderId)));
    return row;
  });
}

export async function makeDefaultSender(db: Db, workspaceId: string, senderId: string): Promise<void> {
  forgetWorkspace(workspaceId);
  const [found] = await db
    .select({ id: senderIdentities.id })
    .from(senderIdentities)
    .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.id, senderId)));
  if (!found) throw new AppError("not_found", "No such sender identity.");
  await setDefault(db, workspaceId, senderId);
}

export async function deleteSender(db: Db, workspaceId: string, senderId: string): Promise<void> {
  forgetWorkspace(workspaceId);
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(senderIdentities)
      .where(and(eq(senderIdentities.workspaceId, workspaceId), eq(senderIdentities.id, senderId)))
      .returning({ id: senderIdentities.id, isDefault: senderIdentities.isDefault });
    if (deleted.length === 0) throw new AppError("not_found", "No such sender identity.");
    if (deleted[0].isDefault) await ensureDefault(tx, workspaceId);
  });
}
