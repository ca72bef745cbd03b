import v8 from "node:v8";
import vm from "node:vm";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiKey } from "@/lib/db";
import { newId } from "@/lib/ids";
import { cacheGet, cacheSet, cacheSize, cacheStats, clearCache, evict, MAX_ENTRIES } from "./cache";
import { toRecord } from "./lookup";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const org = newId("org");
const owner = newId("usr");
function row(i: number, extra: Partial<ApiKey> = {}): ApiKey {
  const now = new Date();
  return {
    id: newId("key"), organizationId: `${org}`, ownerId: `${owner}`, createdById: `${owner}`, name: `service key ${i}`, description: "A key used by one of our services",
    type: "secret", environment: "production", prefix: "sk_prod_", last4: "a1B2", hash: randomBytes(32).toString("hex"), previousHash: null, previousHashExpiresAt: null,
    publicToken: null, status: "active", permissions: ["keys:read", "customers:read"], rules: null, ipAllowlist: [], ratelimits: [],
    expiresAt: null, metadata: { plan: "pro" }, externalId: `cus_${i}`, lastUsedAt: now, lastUsedIp: "203.0.113.7", createdAt: now, updatedAt: now, revokedAt: null,
    customerId: null, creditsRemaining: null, creditsRefillAmount: null, creditsRefillInterval: null, creditsRefillDay: null, creditsNextRefillAt: null, creditsLowThreshold: null,
    permissionUseCountedSince: now, tokenSealed: null,
    ...extra,
  };
}
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

afterEach(() => clearCache());

describe("the key cache", () => {
  it("holds 100,000 keys in under 1 KB each", () => {
    clearCache();
    const before = heap();
    const now = Date.now();
    for (let i = 0; i < MAX_ENTRIES; i++) {
      const r = row(i);
      cacheSet(r.hash, toRecord({ key: r, ownerRole: "admin" }, r.hash), now);
    }
    const perKey = (heap() - before) / MAX_ENTRIES;
    console.log(`[cache] ${Math.round(perKey)} bytes per cached key (${cacheSize()} keys)`);
    expect(cacheSize()).toBe(MAX_ENTRIES);
    expect(perKey).toBeLessThan(1024);
  });

  it("keeps recently used keys when full, evicts the others, and counts hits, misses and evictions", () => {
    const now = Date.now();
    const hot = row(0);
    cacheSet(hot.hash, toRecord({ key: hot, ownerRole: "owner" }, hot.hash), now);
    for (let i = 1; i < MAX_ENTRIES; i++) cacheSet(`h${i}`, null, now);
    expect(cacheGet(hot.hash, now)?.id).toBe(hot.id); // used: gets a second chance
    const before = cacheStats();
    for (let i = 0; i < 10; i++) cacheSet(`new${i}`, null, now);
    expect(cacheSize()).toBe(MAX_ENTRIES);
    expect(cacheGet(hot.hash, now)?.id).toBe(hot.id);
    expect(cacheGet("h1", now)).toBeUndefined(); // the oldest unused went first
    const after = cacheStats();
    expect(after.evictions - before.evictions).toBe(10);
    expect(after.hits - before.hits).toBe(1);
    expect(after.misses - before.misses).toBe(1);
  });

  it("evicts by key (both tokens during a roll's grace), by organization, and expires entries", () => {
    const now = Date.now();
    const rolled = row(1, { previousHash: randomBytes(32).toString("hex"), previousHashExpiresAt: new Date(now + 60_000) });
    cacheSet(rolled.hash, toRecord({ key: rolled, ownerRole: "owner" }, rolled.hash), now);
    cacheSet(rolled.previousHash!, toRecord({ key: rolled, ownerRole: "owner" }, rolled.previousHash!), now);
    expect(cacheGet(rolled.previousHash!, now)?.graceUntilMs).toBe(now + 60_000);
    evict({ keyIds: [rolled.id] });
    expect([cacheGet(rolled.hash, now), cacheGet(rolled.previousHash!, now)]).toEqual([undefined, undefined]);

    const other = row(2, { organizationId: "org_other" });
    const mine = row(3);
    for (const r of [other, mine]) cacheSet(r.hash, toRecord({ key: r, ownerRole: "owner" }, r.hash), now);
    evict({ organizationIds: [org] });
    expect(cacheGet(mine.hash, now)).toBeUndefined();
    expect(cacheGet(other.hash, now)?.id).toBe(other.id);
    expect(cacheGet(other.hash, now + 31_000)).toBeUndefined(); // TTL backstop
    cacheSet("unknown", null, now);
    expect(cacheGet("unknown", now)).toBeNull();
    expect(cacheGet("unknown", now + 2_001)).toBeUndefined();
  });

  it("records with the same permissions share one list", () => {
    const [a, b] = [row(1), row(2)];
    expect(toRecord({ key: a, ownerRole: "owner" }, a.hash).effectivePermissions).toBe(toRecord({ key: b, ownerRole: "owner" }, b.hash).effectivePermissions);
  });
});
