// Owns the organization's key policy: mandatory expiry, maximum lifetime, default roll grace.
import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, getDb, organizations, type Organization } from "../db";
import { recoverableKeysAvailable } from "./recoverable";
import { recordAudit } from "../audit/audit";
import { fieldError } from "../errors";
import { parseInput } from "../validation";
import { requireAdmin } from "../orgs/roles";
import type { OrgContext } from "../context";
import { requireRecentAuth } from "../auth/reauth";
import { GRACE_PERIODS, type GracePeriod } from "./grace";

export type KeyPolicy = { requireExpiry: boolean; maxLifetimeDays: number | null; defaultGrace: GracePeriod; recoverable: boolean };

export const policyOf = (org: Organization): KeyPolicy => ({
  requireExpiry: org.keyRequireExpiry,
  maxLifetimeDays: org.keyMaxLifetimeDays,
  defaultGrace: org.keyDefaultGrace,
  recoverable: org.keyRecoverable,
});

export const policySchema = z.object({
  requireExpiry: z.union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false")]).transform((v) => v === true || v === "on" || v === "true").default(false),
  maxLifetimeDays: z
    .union([z.literal(""), z.null(), z.coerce.number().int("Use whole days").min(1, "At least 1 day").max(3650, "At most 3650 days")])
    .transform((v) => (v === "" || v === null ? null : v))
    .default(null),
  defaultGrace: z.enum(GRACE_PERIODS, { error: "Choose a grace period" }).default("12h"),
  /** Absent: unchanged (turning it off deletes the stored tokens, so it is never a default). */
  recoverable: z.union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false")]).transform((v) => v === true || v === "on" || v === "true").optional(),
});

/** Checks an expiry against the policy at `now`; throws a field error on `expiresAt`. */
export function checkExpiryAgainstPolicy(policy: Pick<KeyPolicy, "requireExpiry" | "maxLifetimeDays">, expiresAt: Date | null, now: Date): void {
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw fieldError("expiresAt", "The expiry must be in the future");
  if (!expiresAt) {
    if (policy.requireExpiry || policy.maxLifetimeDays) {
      throw fieldError("expiresAt", "Your organization's policy requires an expiry date");
    }
    return;
  }
  if (policy.maxLifetimeDays && expiresAt.getTime() - now.getTime() > policy.maxLifetimeDays * 86_400_000 + 60_000) {
    throw fieldError("expiresAt", `Your organization's policy allows keys to live at most ${policy.maxLifetimeDays} days`);
  }
}

export async function updateKeyPolicy(ctx: OrgContext, input: unknown): Promise<KeyPolicy> {
  requireAdmin(ctx.membership.role, "change the key policy");
  const data = parseInput(policySchema, input);
  requireRecentAuth(ctx.actor);
  const recoverable = data.recoverable ?? ctx.org.keyRecoverable;
  if (recoverable && !ctx.org.keyRecoverable && !recoverableKeysAvailable()) {
    throw fieldError("recoverable", "Recoverable keys need LATCHKEY_ENCRYPTION_KEY to be set on the server.");
  }
  return getDb().transaction(async (tx) => {
    const [org] = await tx
      .update(organizations)
      .set({ keyRequireExpiry: data.requireExpiry, keyMaxLifetimeDays: data.maxLifetimeDays, keyDefaultGrace: data.defaultGrace, keyRecoverable: recoverable })
      .where(eq(organizations.id, ctx.org.id))
      .returning();
    // Turning the setting off forgets every stored token: those keys can no longer be copied.
    if (!recoverable && ctx.org.keyRecoverable) {
      await tx.update(apiKeys).set({ tokenSealed: null }).where(and(eq(apiKeys.organizationId, ctx.org.id), isNotNull(apiKeys.tokenSealed)));
    }
    const after = policyOf(org);
    await recordAudit(tx, {
      organizationId: org.id,
      actor: ctx.actor,
      action: "policy.updated",
      target: { type: "organization", id: org.id, label: org.name },
      before: policyOf(ctx.org),
      after,
    });
    return after;
  });
}
