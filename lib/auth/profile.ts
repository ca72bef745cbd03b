// Owns a user's own account: name, password, ending all sessions, and deleting the account.
import { and, count, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, memberships, organizations, users, type User } from "../db";
import { recordAudit } from "../audit/audit";
import type { Actor } from "../context";
import { ConflictError, fieldError } from "../errors";
import { parseInput, passwordSchema, personNameSchema } from "../validation";
import { hashPassword, verifyPassword } from "./password";
import { endAllSessions } from "./sessions";
import { liveKeysOwnedBy, revokeKeysInTx } from "../keys/ownership";
import { publishKeyChange } from "../verify/invalidation";

export async function updateProfile(user: User, input: unknown): Promise<void> {
  const { name } = parseInput(z.object({ name: personNameSchema }), input);
  await getDb().update(users).set({ name }).where(eq(users.id, user.id));
}

export async function changePassword(user: User, input: unknown): Promise<void> {
  const data = parseInput(
    z
      .object({ currentPassword: z.string().max(128).default(""), newPassword: passwordSchema, confirmPassword: z.string() })
      .refine((d) => d.newPassword === d.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match" }),
    input,
  );
  if (user.passwordHash && !(await verifyPassword(user.passwordHash, data.currentPassword))) {
    throw fieldError("currentPassword", "Your current password is not correct");
  }
  await getDb().update(users).set({ passwordHash: await hashPassword(data.newPassword) }).where(eq(users.id, user.id));
}

/**
 * Ends every session of the user, this one included: the session rows go, and the bumped version
 * refuses any token issued before (belt and braces).
 */
export async function signOutEverywhere(user: User): Promise<void> {
  await getDb()
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, user.id));
  await endAllSessions(user.id);
}

export type DeletionPreview = {
  keys: { orgName: string; orgSlug: string; keys: { id: string; name: string }[] }[];
  /** Organizations the user is the last owner of while others remain: ownership must move first. */
  blockers: { name: string; slug: string }[];
};

async function myOrgs(userId: string) {
  const db = getDb();
  const rows = await db
    .select({ org: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId));
  return Promise.all(
    rows.map(async ({ org, role }) => {
      const [{ others }] = await db.select({ others: count() }).from(memberships).where(and(eq(memberships.organizationId, org.id), ne(memberships.userId, userId)));
      const [{ owners }] = await db
        .select({ owners: count() })
        .from(memberships)
        .where(and(eq(memberships.organizationId, org.id), eq(memberships.role, "owner"), ne(memberships.userId, userId)));
      return { org, role, others, otherOwners: owners };
    }),
  );
}

export async function accountDeletionPreview(user: User): Promise<DeletionPreview> {
  const orgs = await myOrgs(user.id);
  const keys = [];
  for (const { org } of orgs) {
    const owned = await liveKeysOwnedBy(getDb(), org.id, user.id);
    if (owned.length) keys.push({ orgName: org.name, orgSlug: org.slug, keys: owned.map((k) => ({ id: k.id, name: k.name })) });
  }
  const blockers = orgs.filter((o) => o.role === "owner" && o.others > 0 && o.otherOwners === 0).map((o) => ({ name: o.org.name, slug: o.org.slug }));
  return { keys, blockers };
}

/**
 * Deletes the account after the user types their email: revokes every key they own (audited in
 * each organization), deletes organizations where they are the only member, then the user.
 */
export async function deleteAccount(user: User, input: unknown, ip: string | null): Promise<void> {
  const { confirm } = parseInput(z.object({ confirm: z.string().trim().toLowerCase() }), input);
  if (confirm !== (user.email ?? "").toLowerCase()) throw fieldError("confirm", "Type your email address to confirm");
  const orgs = await myOrgs(user.id);
  const blockers = orgs.filter((o) => o.role === "owner" && o.others > 0 && o.otherOwners === 0);
  if (blockers.length) {
    throw new ConflictError(`You are the last owner of ${blockers.map((b) => b.org.name).join(", ")}. Make another member an owner first.`);
  }
  const actor: Actor = { userId: user.id, label: user.email ?? user.id, ip };
  await getDb().transaction(async (tx) => {
    for (const { org, others } of orgs) {
      if (others === 0) {
        await tx.delete(organizations).where(eq(organizations.id, org.id));
        continue;
      }
      await revokeKeysInTx(tx, org.id, actor, await liveKeysOwnedBy(tx, org.id, user.id), "owner deleted their account");
      await recordAudit(tx, { organizationId: org.id, actor, action: "member.account_deleted", target: { type: "user", id: user.id, label: user.email }, after: null });
    }
    await tx.delete(users).where(eq(users.id, user.id));
  });
  await publishKeyChange({ organizationIds: orgs.map((o) => o.org.id) });
}
