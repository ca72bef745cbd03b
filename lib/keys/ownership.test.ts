import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { apiKeys, auditEvents, getDb, organizations } from "@/lib/db";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { changeMemberRole, removeMember } from "@/lib/orgs/members";
import { accountDeletionPreview, deleteAccount } from "@/lib/auth/profile";
import { createOrganization } from "@/lib/orgs/organizations";
import { createKey, updateKey } from "./lifecycle";
import { addPermission } from "./permissions";
import { transferKeys } from "./ownership";
import { effectivePermissions, roleAllows } from "./caps";
import { getKey, myKeysQuerySchema, listKeys, listKeysOwnedBy } from "./queries";
import { toKeyView } from "./view";
import { actorOf, makeTeam, makeUser } from "@/test/factories";

const q = (over: Record<string, unknown> = {}) => myKeysQuerySchema.parse(over);

describe("role caps", () => {
  it("owner/admin: all; member: org permissions and keys:read/write/verify; viewer: :read only", () => {
    for (const p of ["keys:read", "keys:write", "keys:verify", "audit:read", "customers:manage"]) {
      expect(roleAllows("owner", p)).toBe(true);
      expect(roleAllows("admin", p)).toBe(true);
    }
    expect(["keys:read", "keys:write", "keys:verify", "audit:read", "customers:manage"].map((p) => roleAllows("member", p))).toEqual([true, true, true, false, true]);
    // A viewer's keys hold what a member's may, read-only: audit:read is an owner's or admin's, for every role below.
    expect(["keys:read", "keys:write", "audit:read", "customers:manage", "customers:read"].map((p) => roleAllows("viewer", p))).toEqual([true, false, false, false, true]);
    expect(effectivePermissions(["keys:read"], null)).toEqual([]);
  });

  it("creating or editing a key cannot grant what the owner's role caps out", async () => {
    const { ctx, people } = await makeTeam();
    await addPermission(await ctx("owner"), { name: "billing:manage" });
    await expect(createKey(await ctx("member"), { name: "m", permissions: ["audit:read"] })).rejects.toMatchObject({
      fieldErrors: { permissions: [expect.stringContaining("cannot hold audit:read")] },
    });
    const ok = await createKey(await ctx("member"), { name: "m", permissions: ["keys:write", "billing:manage"] });
    await expect(createKey(await ctx("admin"), { name: "v", ownerId: people.viewer.id, permissions: ["keys:write"] })).rejects.toMatchObject({
      fieldErrors: { permissions: expect.any(Array) },
    });
    await expect(updateKey(await ctx("member"), { keyId: ok.key.id, name: "m", permissions: ["audit:read"] })).rejects.toMatchObject({
      fieldErrors: { permissions: expect.any(Array) },
    });
  });

  it("demoting the owner shrinks the key's effective permissions at once", async () => {
    const { ctx, people } = await makeTeam();
    const { key } = await createKey(await ctx("admin"), { name: "ops", permissions: ["audit:read", "keys:write", "keys:read"] });
    const view = async () => toKeyView((await ctx("owner")).membership, await getKey(await ctx("owner"), key.id));
    expect((await view()).effectivePermissions).toEqual(["audit:read", "keys:read", "keys:write"]);
    await changeMemberRole(await ctx("owner"), { userId: people.admin.id, role: "member" });
    expect((await view()).effectivePermissions).toEqual(["keys:read", "keys:write"]);
    await changeMemberRole(await ctx("owner"), { userId: people.admin.id, role: "viewer" });
    expect((await view()).effectivePermissions).toEqual(["keys:read"]);
  });
});

