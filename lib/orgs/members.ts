// Owns memberships: listing, role changes, removal and leaving, with the last-owner guard.
import { and, asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import { id } from "../primitives";
import { getDb, memberships, users, type DbOrTx, type Role } from "../db";
import { recordAudit } from "../audit/audit";
import { ConflictError, ForbiddenError, NotFoundError, fieldError } from "../errors";
import { liveKeysOwnedBy, revokeKeysInTx, transferKeysInTx } from "../keys/ownership";
import { publishKeyChange } from "../verify/invalidation";
import { parseInput } from "../validation";
import { canAssignRole, requireAdmin, roleSchema } from "./roles";
import type { OrgContext } from "../context";
import { requireRecentAuth } from "../auth/reauth";

export type MemberRow = { userId: string; name: string | null; email: string | null; role: Role; joinedAt: Date };

export async function listMembers(ctx: OrgContext): Promise<MemberRow[]> {
  return getDb()
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, ctx.org.id))
    .orderBy(asc(users.email));
}

async function findMember(tx: DbOrTx, orgId: string, userId: string) {
  const [row] = await tx
    .select({ role: memberships.role, email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, orgId), eq(memberships.userId, userId)))
    .limit(1)
    .for("update", { of: memberships });
  if (!row) throw new NotFoundError("Member not found");
  return row;
}

async function ownerCount(tx: DbOrTx, orgId: string): Promise<number> {
  const [{ n }] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, orgId), eq(memberships.role, "owner")));
  return n;
}

export const changeRoleSchema = z.object({
  userId: id("user"),
  role: roleSchema,
});

export async function changeMemberRole(ctx: OrgContext, input: unknown): Promise<void> {
  requireAdmin(ctx.membership.role, "change member roles");
  const { userId, role } = parseInput(changeRoleSchema, input);
  await getDb().transaction(async (tx) => {
    const member = await findMember(tx, ctx.org.id, userId);
    if (member.role === role) return;
    if (!canAssignRole(ctx.membership.role, role, member.role)) {
      throw new ForbiddenError("Only owners can change an owner's role or make someone an owner.");
    }
    if (member.role === "owner" && (await ownerCount(tx, ctx.org.id)) <= 1) {
      throw new ConflictError("The last owner cannot be demoted. Make another member an owner first.");
    }
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.organizationId, ctx.org.id), eq(memberships.userId, userId)));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: "member.role_changed",
      target: { type: "user", id: userId, label: member.email },
      before: { role: member.role },
      after: { role },
    });
  });
  await publishKeyChange({ organizationIds: [ctx.org.id] }); // the owner's cap changed for their keys
}

export const removeMemberSchema = z.object({
  userId: id("user"),
  /** What happens to the member's keys: keep them (they stop working: owner inactive), transfer or revoke them. */
  keys: z.enum(["keep", "transfer", "revoke"]).default("keep"),
  transferTo: id("user").optional(),
});
type KeyFate = Omit<z.infer<typeof removeMemberSchema>, "userId">;

async function deleteMembership(ctx: OrgContext, userId: string, action: "member.removed" | "member.left", fate: KeyFate = { keys: "keep" }): Promise<void> {
  await getDb().transaction(async (tx) => {
    const member = await findMember(tx, ctx.org.id, userId);
    if (action === "member.removed" && member.role === "owner" && ctx.membership.role !== "owner") {
      throw new ForbiddenError("Only owners can remove an owner.");
    }
    if (action === "member.removed" && member.role === "owner") requireRecentAuth(ctx.actor);
    if (member.role === "owner" && (await ownerCount(tx, ctx.org.id)) <= 1) {
      throw new ConflictError(
        action === "member.left"
          ? "You are the last owner. Make another member an owner before leaving."
          : "The last owner cannot be removed.",
      );
    }
    if (fate.keys !== "keep") {
      const keys = await liveKeysOwnedBy(tx, ctx.org.id, userId);
      if (fate.keys === "revoke") await revokeKeysInTx(tx, ctx.org.id, ctx.actor, keys, `owner ${member.email ?? userId} was removed`);
      else {
        if (!fate.transferTo || fate.transferTo === userId) throw fieldError("transferTo", "Choose who receives the keys");
        await transferKeysInTx(tx, ctx.org.id, ctx.actor, keys, fate.transferTo);
      }
    }
    await tx.delete(memberships).where(and(eq(memberships.organizationId, ctx.org.id), eq(memberships.userId, userId)));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action,
      target: { type: "user", id: userId, label: member.email },
      before: { role: member.role },
      after: null,
    });
  });
  await publishKeyChange({ organizationIds: [ctx.org.id] }); // their keys stop verifying (owner inactive)
}

export async function removeMember(ctx: OrgContext, input: unknown): Promise<void> {
  requireAdmin(ctx.membership.role, "remove members");
  const { userId, ...fate } = parseInput(removeMemberSchema, input);
  if (userId === ctx.membership.userId) throw new ConflictError("Use “Leave organization” to remove yourself.");
  await deleteMembership(ctx, userId, "member.removed", fate);
}

export async function leaveOrganization(ctx: OrgContext): Promise<void> {
  await deleteMembership(ctx, ctx.membership.userId, "member.left");
}
