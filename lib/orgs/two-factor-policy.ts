// Owns the organization policy "Require two-factor authentication": the check made wherever the
// console resolves an organization for a person, and changing the setting (owners and admins,
// after re-authentication, audited). API keys are unaffected: they are their own credential.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, organizations, users, type Organization, type User } from "../db";
import { recordAudit } from "../audit/audit";
import type { OrgContext } from "../context";
import { ConflictError, TwoFactorRequiredError } from "../errors";
import { parseInput } from "../validation";
import { requireAdmin } from "./roles";
import { requireRecentAuth } from "../auth/reauth";

/** Throws TwoFactorRequiredError when `org` requires two-factor and `user` has not set it up. */
export function assertTwoFactorPolicy(org: Organization, user: Pick<User, "totpEnabledAt">): void {
  if (org.requireTwoFactor && !user.totpEnabledAt) throw new TwoFactorRequiredError(org.name);
}

export const twoFactorPolicySchema = z.object({
  requireTwoFactor: z.union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false")]).transform((v) => v === true || v === "on" || v === "true"),
});

export async function setTwoFactorRequirement(ctx: OrgContext, input: unknown): Promise<{ requireTwoFactor: boolean }> {
  requireAdmin(ctx.membership.role, "change the two-factor requirement");
  const { requireTwoFactor } = parseInput(twoFactorPolicySchema, input);
  requireRecentAuth(ctx.actor);
  if (requireTwoFactor && ctx.actor.userId) {
    const me = await getDb().query.users.findFirst({ where: eq(users.id, ctx.actor.userId), columns: { totpEnabledAt: true } });
    if (!me?.totpEnabledAt) throw new ConflictError("Turn on two-factor authentication for your own account first, or you would lock yourself out.");
  }
  if (requireTwoFactor === ctx.org.requireTwoFactor) return { requireTwoFactor };
  return getDb().transaction(async (tx) => {
    await tx.update(organizations).set({ requireTwoFactor }).where(eq(organizations.id, ctx.org.id));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: "policy.two_factor_updated",
      target: { type: "organization", id: ctx.org.id, label: ctx.org.name },
      before: { requireTwoFactor: ctx.org.requireTwoFactor },
      after: { requireTwoFactor },
    });
    return { requireTwoFactor };
  });
}