describe("owner leaves", () => {
  it("removal → owner inactive → transfer → active again, audited", async () => {
    const { org, ctx, people } = await makeTeam();
    const { key } = await createKey(await ctx("member"), { name: "member key", permissions: ["keys:read"] });
    await removeMember(await ctx("admin"), { userId: people.member.id });
    const owner = await ctx("owner");
    expect(toKeyView(owner.membership, await getKey(owner, key.id)).status).toBe("owner_inactive");
    expect((await listKeys(owner, q({ status: "owner_inactive" }))).rows.map((r) => r.id)).toEqual([key.id]);
    expect((await listKeys(owner, q({ status: "active" }))).rows.map((r) => r.id)).not.toContain(key.id);
    // The former member no longer sees it in their own list.
    expect((await listKeysOwnedBy(people.member.id, q())).rows.map((r) => r.id)).not.toContain(key.id);

    await expect(transferKeys(owner, { keyIds: [key.id], ownerId: people.viewer.id })).resolves.toBe(1);
    expect(toKeyView(owner.membership, await getKey(owner, key.id))).toMatchObject({ status: "active", ownerId: people.viewer.id });
    const events = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "key.transferred")));
    expect(events[0]).toMatchObject({ targetId: key.id, before: { ownerId: people.member.id }, after: { ownerId: people.viewer.id } });
  });

  it("only admins transfer, and never beyond the new owner's cap", async () => {
    const { ctx, people } = await makeTeam();
    const { key } = await createKey(await ctx("admin"), { name: "audit reader", permissions: ["audit:read", "keys:write"] });
    await expect(transferKeys(await ctx("member"), { keyIds: [key.id], ownerId: people.member.id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(transferKeys(await ctx("owner"), { keyIds: [key.id], ownerId: people.member.id })).rejects.toMatchObject({ fieldErrors: { permissions: expect.any(Array) } });
  });

  it("removing a member can transfer or revoke their keys in the same step", async () => {
    const { ctx, people } = await makeTeam();
    const a = await createKey(await ctx("member"), { name: "a" });
    await removeMember(await ctx("owner"), { userId: people.member.id, keys: "transfer", transferTo: people.admin.id });
    expect((await getDb().select().from(apiKeys).where(eq(apiKeys.id, a.key.id)))[0].ownerId).toBe(people.admin.id);

    const b = await createKey(await ctx("admin"), { name: "b", ownerId: people.viewer.id });
    await removeMember(await ctx("owner"), { userId: people.viewer.id, keys: "revoke" });
    expect((await getDb().select().from(apiKeys).where(eq(apiKeys.id, b.key.id)))[0].status).toBe("revoked");
  });
});

describe("my keys across organizations", () => {
  it("lists only the caller's own keys, in every organization they belong to", async () => {
    const one = await makeTeam();
    const user = one.people.member;
    const second = await createOrganization(actorOf(user), { name: "Second org" });
    await createKey(await one.ctx("member"), { name: "mine in one" });
    await createKey(await one.ctx("admin"), { name: "admins key" });
    const { rows, total } = await listKeysOwnedBy(user.id, q({ perPage: 100 }));
    const names = rows.map((r) => r.name);
    expect(names).toContain("mine in one");
    expect(names.filter((n) => n === "Default public key")).toHaveLength(2); // personal and second org
    expect(names).not.toContain("admins key");
    expect(total).toBe(3); // plus the default public keys of the user's two own organizations
    expect((await listKeysOwnedBy(user.id, q({ org: second.slug }))).rows.map((r) => r.orgSlug)).toEqual([second.slug]);
  });
});

describe("account deletion", () => {
  it("lists and revokes every key the user owns, with an audit event in each organization", async () => {
    const one = await makeTeam();
    const two = await makeTeam();
    const user = await makeUser("Leaver");
    const { getDb: db } = await import("@/lib/db");
    const { memberships } = await import("@/lib/db");
    for (const t of [one, two]) await db().insert(memberships).values({ organizationId: t.org.id, userId: user.id, role: "member" });
    const { resolveOrgContext } = await import("@/lib/orgs/organizations");
    const k1 = await createKey(await resolveOrgContext(actorOf(user), one.org.slug), { name: "k1" });
    const k2 = await createKey(await resolveOrgContext(actorOf(user), two.org.slug), { name: "k2" });

    const preview = await accountDeletionPreview(user);
    expect(preview.blockers).toEqual([]);
    expect(preview.keys.flatMap((g) => g.keys.map((k) => k.name)).sort()).toEqual(["Default public key", "k1", "k2"]);

    await expect(deleteAccount(user, { confirm: "wrong@example.com" }, null)).rejects.toMatchObject({ fieldErrors: { confirm: expect.any(Array) } });
    await deleteAccount(user, { confirm: user.email }, "10.0.0.9");
    for (const [t, k] of [[one, k1], [two, k2]] as const) {
      const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, k.key.id));
      expect(row.status).toBe("revoked");
      const events = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organizationId, t.org.id), eq(auditEvents.targetId, k.key.id)));
      expect(events.map((e) => e.action)).toContain("key.revoked");
    }
    // The personal organization, where the user was alone, is gone.
    const personal = await getDb().select().from(organizations).where(eq(organizations.personalForUserId, user.id));
    expect(personal).toHaveLength(0);
  });

  it("refuses while the user is the last owner of an organization with other members", async () => {
    const { people } = await makeTeam();
    await expect(deleteAccount(people.owner, { confirm: people.owner.email }, null)).rejects.toBeInstanceOf(ConflictError);
    expect((await accountDeletionPreview(people.owner)).blockers).toHaveLength(1);
  });
});
