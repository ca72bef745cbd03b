"use server";
import { AuthError } from "next-auth";
import { signIn, signOut } from "@/app/_lib/auth";
import { clientIp } from "@/app/_lib/request";
import { runAction, type ActionResult } from "@/app/_lib/action";
import { signUp } from "@/lib/auth/accounts";
import { safeCallbackUrl } from "@/lib/auth/redirect";
import { checkThrottle, throttleKeys } from "@/lib/auth/throttle";
import { getDb } from "@/lib/db";
import { RateLimitError } from "@/lib/errors";

type Credentials = { email?: unknown; password?: unknown; callbackUrl?: unknown };

async function passwordSignIn(input: Credentials): Promise<ActionResult<never>> {
  const redirectTo = safeCallbackUrl(input.callbackUrl);
  try {
    await signIn("credentials", { email: input.email, password: input.password, redirectTo });
  } catch (e) {
    if (e instanceof AuthError) {
      if ((e as AuthError & { code?: string }).code === "rate_limited") {
        try {
          await checkThrottle(getDb(), throttleKeys(String(input.email ?? ""), await clientIp()));
        } catch (limit) {
          if (limit instanceof RateLimitError) return { ok: false, code: "rate_limited", error: limit.message };
        }
        return { ok: false, code: "rate_limited", error: "Too many failed sign-in attempts. Try again later." };
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
