import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvents, getDb, invitations, memberships } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { signUp } from "@/lib/auth/accounts";
import { acceptInvitation, createInvitation, getInvitationByToken, listPendingInvitations, revokeInvitation } from "./invitations";
import { makeTeam, makeUser, uniq } from "@/test/factories";

describe("invitations", () => {
  it("an admin invites; the invited address accepts and becomes a member with the role", async () => {
    const { org, ctx } = await makeTeam();
    const email = `new-${uniq()}@example.com`;
    const { invitation, token } = await createInvitation(await ctx("admin"), { email, role: "viewer" });
    expect(token).toMatch(/^inv_[0-9A-Za-z]{32}$/);
    expect(invitation.tokenHash).not.toContain(token.slice(4)); // only the hash is stored
    expect(invitation.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "invitation.created")));
    expect(JSON.stringify(audit)).not.toContain(token);

    const invitee = await signUp({ name: "Invitee", email: email.toUpperCase(), password: "password-1234" }, null);
    const { slug } = await acceptInvitation(invitee, token, "10.0.0.1");
    expect(slug).toBe(org.slug);
    const [m] = await getDb().select().from(memberships).where(and(eq(memberships.organizationId, org.id), eq(memberships.userId, invitee.id)));
    expect(m.role).toBe("viewer");
    await expect(acceptInvitation(invitee, token, null)).rejects.toThrow(/already been used/);
  });

  it("only the invited address can accept", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createInvitation(await ctx("owner"), { email: `someone-${uniq()}@example.com`, role: "member" });
    const other = await makeUser("Other");
    await expect(acceptInvitation(other, token, null)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("expired and revoked invitations cannot be accepted", async () => {
    const { ctx } = await makeTeam();
    const email = `late-${uniq()}@example.com`;
    const { invitation, token } = await createInvitation(await ctx("owner"), { email, role: "member" });
    await getDb().update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, invitation.id));
    const user = await signUp({ name: "Late", email, password: "password-1234" }, null);
    expect((await getInvitationByToken(token)).state).toBe("expired");
    await expect(acceptInvitation(user, token, null)).rejects.toThrow(/expired/);

    const again = await createInvitation(await ctx("owner"), { email, role: "member" });
    await revokeInvitation(await ctx("admin"), { invitationId: again.invitation.id });
    await expect(acceptInvitation(user, again.token, null)).rejects.toBeInstanceOf(ConflictError);
  });

  it("members and viewers cannot invite; admins cannot invite owners", async () => {
    const { ctx } = await makeTeam();
    for (const role of ["member", "viewer"] as const) {
      await expect(createInvitation(await ctx(role), { email: `x-${uniq()}@example.com`, role: "member" })).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(createInvitation(await ctx("admin"), { email: `x-${uniq()}@example.com`, role: "owner" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("refuses a bad email naming the field, and an existing member", async () => {
    const { ctx, people } = await makeTeam();
    await expect(createInvitation(await ctx("owner"), { email: "not-an-email", role: "member" })).rejects.toMatchObject({
      fieldErrors: { email: ["Enter a valid email address"] },
    });
    await expect(createInvitation(await ctx("owner"), { email: people.member.email, role: "member" })).rejects.toBeInstanceOf(ConflictError);
  });

  it("re-inviting replaces the pending invitation; another org cannot revoke it", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    const email = `re-${uniq()}@example.com`;
    const first = await createInvitation(await a.ctx("owner"), { email, role: "member" });
    await createInvitation(await a.ctx("owner"), { email, role: "admin" });
    const pending = await listPendingInvitations(await a.ctx("owner"));
    expect(pending.filter((i) => i.email === email).map((i) => i.role)).toEqual(["admin"]);
    expect((await getInvitationByToken(first.token)).state).toBe("revoked");
    await expect(revokeInvitation(await b.ctx("owner"), { invitationId: pending[0].id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("an unknown or malformed token is not found", async () => {
    await expect(getInvitationByToken("inv_" + "A".repeat(32))).rejects.toBeInstanceOf(NotFoundError);
    await expect(getInvitationByToken("../../etc")).rejects.toBeInstanceOf(NotFoundError);
  });
});
