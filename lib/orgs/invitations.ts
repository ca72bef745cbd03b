// Owns invitations: a link valid 7 days (only its hash is stored), accepted by the invited email.
import { createHash } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { id } from "../primitives";
import { getDb, invitations, memberships, organizations, users, type Invitation, type Organization, type User } from "../db";
import { recordAudit } from "../audit/audit";
import type { Actor } from "../context";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import { newId, randomBase62 } from "../ids";
import { emailSchema, parseInput } from "../validation";
import { canAssignRole, requireAdmin, roleSchema } from "./roles";
import type { OrgContext } from "../context";

export const revokeInvitationSchema = z.object({ invitationId: id("inv") });

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export const inviteSchema = z.object({
  email: emailSchema,
  role: roleSchema,
});

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates (or re-issues) an invitation; the returned token is shown once and never stored. */
export async function createInvitation(ctx: OrgContext, input: unknown): Promise<{ invitation: Invitation; token: string }> {
  requireAdmin(ctx.membership.role, "invite members");
  const data = parseInput(inviteSchema, input);
  if (!canAssignRole(ctx.membership.role, data.role)) {
    throw new ForbiddenError("Only owners can invite another owner.", { role: ["Only owners can invite another owner"] });
  }
  const token = `inv_${randomBase62(32)}`;
  const invitation = await getDb().transaction(async (tx) => {
    const [existingMember] = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, ctx.org.id)))
      .where(eq(users.email, data.email))
      .limit(1);
    if (existingMember) throw new ConflictError(`${data.email} is already a member`, { email: ["Already a member of this organization"] });
    // A new invitation for the same address replaces the pending one.
    await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.organizationId, ctx.org.id),
          eq(invitations.email, data.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const [inv] = await tx
      .insert(invitations)
      .values({
        id: newId("inv", 16),
        organizationId: ctx.org.id,
        email: data.email,
        role: data.role,
        tokenHash: hashToken(token),
        invitedById: ctx.membership.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: "invitation.created",
      target: { type: "invitation", id: inv.id, label: inv.email },
      after: { email: inv.email, role: inv.role, expiresAt: inv.expiresAt.toISOString() },
    });
    return inv;
  });
  return { invitation, token };
}

export async function listPendingInvitations(ctx: OrgContext): Promise<Invitation[]> {
  return getDb()
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, ctx.org.id),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(ctx: OrgContext, input: unknown): Promise<void> {
  requireAdmin(ctx.membership.role, "revoke invitations");
  const { invitationId } = parseInput(revokeInvitationSchema, input);
  await getDb().transaction(async (tx) => {
    const [inv] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, ctx.org.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning();
    if (!inv) throw new NotFoundError("Invitation not found");
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: "invitation.revoked",
      target: { type: "invitation", id: inv.id, label: inv.email },
      before: { email: inv.email, role: inv.role },
    });
  });
}

export type InvitationView = {
  invitation: Invitation;
  organization: Pick<Organization, "id" | "name" | "slug">;
  state: "pending" | "expired" | "accepted" | "revoked";
};

/** Looks an invitation up by its link token (anyone holding the link may see whom it invites). */
export async function getInvitationByToken(token: string): Promise<InvitationView> {
  if (!/^inv_[0-9A-Za-z]{32}$/.test(token)) throw new NotFoundError("This invitation link is not valid.");
  const [row] = await getDb()
    .select({ invitation: invitations, organization: { id: organizations.id, name: organizations.name, slug: organizations.slug } })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(eq(invitations.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) throw new NotFoundError("This invitation link is not valid.");
  const inv = row.invitation;
  const state = inv.acceptedAt ? "accepted" : inv.revokedAt ? "revoked" : inv.expiresAt <= new Date() ? "expired" : "pending";
  return { ...row, state };
}

export async function acceptInvitation(user: User, token: string, ip: string | null): Promise<Pick<Organization, "slug">> {
  const view = await getInvitationByToken(token);
  const inv = view.invitation;
  if (view.state !== "pending") {
    throw new ConflictError(
      view.state === "expired"
        ? "This invitation has expired. Ask for a new one."
        : view.state === "revoked"
          ? "This invitation was revoked."
          : "This invitation has already been used.",
    );
  }
  if ((user.email ?? "").toLowerCase() !== inv.email) {
    throw new ForbiddenError(`This invitation is for ${inv.email}. Sign in with that address to accept it.`);
  }
  const actor: Actor = { userId: user.id, label: user.email ?? user.id, ip };
  await getDb().transaction(async (tx) => {
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (!claimed) throw new ConflictError("This invitation has already been used.");
    const inserted = await tx
      .insert(memberships)
      .values({ organizationId: inv.organizationId, userId: user.id, role: inv.role })
      .onConflictDoNothing()
      .returning();
    if (inserted.length) {
      await recordAudit(tx, {
        organizationId: inv.organizationId,
        actor,
        action: "member.joined",
        target: { type: "user", id: user.id, label: user.email },
        after: { role: inv.role, invitationId: inv.id },
      });
    }
  });
  return { slug: view.organization.slug };
}
