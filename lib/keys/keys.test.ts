import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { apiKeys, auditEvents, getDb, type Role } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { createKey, rollKey, updateKey } from "./lifecycle";
import { changeKey, changeKeys } from "./status";
import { addPermission, removePermission } from "./permissions";
import { listKeys, keyListQuerySchema } from "./queries";
import { parsePageQuery } from "@/lib/ops/operation";
import { updateKeyPolicy } from "./policy";
import { hashToken, parseToken } from "./token";
import { effectiveStatus } from "./access";
import { listOrganizationsForUser } from "@/lib/orgs/organizations";
import { makeTeam, makeUser, uniq } from "@/test/factories";

const q = (over: Record<string, unknown> = {}) => keyListQuerySchema.parse(over);

async function keyRow(id: string) {
  const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

async function auditActions(orgId: string, keyId: string) {
  const rows = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organizationId, orgId), eq(auditEvents.targetId, keyId)));
  return rows;
}

describe("keys", () => {
  it("every new organization has an active public 'Default public key'", async () => {
    const user = await makeUser("Fresh");
    const [org] = await listOrganizationsForUser(user.id);
    const keys = await getDb().select().from(apiKeys).where(eq(apiKeys.organizationId, org.id));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ name: "Default public key", type: "public", status: "active", ownerId: user.id });
    expect(keys[0].publicToken).toMatch(/^pk_prod_/);
  });

  it("creates a secret key with every field; the token is returned once and only its hash is stored", async () => {
    const { org, ctx, people } = await makeTeam();
    await addPermission(await ctx("owner"), { name: "customers:read" });
    const expires = new Date(Date.now() + 30 * 86_400_000);
    const { key, token } = await createKey(await ctx("admin"), {
      name: "Billing service",
      description: "Reads customers",
      ownerId: people.member.id,
      type: "secret",
      environment: "staging",
      permissions: ["customers:read", "keys:verify"],
      rules: "allow GET /v1/customers/**",
      ipAllowlist: "10.0.0.0/8\n203.0.113.7",
      rateLimit: { limit: 100, windowSeconds: 60 },
      expiresAt: expires.toISOString(),
      metadata: '{"customer":"cus_42"}',
      externalId: "cus_42",
    });
    expect(parseToken(token)).toMatchObject({ type: "secret", environment: "staging" });
    const row = await keyRow(key.id);
    expect(row).toMatchObject({
      hash: hashToken(token),
      publicToken: null,
      prefix: "sk_stg_",
      last4: token.slice(-4),
      ownerId: people.member.id,
      permissions: ["customers:read", "keys:verify"],
      ipAllowlist: ["10.0.0.0/8", "203.0.113.7"],
      ratelimits: [{ name: "default", limit: 100, window: 60 }],
      metadata: { customer: "cus_42" },
    });
    const events = await auditActions(org.id, key.id);
    expect(events.map((e) => e.action)).toEqual(["key.created"]);
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(row.hash);
  });

  it("names the field for each kind of bad input, and writes nothing", async () => {
    const { org, ctx } = await makeTeam();
    const c = await ctx("owner");
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "" }, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: "k", permissions: ["nope:read"] }, "permissions"],
      [{ name: "k", type: "public", permissions: ["keys:write"] }, "permissions"],
      [{ name: "k", rules: "allow GET /ok\npermit GET /x" }, "rules"],
      [{ name: "k", ipAllowlist: "10.0.0.0/40" }, "ipAllowlist"],
      [{ name: "k", rateLimit: { limit: 0, windowSeconds: 10 } }, "rateLimit.limit"],
      [{ name: "k", rateLimit: { limit: 5, windowSeconds: 90_000 } }, "rateLimit.windowSeconds"],
      [{ name: "k", ratelimits: [{ name: "a", limit: 5, window: 60 }, { name: "a", limit: 9, window: 1 }] }, "ratelimits.1.name"],
      [{ name: "k", ratelimits: [{ name: "bad name", limit: 5, window: 60 }] }, "ratelimits.0.name"],
      [{ name: "k", ratelimits: [{ name: "a", limit: -1, window: 60 }] }, "ratelimits.0.limit"],
      [{ name: "k", ratelimits: [{ name: "a", limit: 1, window: 0 }] }, "ratelimits.0.window"],
      [{ name: "k", ratelimits: [], rateLimit: { limit: 5, windowSeconds: 60 } }, "rateLimit"],
      [{ name: "k", expiresAt: "yesterday-ish" }, "expiresAt"],
      [{ name: "k", expiresAt: new Date(Date.now() - 1000).toISOString() }, "expiresAt"],
      [{ name: "k", metadata: "[1,2]" }, "metadata"],
      [{ name: "k", metadata: JSON.stringify({ a: "x".repeat(5000) }) }, "metadata"],
      [{ name: "k", environment: "prod" }, "environment"],
      [{ name: "Default public key" }, "name"],
    ];
    for (const [input, field] of cases) {
      const err = await createKey(c, input).catch((e) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(ValidationError);
      expect(Object.keys(err.fieldErrors ?? {}), JSON.stringify(input)).toContain(field);
    }
    const keys = await getDb().select().from(apiKeys).where(eq(apiKeys.organizationId, org.id));
    expect(keys).toHaveLength(1); // only the default public key
  });

  it("rule errors carry line numbers", async () => {
    const { ctx } = await makeTeam();
    const err = await createKey(await ctx("owner"), { name: "r", rules: "allow GET /ok\npermit GET /x\nallow FETCH /y" }).catch((e) => e);
    expect(err.fieldErrors.rules).toEqual([expect.stringMatching(/^Line 2:/), expect.stringMatching(/^Line 3:/)]);
  });

  it("applies the key policy: required expiry and maximum lifetime", async () => {
    const { ctx } = await makeTeam();
    await updateKeyPolicy(await ctx("owner"), { requireExpiry: true, maxLifetimeDays: 30, defaultGrace: "1h" });
    const c = await ctx("owner");
    await expect(createKey(c, { name: "a" })).rejects.toMatchObject({ fieldErrors: { expiresAt: [expect.stringContaining("requires an expiry")] } });
    await expect(createKey(c, { name: "b", expiresAt: new Date(Date.now() + 40 * 86_400_000).toISOString() })).rejects.toMatchObject({
      fieldErrors: { expiresAt: [expect.stringContaining("at most 30 days")] },
    });
    const ok = await createKey(c, { name: "c", expiresAt: new Date(Date.now() + 29 * 86_400_000).toISOString() });
    expect(ok.key.expiresAt).not.toBeNull();
    await expect(updateKeyPolicy(await ctx("admin"), { maxLifetimeDays: 0 })).rejects.toMatchObject({ fieldErrors: { maxLifetimeDays: expect.any(Array) } });
    await expect(updateKeyPolicy(await ctx("member"), { requireExpiry: false })).rejects.toBeInstanceOf(ForbiddenError);
  });

  describe("who may do what", () => {
    const ops = ["update", "roll", "suspend", "revoke", "delete"] as const;
    async function attempt(role: Role, op: (typeof ops)[number], keyId: string, ctx: (r: Role) => Promise<import("@/lib/context").OrgContext>) {
      const c = await ctx(role);
      if (op === "update") return updateKey(c, { keyId, name: `renamed ${uniq()}` });
      if (op === "roll") return rollKey(c, { keyId, grace: "now" });
      return changeKey(c, op, { keyId });
    }

    it.each(ops)("%s: owner and admin on any key; member on own key only; viewer never; non-member not found", async (op) => {
      const team = await makeTeam();
      const memberKey = (await createKey(await team.ctx("member"), { name: `mine ${uniq()}` })).key;
      const adminKey = (await createKey(await team.ctx("admin"), { name: `admins ${uniq()}` })).key;

      await expect(attempt("viewer", op, memberKey.id, team.ctx)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(attempt("member", op, adminKey.id, team.ctx)).rejects.toBeInstanceOf(ForbiddenError);
      const untouched = await keyRow(adminKey.id);
      expect(untouched).toMatchObject({ name: adminKey.name, status: "active", hash: adminKey.hash });

      const other = await makeTeam();
      await expect(attempt("owner", op, adminKey.id, other.ctx)).rejects.toBeInstanceOf(NotFoundError);

      await attempt("member", op, memberKey.id, team.ctx);
      await attempt(op === "delete" ? "admin" : "owner", op, adminKey.id, team.ctx);
      if (op === "delete") expect(await keyRow(adminKey.id)).toBeUndefined();
    });

    it("viewers cannot create; members create only keys they own; admins choose any member", async () => {
      const { ctx, people } = await makeTeam();
      await expect(createKey(await ctx("viewer"), { name: "v" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(createKey(await ctx("member"), { name: "m", ownerId: people.admin.id })).rejects.toBeInstanceOf(ForbiddenError);
      const own = await createKey(await ctx("member"), { name: "m" });
      expect(own.key.ownerId).toBe(people.member.id);
      const chosen = await createKey(await ctx("admin"), { name: "a", ownerId: people.viewer.id });
      expect(chosen.key.ownerId).toBe(people.viewer.id);
      const outsider = await makeUser("Outsider");
      await expect(createKey(await ctx("admin"), { name: "x", ownerId: outsider.id })).rejects.toMatchObject({ fieldErrors: { ownerId: expect.any(Array) } });
    });
  });

  it("suspend → reactivate → revoke is audited; revoked is permanent", async () => {
    const { org, ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key } = await createKey(c, { name: "lifecycle" });
    await changeKey(c, "suspend", { keyId: key.id });
    await expect(changeKey(c, "suspend", { keyId: key.id })).rejects.toBeInstanceOf(ConflictError);
    await changeKey(c, "reactivate", { keyId: key.id });
    await changeKey(c, "revoke", { keyId: key.id });
    await expect(changeKey(c, "reactivate", { keyId: key.id })).rejects.toBeInstanceOf(ConflictError);
    await expect(rollKey(c, { keyId: key.id })).rejects.toBeInstanceOf(ConflictError);
    // After revocation nobody can manage the key any more; only those who could may still delete it.
    const { getKey } = await import("./queries");
    const { toKeyView } = await import("./view");
    const revoked = await getKey(c, key.id);
    expect(toKeyView(c.membership, revoked)).toMatchObject({ canManage: false, canDelete: true });
    expect(toKeyView((await ctx("viewer")).membership, revoked)).toMatchObject({ canManage: false, canDelete: false });
    // The name is free again once the key is revoked.
    await createKey(c, { name: "lifecycle" });
    expect((await auditActions(org.id, key.id)).map((e) => e.action).sort()).toEqual(["key.created", "key.reactivated", "key.revoked", "key.suspended"]);
  });

  it("roll keeps the key and its settings, with the old token valid for the grace period", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const expires = new Date(Date.now() + 3 * 3600_000);
    const { key, token: oldToken } = await createKey(c, { name: "rolled", permissions: ["keys:read"], expiresAt: expires.toISOString() });
    const before = Date.now();
    const { key: rolled, token } = await rollKey(c, { keyId: key.id, grace: "12h" });
    expect(rolled).toMatchObject({ id: key.id, name: "rolled", permissions: ["keys:read"], previousHash: hashToken(oldToken), hash: hashToken(token) });
    // 12 h would pass the key's own expiry (3 h): the grace ends with the key.
    expect(rolled.previousHashExpiresAt?.getTime()).toBe(expires.getTime());
    const { key: again } = await rollKey(c, { keyId: key.id, grace: "1h" });
    expect(again.previousHashExpiresAt!.getTime() - before).toBeGreaterThanOrEqual(3600_000 - 5);
    expect(again.previousHash).toBe(hashToken(token));
    const { key: now } = await rollKey(c, { keyId: key.id, grace: "now" });
    expect(now.previousHash).toBeNull();
  });

  it("rolling an expired key renews it with a new expiry checked against the policy", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key } = await createKey(c, { name: "old" });
    await getDb().update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, key.id));
    expect(effectiveStatus((await keyRow(key.id))!)).toBe("expired");
    await expect(rollKey(c, { keyId: key.id })).rejects.toMatchObject({ fieldErrors: { expiresAt: expect.any(Array) } });
    const renewed = await rollKey(c, { keyId: key.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(effectiveStatus(renewed.key)).toBe("active");
    expect(renewed.key.previousHash).toBeNull();
  });

  it("bulk actions are all or nothing", async () => {
    const team = await makeTeam();
    const mine = await createKey(await team.ctx("member"), { name: "m1" });
    const theirs = await createKey(await team.ctx("admin"), { name: "a1" });
    await expect(changeKeys(await team.ctx("member"), "revoke", { keyIds: [mine.key.id, theirs.key.id] })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await keyRow(mine.key.id)).status).toBe("active");
    expect(await changeKeys(await team.ctx("admin"), "suspend", { keyIds: [mine.key.id, theirs.key.id] })).toBe(2);
    expect((await keyRow(theirs.key.id)).status).toBe("suspended");
  });

  it("a permission in use cannot be removed; the error names the keys", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    await addPermission(c, { name: "licenses:manage" });
    await expect(addPermission(c, { name: "licenses:manage" })).rejects.toMatchObject({ fieldErrors: { name: expect.any(Array) } });
    await expect(addPermission(c, { name: "Not Valid" })).rejects.toBeInstanceOf(ValidationError);
    const { key } = await createKey(c, { name: "License bot", permissions: ["licenses:manage"] });
    await expect(removePermission(c, { name: "licenses:manage" })).rejects.toThrow(/License bot/);
    await changeKey(c, "revoke", { keyId: key.id });
    await removePermission(c, { name: "licenses:manage" });
    await expect(removePermission(await ctx("member"), { name: "licenses:manage" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("lists with search, filters, sort and pagination, scoped to the organization", async () => {
    const { ctx, people } = await makeTeam();
    const c = await ctx("owner");
    for (let i = 0; i < 12; i++) {
      await createKey(c, { name: `svc-${String(i).padStart(2, "0")}`, environment: i % 2 ? "staging" : "production" });
    }
    const soon = await createKey(c, { name: "expiring-soon", expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString() });
    const memberKey = await createKey(await ctx("member"), { name: "member-key", type: "public" });
    const other = await makeTeam();
    await createKey(await other.ctx("owner"), { name: "svc-other" });

    const all = await listKeys(c, q({ perPage: 10 }));
    expect(all.total).toBe(15); // 12 + expiring + member + default public key
    expect(all.rows).toHaveLength(10);
    expect((await listKeys(c, q({ perPage: 10, page: 2 }))).rows).toHaveLength(5);
    expect((await listKeys(c, q({ q: "svc-" }))).total).toBe(12);
    expect((await listKeys(c, q({ q: soon.token }))).rows.map((r) => r.id)).toEqual([soon.key.id]);
    expect((await listKeys(c, q({ q: soon.key.id }))).total).toBe(1);
    expect((await listKeys(c, q({ environment: "staging" }))).total).toBe(6);
    expect((await listKeys(c, q({ type: "public" }))).total).toBe(2);
    expect((await listKeys(c, q({ owner: people.member.id }))).rows.map((r) => r.name)).toEqual(["member-key"]);
    expect((await listKeys(c, q({ status: "expiring" }))).rows.map((r) => r.name)).toEqual(["expiring-soon"]);
    const byName = await listKeys(c, q({ sort: "name", dir: "asc", perPage: 100 }));
    expect(byName.rows.map((r) => r.name)).toEqual([...byName.rows.map((r) => r.name)].sort((a, b) => a.localeCompare(b)));
    expect((await listKeys(c, q({ status: "active" }))).total).toBe(15);
    await changeKey(c, "suspend", { keyId: memberKey.key.id });
    expect((await listKeys(c, q({ status: "suspended" }))).total).toBe(1);
    expect((await listKeys(c, q({ q: "svc-other" }))).total).toBe(0);
    // One rule for what is valid: a page drops a bad URL value and shows its default, keeping the good ones…
    const fallback = parsePageQuery(keyListQuerySchema, { perPage: "7", sort: "hash", page: "-3", status: "weird", environment: "staging" });
    expect(fallback.status).toBeUndefined();
    expect(fallback).toMatchObject({ perPage: 7, sort: "createdAt", page: 1, environment: "staging" });
    // …while the REST API (the same schema, strictly) names the field at fault.
    expect(keyListQuerySchema.safeParse({ sort: "hash" }).error?.issues[0]).toMatchObject({ path: ["sort"] });
  });
});

describe("purge", () => {
  it("deletes keys expired longer ago than the retention, audits each, keeps the rest", async () => {
    const { purgeExpiredKeys } = await import("./purge");
    const { org, ctx } = await makeTeam();
    const c = await ctx("owner");
    const old = await createKey(c, { name: "long expired" });
    const recent = await createKey(c, { name: "recently expired" });
    await getDb().update(apiKeys).set({ expiresAt: new Date(Date.now() - 10 * 86_400_000) }).where(eq(apiKeys.id, old.key.id));
    await getDb().update(apiKeys).set({ expiresAt: new Date(Date.now() - 3 * 86_400_000) }).where(eq(apiKeys.id, recent.key.id));
    expect(await purgeExpiredKeys(7)).toBeGreaterThanOrEqual(1);
    expect(await keyRow(old.key.id)).toBeUndefined();
    expect((await keyRow(recent.key.id))?.name).toBe("recently expired");
    const trail = await auditActions(org.id, old.key.id);
    expect(trail.map((e) => e.action)).toContain("key.purged");
  });
});
