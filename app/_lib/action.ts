// Owns the one shape every server action has: parse, authenticate, resolve the org through the
// membership, call one domain function, and answer { ok, data } | { ok: false, error, fieldErrors }.
import { unstable_rethrow } from "next/navigation";
import type { User } from "@/lib/db";
import { DomainError, NotFoundError, type FieldErrors } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/organizations";
import type { OrgContext } from "@/lib/context";
import { actorFor, currentUser } from "./auth";
import { clientIp } from "./request";
import type { Actor } from "@/lib/context";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; code: "invalid" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unauthenticated" | "internal"; fieldErrors?: FieldErrors };

function codeFor(e: DomainError): Exclude<ActionResult<never>, { ok: true }>["code"] {
  switch (e.name) {
    case "ValidationError":
      return "invalid";
    case "ForbiddenError":
      return "forbidden";
    case "NotFoundError":
      return "not_found";
    case "RateLimitError":
      return "rate_limited";
    default:
      return "conflict";
  }
}

export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (e) {
    unstable_rethrow(e); // redirect() and notFound() are control flow, not failures
    if (e instanceof NotFoundError) return { ok: false, code: "not_found", error: "Not found" };
    if (e instanceof DomainError) return { ok: false, code: codeFor(e), error: e.message, fieldErrors: e.fieldErrors };
    console.error("[action] unexpected error", e);
    return { ok: false, code: "internal", error: "Something went wrong on our side. Nothing was changed; please try again." };
  }
}

type SignedIn = { user: User; actor: Actor & { userId: string } };

async function signedIn(): Promise<SignedIn | null> {
  const user = await currentUser();
  return user ? { user, actor: actorFor(user, await clientIp()) } : null;
}

const unauthenticated = { ok: false, code: "unauthenticated", error: "Your session has ended. Sign in again." } as const;

/** An action for any signed-in user. */
export function userAction<T>(fn: (me: SignedIn, input: unknown) => Promise<T>) {
  return async (input: unknown): Promise<ActionResult<T>> => {
    const me = await signedIn();
    if (!me) return unauthenticated;
    return runAction(() => fn(me, input));
  };
}

/** An action inside one organization, resolved through the caller's membership (non-members: not found). */
export function orgAction<T>(fn: (ctx: OrgContext, input: unknown) => Promise<T>) {
  return async (slug: string, input: unknown): Promise<ActionResult<T>> => {
    const me = await signedIn();
    if (!me) return unauthenticated;
    return runAction(async () => fn(await resolveOrgContext(me.actor, slug), input));
  };
}
