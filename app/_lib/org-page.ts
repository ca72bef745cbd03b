// Owns how an organization page resolves its context: signed in, and a member, or 404.
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { NotFoundError, TwoFactorRequiredError } from "@/lib/errors";
import { assertTwoFactorPolicy } from "@/lib/orgs/two-factor-policy";
import { resolveOrgContext } from "@/lib/orgs/organizations";
import type { OrgContext } from "@/lib/context";
import { actorFor, currentSession, requireUser } from "./auth";
import { clientIp } from "./request";

/**
 * The caller's context in organization `slug`: signed in (else sign-in), a member (else 404), and
 * with two-factor set up when the organization requires it (else the security page, which says why).
 */
export const orgPageContext = cache(async (slug: string): Promise<OrgContext> => {
  const user = await requireUser(`/orgs/${slug}/settings`);
  const session = (await currentSession())?.session ?? null;
  let ctx: OrgContext;
  try {
    ctx = await resolveOrgContext(actorFor(user, await clientIp(), session), slug);
    assertTwoFactorPolicy(ctx.org, user);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    if (e instanceof TwoFactorRequiredError) redirect(`/account/security?required=${encodeURIComponent(slug)}`);
    throw e;
  }
  return ctx;
});
