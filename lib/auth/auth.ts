import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { getDb } from "@/db/client";
import { instanceSecret } from "@/db/queries/secrets";
import { findUserByEmail } from "@/db/queries/users";
import { users } from "@/db/schema";
import { verifyPassword } from "./password";
import { signInSchema } from "@/lib/validation/accounts";

/** Which sign-in providers this deployment offers besides email + password. */
export function oauthProviders(): Array<"github" | "google"> {
  const enabled: Array<"github" | "google"> = [];
  if (process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET) enabled.push("github");
  if (process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET) enabled.push("google");
  return enabled;
}

async function config(): Promise<NextAuthConfig> {
  const db = await getDb();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await findUserByEmail(db, parsed.data.email);
        if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, parsed.data.password))) return null;
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ];
  if (oauthProviders().includes("github")) providers.push(GitHub);
  if (oauthProviders().includes("google")) providers.push(Google);

  return {
    // One key for the whole deployment: AUTH_SECRET, or one generated once and kept in the database.
    secret: process.env.AUTH_SECRET || (await instanceSecret(db, "auth")),
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 86_400 },
    pages: { signIn: "/login", error: "/login" },
    providers,
    callbacks: {
      // An OAuth sign-in becomes the Tideline user with the same (verified) email, created on first use.
      async signIn({ user, account, profile }) {
        if (!account || account.provider === "credentials") return true;
        const email = user.email ?? profile?.email;
        if (!email) return false;
        if (account.provider === "google" && profile?.email_verified === false) return false;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account && account.provider !== "credentials" && user.email) {
          let known = await findUserByEmail(db, user.email);
          if (!known) [known] = await db.insert(users).values({ email: user.email, name: user.name }).returning();
          token.sub = known.id;
        } else if (user?.id) {
          token.sub = user.id;
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
