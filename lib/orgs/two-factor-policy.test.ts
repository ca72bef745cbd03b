import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { generateSync } from "otplib";
import { auditEvents, getDb, memberships, organizations, users } from "@/lib/db";
import { ConflictError, ForbiddenError, ReauthRequiredError, TwoFactorRequiredError } from "@/lib/errors";
import { beginTotpSetup, confirmTotpSetup } from "@/lib/auth/two-factor";
import { updateKeyPolicy } from "@/lib/keys/policy";
import { createKey } from "@/lib/keys/lifecycle";
import * as keysRoute from "@/app/api/v1/keys/route";
import { removeMember } from "./members";
import { resolveOrgContext } from "./organizations";
import { assertTwoFactorPolicy, setTwoFactorRequirement } from "./two-factor-policy";
import { actorOf, makeTeam } from "@/test/factories";

describe("require two-factor authentication (org policy)", () => {
  it("owners and admins only, after re-authentication, with two-factor of their own; audited", async () => {
    const { org, people, ctx } = await makeTeam();
    await expect(setTwoFactorRequirement(await ctx("member"), { requireTwoFactor: true })).rejects.toBeInstanceOf(ForbiddenError);
    const stale = await resolveOrgContext(actorOf(people.owner, null), org.slug);
    await expect(setTwoFactorRequirement(stale, { requireTwoFactor: true })).rejects.toBeInstanceOf(ReauthRequiredError);
    await expect(setTwoFactorRequirement(await ctx("owner"), { requireTwoFactor: true })).rejects.toBeInstanceOf(ConflictError);

    const setup = await beginTotpSetup(people.owner);
    await confirmTotpSetup(people.owner, { code: generateSync({ secret: setup.secret }) });
    expect(await setTwoFactorRequirement(await ctx("owner"), { requireTwoFactor: true })).toEqual({ requireTwoFactor: true });
    const [row] = await getDb().select().from(organizations).where(eq(organizations.id, org.id));
    expect(row.requireTwoFactor).toBe(true);
    const events = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "policy.two_factor_updated")));
    expect(events).toHaveLength(1);
    expect(events[0].after).toEqual({ requireTwoFactor: true });

    // Members without two-factor are refused; the owner, who has it, is not.
    expect(() => assertTwoFactorPolicy(row, people.member)).toThrow(TwoFactorRequiredError);
    const owner = await getDb().query.users.findFirst({ where: eq(users.id, people.owner.id) });
    expect(() => assertTwoFactorPolicy(row, owner!)).not.toThrow();
  });

  it("leaves the REST API with keys alone: a key of a member without two-factor keeps working", async () => {
    const { org, people, ctx } = await makeTeam();
    const { token } = await createKey(await ctx("member"), { name: "svc", permissions: ["keys:read"] });
    await getDb().update(organizations).set({ requireTwoFactor: true }).where(eq(organizations.id, org.id));
    expect(people.member.totpEnabledAt).toBeNull();
    const res = await keysRoute.GET(new Request("http://latchkey.test/api/v1/keys", { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) } as never);
    expect(res.status).toBe(200);
  });

  it("changing key policy and removing an owner ask for re-authentication", async () => {
    const { org, people, ctx } = await makeTeam();
    const stale = await resolveOrgContext(actorOf(people.owner, null), org.slug);
    await expect(updateKeyPolicy(stale, { requireExpiry: true })).rejects.toBeInstanceOf(ReauthRequiredError);
    await getDb().update(memberships).set({ role: "owner" }).where(and(eq(memberships.organizationId, org.id), eq(memberships.userId, people.admin.id)));
    await expect(removeMember(stale, { userId: people.admin.id })).rejects.toBeInstanceOf(ReauthRequiredError);
    // A member who is not an owner is removed without asking.
    await removeMember(stale, { userId: people.viewer.id });
    await removeMember(await ctx("owner"), { userId: people.admin.id });
  });
});
