import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvents, getDb, memberships } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { changeMemberRole, leaveOrganization, listMembers, removeMember } from "./members";
import { resolveOrgContext } from "./organizations";
import { actorOf, makeTeam, makeUser } from "@/test/factories";

async function roleOf(orgId: string, userId: string) {
  const [row] = await getDb()
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, orgId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

describe("members", () => {
  it("lists every member with their role", async () => {
    const { ctx, people } = await makeTeam();
    const rows = await listMembers(await ctx("viewer"));
    expect(Object.fromEntries(rows.map((r) => [r.userId, r.role]))).toEqual({
      [people.owner.id]: "owner",
      [people.admin.id]: "admin",
      [people.member.id]: "member",
      [people.viewer.id]: "viewer",
    });
  });

  it("members and viewers cannot change roles or remove anyone, and nothing changes", async () => {
    const { org, ctx, people } = await makeTeam();
    for (const role of ["member", "viewer"] as const) {
      const c = await ctx(role);
      await expect(changeMemberRole(c, { userId: people.viewer.id, role: "admin" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(removeMember(c, { userId: people.viewer.id })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await roleOf(org.id, people.viewer.id)).toBe("viewer");
  });

  it("admins manage non-owners but cannot create, demote or remove owners", async () => {
    const { org, ctx, people } = await makeTeam();
    const admin = await ctx("admin");
    await changeMemberRole(admin, { userId: people.member.id, role: "viewer" });
    expect(await roleOf(org.id, people.member.id)).toBe("viewer");
    await expect(changeMemberRole(admin, { userId: people.member.id, role: "owner" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(changeMemberRole(admin, { userId: people.owner.id, role: "member" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(removeMember(admin, { userId: people.owner.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await roleOf(org.id, people.owner.id)).toBe("owner");
  });

  it("the last owner can neither be demoted nor leave; with a second owner both work", async () => {
    const { org, ctx, people } = await makeTeam();
    const owner = await ctx("owner");
    await expect(changeMemberRole(owner, { userId: people.owner.id, role: "admin" })).rejects.toBeInstanceOf(ConflictError);
    await expect(leaveOrganization(owner)).rejects.toThrow(/last owner/);
    expect(await roleOf(org.id, people.owner.id)).toBe("owner");

    await changeMemberRole(owner, { userId: people.admin.id, role: "owner" });
    await leaveOrganization(owner);
    expect(await roleOf(org.id, people.owner.id)).toBeNull();
  });

  it("rejects an unknown role naming the field", async () => {
    const { ctx, people } = await makeTeam();
    await expect(changeMemberRole(await ctx("owner"), { userId: people.member.id, role: "god" })).rejects.toMatchObject({
      fieldErrors: { role: [expect.stringContaining("Choose a role")] },
    });
  });

  it("a removed member gets NotFound for the organization, and the removal is audited", async () => {
    const { org, ctx, people } = await makeTeam();
    await removeMember(await ctx("admin"), { userId: people.member.id });
    await expect(resolveOrgContext(actorOf(people.member), org.slug)).rejects.toBeInstanceOf(NotFoundError);
    const [event] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "member.removed")));
    expect(event).toMatchObject({ actorUserId: people.admin.id, targetId: people.member.id, before: { role: "member" }, after: null });
  });

  it("cannot touch a user of another organization", async () => {
    const a = await makeTeam();
    const stranger = await makeUser("Stranger");
    await expect(removeMember(await a.ctx("owner"), { userId: stranger.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(changeMemberRole(await a.ctx("owner"), { userId: stranger.id, role: "admin" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
