"use server";

import { AuthError } from "next-auth";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { acceptInvite, findInviteByToken, inviteProblem } from "@/db/queries/invites";
import { findUserByEmail } from "@/db/queries/users";
import { users } from "@/db/schema";
import { publicAction, type ActionState } from "@/lib/auth/action";
import { signIn, signOut } from "@/lib/auth/auth";
import { hashPassword } from "@/lib/auth/password";
import { currentUser } from "@/lib/auth/session";
import { setupSchema, signInSchema, signUpSchema, timezone, workspaceName } from "@/lib/validation/accounts";
import { createWorkspace, setupFirstOwner } from "@/lib/workspaces/create";

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
function safeNext(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

async function signInOrError(email: string, password: string, redirectTo: string): Promise<ActionState> {
  try {
    await signIn("credentials", { email, password, redirectTo });
    return null;
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, error: (await getTranslations("login"))("wrong") };
    throw error;
  }
}

export async function setupAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return publicAction(setupSchema, formData, async (input) => {
    await setupFirstOwner(await getDb(), input);
    return signInOrError(input.email, input.password, "/");
  });
}

export async function signInAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return publicAction(signInSchema, formData, (input) =>
    signInOrError(input.email, input.password, safeNext(formData.get("next"))),
  );
}

export async function oauthSignInAction(formData: FormData): Promise<void> {
  const provider = formData.get("provider");
  if (provider !== "github" && provider !== "google") return;
  await signIn(provider, { redirectTo: safeNext(formData.get("next")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

export async function acceptInviteAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const t = await getTranslations("errors");
  const user = await currentUser();
  if (!user) return { ok: false, error: t("codes.unauthorized") };
  const workspace = await acceptInvite(await getDb(), { token: String(formData.get("token")), userId: user.id });
  if (!workspace) return { ok: false, error: t("codes.invite_invalid") };
  redirect(`/w/${workspace.slug}`);
}

// A new teammate without an account: create it and join in one step, then sign in.
export async function signUpWithInviteAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return publicAction(signUpSchema, formData, async (input) => {
    const db = await getDb();
    const token = String(formData.get("token"));
    const found = await findInviteByToken(db, token);
    if (inviteProblem(found?.invite)) return { ok: false, error: (await getTranslations("errors"))("codes.invite_invalid") };
    if (await findUserByEmail(db, input.email)) {
      return { ok: false, error: (await getTranslations("invite"))("emailTaken"), fieldErrors: {} };
    }
    const [user] = await db
      .insert(users)
      .values({ email: input.email, name: input.name || null, passwordHash: await hashPassword(input.password) })
      .returning();
    const workspace = await acceptInvite(db, { token, userId: user.id });
    if (!workspace) return { ok: false, error: (await getTranslations("errors"))("codes.invite_invalid") };
    return signInOrError(input.email, input.password, `/w/${workspace.slug}`);
  });
}

const newWorkspaceSchema = z.object({ name: workspaceName, timezone: timezone.default("UTC") });

export async function createWorkspaceAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return publicAction(newWorkspaceSchema, formData, async (input) => {
    const { workspace } = await createWorkspace(await getDb(), { ...input, ownerId: user.id });
    redirect(`/w/${workspace.slug}`);
  });
}
