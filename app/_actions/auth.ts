"use server";
import { AuthError } from "next-auth";
import { signIn, signOut } from "@/app/_lib/auth";
import { clientIp, requestOrigin } from "@/app/_lib/request";
import { passkeySignInOptions, relyingPartyFor } from "@/lib/auth/passkeys";
import { runAction, type ActionResult } from "@/app/_lib/action";
import { signUp } from "@/lib/auth/accounts";
import { safeCallbackUrl } from "@/lib/auth/redirect";
import { checkThrottle, throttleKeys } from "@/lib/auth/throttle";
import { getDb } from "@/lib/db";
import { RateLimitError } from "@/lib/errors";

type Credentials = { email?: unknown; password?: unknown; code?: unknown; passkey?: unknown; challengeId?: unknown; callbackUrl?: unknown };

/** The sign-in answer: a field error on `code` when the second step is needed or was wrong. */
async function passwordSignIn(input: Credentials): Promise<ActionResult<never>> {
  const redirectTo = safeCallbackUrl(input.callbackUrl);
  const code = typeof input.code === "string" ? input.code : "";
  const passkey = typeof input.passkey === "string" ? input.passkey : "";
  const challengeId = typeof input.challengeId === "string" ? input.challengeId : "";
  try {
    await signIn("credentials", { email: input.email, password: input.password, code, passkey, challengeId, redirectTo });
  } catch (e) {
    if (e instanceof AuthError) {
      const reason = (e as AuthError & { code?: string }).code;
      if (reason === "second_factor_required") {
        const message = "Enter the 6-digit code from your authenticator app, or one of your backup codes.";
        return { ok: false, code: "invalid", error: message, fieldErrors: { code: [message] } };
      }
      if (reason === "rate_limited") {
        try {
          await checkThrottle(getDb(), throttleKeys(String(input.email ?? ""), await clientIp()));
        } catch (limit) {
          if (limit instanceof RateLimitError) return { ok: false, code: "rate_limited", error: limit.message };
        }
        return { ok: false, code: "rate_limited", error: "Too many failed sign-in attempts. Try again later." };
      }
      if (passkey) return { ok: false, code: "invalid", error: "That passkey was not accepted. Use a code instead, or try again." };
      if (code) {
        // The password was accepted a moment ago (that is how the code field appeared).
        const message = "That code is not valid, or was already used.";
        return { ok: false, code: "invalid", error: message, fieldErrors: { code: [message] } };
      }
      return { ok: false, code: "invalid", error: "Wrong email or password." };
    }
    throw e; // the success redirect
  }
  return { ok: false, code: "internal", error: "Sign-in did not complete." };
}

export async function signInAction(input: Credentials): Promise<ActionResult<never>> {
  return passwordSignIn(input);
}

export async function signUpAction(input: { name?: unknown; email?: unknown; password?: unknown; callbackUrl?: unknown }): Promise<ActionResult<never>> {
  const ip = await clientIp();
  const created = await runAction(() => signUp({ name: input.name as string, email: input.email as string, password: input.password as string }, ip));
  if (!created.ok) return created;
  return passwordSignIn(input);
}

export async function oauthSignInAction(provider: "github" | "google", callbackUrl: string): Promise<void> {
  await signIn(provider, { redirectTo: safeCallbackUrl(callbackUrl) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

/** A sign-in challenge for a passkey (second step); it names no account. */
export async function passkeySignInOptionsAction() {
  return runAction(async () => passkeySignInOptions(relyingPartyFor(await requestOrigin())));
}
