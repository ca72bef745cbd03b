// Owns the Auth.js instance: providers, JWT sessions, and the signed-in user for a request.
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { accounts, getDb, sessions, users, verificationTokens, type User, type UserSession } from "@/lib/db";
import { authenticate, getUserById, SecondFactorRequiredError } from "@/lib/auth/accounts";
import { createSession, findSession, forgetSession, touchSession } from "@/lib/auth/sessions";
import { RateLimitError } from "@/lib/errors";
import { createPersonalOrganization } from "@/lib/orgs/organizations";
import type { Actor } from "@/lib/context";
import { CLIENT_IP_HEADER } from "@/lib/client-ip";
import { relyingPartyFor } from "@/lib/auth/passkeys";
import { requestOrigin } from "./request";

class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

class SecondFactorRequired extends CredentialsSignin {
  code = "second_factor_required";
}

/** The address and browser of the request signing in, for the sessions list. */
async function requestMeta(): Promise<{ ip: string | null; userAgent: string | null }> {
  try {
    const h = await headers();
    return { ip: h.get(CLIENT_IP_HEADER), userAgent: h.get("user-agent") };
  } catch {
    return { ip: null, userAgent: null }; // outside a request (never in practice)
  }
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
        credentials: { email: {}, password: {}, code: {}, passkey: {}, challengeId: {} },
        async authorize(credentials, request) {
          const ip = request.headers.get(CLIENT_IP_HEADER);
          try {
            const user = await authenticate(credentials, ip, relyingPartyFor(await requestOrigin()));
            return user ? { id: user.id, name: user.name, email: user.email } : null;
          } catch (e) {
            if (e instanceof RateLimitError) throw new TooManyAttempts();
            if (e instanceof SecondFactorRequiredError) throw new SecondFactorRequired();
            throw e;
          }
        },
      }),
      ...(oauthProviders.github ? [GitHub] : []),
      ...(oauthProviders.google ? [Google] : []),
    ],
    callbacks: {
      /**
       * GitHub and Google cannot ask for Latchkey's second factor, so an account with two-factor
       * on signs in with its password and code (setting up two-factor requires a password).
       */
      async signIn({ user, account }) {
        if (!account || account.type === "credentials" || !user.id) return true;
        const row = await getUserById(user.id);
        return row?.totpEnabledAt ? "/sign-in?error=TwoFactorPasswordOnly" : true;
      },
      async jwt({ token, user }) {
        if (user?.id) {
          const row = await getUserById(user.id);
          token.uid = user.id;
          token.sv = row?.sessionVersion ?? 0;
          // A session row per sign-in: its id in the token lets the security page list and end it.
          token.sid = (await createSession(user.id, await requestMeta())).id;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = String(token.uid);
        return Object.assign(session, { sv: Number(token.sv ?? 0), sid: typeof token.sid === "string" ? token.sid : null });
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (token?.uid && typeof token.sid === "string") {
          await forgetSession(String(token.uid), token.sid);
        }
      },
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

export type SignedInSession = { user: User; session: UserSession };

/**
 * The signed-in user and their session row for this request, or null. Re-reads both so that a
 * deleted account, a session signed out from the security page, or "sign out of all sessions"
 * (a bumped session version, and every row deleted) ends the session at once. A token without a
 * session id (issued before sessions were recorded) is not honoured.
 */
export const currentSession = cache(async (): Promise<SignedInSession | null> => {
  const auth_ = await auth();
  const uid = (auth_?.user as { id?: string } | undefined)?.id;
  const { sv, sid } = (auth_ ?? {}) as { sv?: number; sid?: string | null };
  if (!uid || !sid) return null;
  const [user, session] = await Promise.all([getUserById(uid), findSession(uid, sid)]);
  if (!user || !session || user.sessionVersion !== (sv ?? 0)) return null;
  await touchSession(session, (await requestMeta()).ip);
  return { user, session };
});

/** The signed-in user for this request, or null (see currentSession). */
export const currentUser = cache(async (): Promise<User | null> => (await currentSession())?.user ?? null);

export async function requireUser(callbackUrl?: string): Promise<User> {
  const user = await currentUser();
  if (!user) redirect(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in");
  return user;
}

export function actorFor(user: User, ip: string | null, session?: UserSession | null): Actor & { userId: string } {
  return { userId: user.id, label: user.email ?? user.name ?? user.id, ip, recentAuthAt: session?.authenticatedAt ?? null };
}
