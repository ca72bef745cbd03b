// Owns the one shape every server action has: parse, authenticate, resolve the org through the
// membership, call one domain function, and answer { ok, data } | { ok: false, error, fieldErrors }.
// Errors go through the one error translator (lib/error-translator.ts), as on the REST API.
import { unstable_rethrow } from "next/navigation";
import type { User, UserSession } from "@/lib/db";
import { ReauthRequiredError, type FieldErrors } from "@/lib/errors";
import { translateError, type ErrorKind } from "@/lib/error-translator";
import { runOperation, splitFlatInput, type Operation, type OperationInput } from "@/lib/ops/operation";
import { resolveOrgContext } from "@/lib/orgs/organizations";
import type { OrgContext } from "@/lib/context";
import { assertTwoFactorPolicy } from "@/lib/orgs/two-factor-policy";
import { actorFor, currentSession } from "./auth";
import { clientIp } from "./request";
import type { Actor } from "@/lib/context";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; code: ErrorKind | "unauthenticated" | "reauth_required"; fieldErrors?: FieldErrors };

export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (e) {
    unstable_rethrow(e); // redirect() and notFound() are control flow, not failures
    // The browser opens the re-authentication dialog on this code and retries.
    if (e instanceof ReauthRequiredError) return { ok: false, code: "reauth_required", error: e.message };
    const t = translateError(e, "server action");
    if (t.kind === "not_found") return { ok: false, code: "not_found", error: "Not found" };
    return { ok: false, code: t.kind, error: t.message, ...(t.fieldErrors ? { fieldErrors: t.fieldErrors } : {}) };
  }
}

type SignedIn = { user: User; session: UserSession; actor: Actor & { userId: string } };

async function signedIn(): Promise<SignedIn | null> {
  const me = await currentSession();
  return me ? { ...me, actor: actorFor(me.user, await clientIp(), me.session) } : null;
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

/**
 * An action inside one organization, resolved through the caller's membership (non-members: not
 * found); an organization that requires two-factor refuses members who have not set it up.
 */
export function orgAction<T>(fn: (ctx: OrgContext, input: unknown) => Promise<T>) {
  return async (slug: string, input: unknown): Promise<ActionResult<T>> => {
    const me = await signedIn();
    if (!me) return unauthenticated;
    return runAction(async () => {
      const ctx = await resolveOrgContext(me.actor, slug);
      assertTwoFactorPolicy(ctx.org, me.user);
      return fn(ctx, input);
    });
  };
}

/**
 * The server action of an operation: its input is one flat object (path parameters beside the
 * body's fields), parsed with the operation's schemas; `present` shapes what the browser receives.
 */
export function opAction<I extends OperationInput, R, D = void>(op: Operation<I, R>, present?: (ctx: OrgContext, result: R) => D | Promise<D>) {
  return orgAction(async (ctx, input): Promise<D> => {
    const result = await runOperation(op, ctx, splitFlatInput(op as unknown as Operation, input));
    return present ? present(ctx, result) : (undefined as D);
  });
}
