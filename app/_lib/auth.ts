// Owns the Auth.js instance: providers, JWT sessions, and the signed-in user for a request.
import { cache } from "react";
import { redirect } from "next/navigation";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { accounts, getDb, sessions, users, verificationTokens, type User } from "@/lib/db";
import { authenticate, getUserById } from "@/lib/auth/accounts";
import { RateLimitError } from "@/lib/errors";
import { createPersonalOrganization } from "@/lib/orgs/organizations";
import type { Actor } from "@/lib/context";
import { CLIENT_IP_HEADER } from "@/lib/client-ip";

class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

export const oauthProviders = {
  github: Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET),
  google: Boolean(process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET),
};

function config(): NextAuthConfig {
  return {
    // Built per request so the database is opened on first use, never while `next build` runs.
    adapter: DrizzleAdapter(getDb(), {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    session: { strategy: "jwt" },
    trustHost: true,
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(credentials, request) {
          const ip = request.headers.get(CLIENT_IP_HEADER);
          try {
            const user = await authenticate(credentials, ip);
            return user ? { id: user.id, name: user.name, email: user.email } : null;
          } catch (e) {
            if (e instanceof RateLimitError) throw new TooManyAttempts();
            throw e;
          }
        },
      }),
      ...(oauthProviders.github ? [GitHub] : []),
      ...(oauthProviders.google ? [Google] : []),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user?.id) {
          const row = await getUserById(user.id);
          token.uid = user.id;
          token.sv = row?.sessionVersion ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = String(token.uid);
        return Object.assign(session, { sv: Number(token.sv ?? 0) });
      },
    },
    events: {
      async createUser({ user }) {
        // OAuth sign-ups get their personal organization too (password sign-ups create it in signUp).
        if (!user.id) return;
        const row = await getUserById(user.id);
        if (row) await getDb().transaction((tx) => createPersonalOrganization(tx, row, null));
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());

/**
 * The signed-in user for this request, or null. Re-reads the user so that a deleted account or
 * "sign out of all sessions" (a bumped session version) ends old sessions at once.
 */
export const currentUser = cache(async (): Promise<User | null> => {
  const session = await auth();
  const uid = (session?.user as { id?: string } | undefined)?.id;
  if (!uid) return null;
  const user = await getUserById(uid);
  if (!user) return null;
  const sessionVersion = (session as unknown as { sv?: number }).sv ?? 0;
  return user.sessionVersion === sessionVersion ? user : null;
});

export async function requireUser(callbackUrl?: string): Promise<User> {
  const user = await currentUser();
  if (!user) redirect(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in");
  return user;
}

export function actorFor(user: User, ip: string | null): Actor & { userId: string } {
  return { userId: user.id, label: user.email ?? user.name ?? user.id, ip };
}
