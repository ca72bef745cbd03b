import { describe, expect, it } from "vitest";
import { createKey } from "@/lib/keys/lifecycle";
import { flushUsage, recordUsage } from "@/lib/verify/usage";
import { verifyKey } from "@/lib/verify/verify";
import { createCustomer } from "@/lib/customers/customers";
import { makeTeam, uniq } from "@/test/factories";
import { restRoute } from "@/lib/api/with-api-key";
import type { Operation } from "@/lib/ops/operation";
import { verificationAnalyticsOp } from "./operations";
import { analyticsKeyOptions, orgAnalytics, verificationAnalytics, verificationAnalyticsQuerySchema } from "./verifications";
import { rollupTiles } from "./rollup-tiles";

const HOUR = 3_600_000;

async function seeded() {
  const { ctx } = await makeTeam();
  const owner = await ctx("owner");
  const prod = (await createKey(owner, { name: `billing ${uniq()}`, environment: "production" })).key;
  const stg = (await createKey(owner, { name: `staging app ${uniq()}`, environment: "staging" })).key;
  const other = await makeTeam();
  const foreign = (await createKey(await other.ctx("owner"), { name: "foreign" })).key;
  // Two hours ago and now, whole hours apart so the buckets are known.
  const now = Date.now();
  const earlier = now - 2 * HOUR;
  const verified = (k: typeof prod, atMs: number, code: string, n: number) => {
    for (let i = 0; i < n; i++) recordUsage({ keyId: k.id, organizationId: k.organizationId, environment: k.environment, atMs, code, ip: null, method: null, path: null });
  };
  verified(prod, earlier, "VALID", 30);
  verified(prod, now, "VALID", 10);
  verified(prod, now, "RATE_LIMITED", 2);
  verified(stg, now, "VALID", 1);
  verified(stg, now, "INSUFFICIENT_PERMISSIONS", 5);
  verified(stg, earlier, "RULE_DENIED", 1);
  verified(foreign, now, "VALID", 1000);
  await flushUsage();
  return { ctx, owner, prod, stg, foreign, now, earlier };
}

const hourOf = (ms: number) => new Date(ms - (ms % HOUR)).toISOString();

describe("verification analytics", () => {
  it("counts by time bucket and outcome from the rollups, only within the organization, for every role", async () => {
    const { ctx, prod, foreign, now, earlier } = await seeded();
    for (const role of ["owner", "admin", "member", "viewer"] as const) {
      const rows = await verificationAnalytics(await ctx(role), { from: new Date(now - 3 * HOUR), to: new Date(now), bucket: "hour" });
      expect(rows).toEqual([
        { time: hourOf(earlier), outcome: "RULE_DENIED", count: 1 },
        { time: hourOf(earlier), outcome: "VALID", count: 30 },
        { time: hourOf(now), outcome: "INSUFFICIENT_PERMISSIONS", count: 5 },
        { time: hourOf(now), outcome: "RATE_LIMITED", count: 2 },
        { time: hourOf(now), outcome: "VALID", count: 11 },
      ]);
    }
    const owner = await ctx("owner");
    const byKey = await verificationAnalytics(owner, { from: new Date(now - 3 * HOUR), to: new Date(now), bucket: "day", keyId: prod.id, outcome: "VALID" });
    expect(byKey.reduce((n, r) => n + r.count, 0)).toBe(40);
    const minutes = await verificationAnalytics(owner, { from: new Date(now - 60_000), to: new Date(now), bucket: "minute", environment: "staging" });
    expect(minutes.reduce((n, r) => n + r.count, 0)).toBe(6);
    // Another organization's key reads as nothing at all.
    expect(await verificationAnalytics(owner, { from: new Date(now - 3 * HOUR), to: new Date(now), bucket: "hour", keyId: foreign.id })).toEqual([]);
  });

  it("gives the dashboard its series, top keys, most-denied keys with their main failure, and environments", async () => {
    const { ctx, prod, stg } = await seeded();
    const a = await orgAnalytics(await ctx("viewer"), { range: "24h" });
    expect(a.series).toHaveLength(24);
    expect(a.totals).toEqual({ total: 49, valid: 41, denied: 8 });
    expect(a.topKeys.map((k) => [k.keyId, k.total])).toEqual([
      [prod.id, 42],
      [stg.id, 7],
    ]);
    expect(a.topKeys[0].name).toBe(prod.name);
    expect(a.mostDenied.map((k) => [k.name, k.denied, k.mainFailure])).toEqual([
      [stg.name, 6, "INSUFFICIENT_PERMISSIONS"],
      [prod.name, 2, "RATE_LIMITED"],
    ]);
    expect(a.environments).toEqual([
      { environment: "production", total: 42, denied: 2 },
      { environment: "staging", total: 7, denied: 6 },
    ]);
    const filtered = await orgAnalytics(await ctx("owner"), { range: "90d", environment: "staging" });
    expect(filtered.series).toHaveLength(90);
    expect(filtered.totals.total).toBe(7);
    expect((await orgAnalytics(await ctx("owner"), { range: "7d", key: prod.id })).topKeys.map((k) => k.keyId)).toEqual([prod.id]);
    // The key filter offers the selected key even past the first page of names.
    expect((await analyticsKeyOptions(await ctx("owner"), stg.id, 1)).map((k) => k.id)).toEqual(expect.arrayContaining([stg.id]));
  });

  it("the 7-day view's key tables add whole days and the hours at either end, and agree with its chart", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const k = (await createKey(owner, { name: `spread ${uniq()}` })).key;
    // A fixed "now" at 10:30 UTC: the 7-day view is 11:00 eight days ago … 11:00 today.
    const now = Date.UTC(2026, 10, 20, 10, 30);
    const at = (daysAgo: number, hour: number) => Date.UTC(2026, 10, 20 - daysAgo, hour, 15);
    const inside = [at(7, 11), at(7, 23), at(5, 3), at(1, 0), at(0, 0), at(0, 10)]; // both edge days, whole days
    const outside = [at(7, 10), at(8, 12)];
    for (const atMs of [...inside, ...outside]) recordUsage({ keyId: k.id, organizationId: k.organizationId, environment: k.environment, atMs, code: "VALID", ip: null, method: null, path: null });
    await flushUsage();
    const a = await orgAnalytics(owner, { range: "7d" }, new Date(now));
    const charted = a.series.reduce((n, b) => n + (b.counts.VALID ?? 0), 0);
    expect([a.totals.total, charted, a.topKeys[0]?.total]).toEqual([inside.length, inside.length, inside.length]);
  });

  it("ranks keys from whole weeks and days with hours only at the edges, the one under way read whole", () => {
    const H = HOUR, D = 24 * HOUR;
    const monday = Date.UTC(2026, 10, 16); // Monday 16 November 2026
    const span = (ts: ReturnType<typeof rollupTiles>) => ts.map((t) => `${t.sign < 0 ? "-" : ""}${t.unit} ${(t.to - t.from) / H}h`);
    // 90 days to the end of a Thursday, in the past: edge days, whole weeks, and the days of the last week.
    const to = monday + 4 * D;
    expect(span(rollupTiles(to - 90 * D, to, to + 30 * D))).toEqual(["day 48h", "week 2016h", "day 96h"]);
    // The same range when it reaches now: the current week is its one row.
    expect(span(rollupTiles(to - 90 * D, to, to - 3 * H))).toEqual(["day 48h", "week 2184h"]);
    // From 20:00 on a Wednesday: its last 4 hours, days to Monday, this week.
    const from = monday - 5 * D + 20 * H;
    expect(span(rollupTiles(from, from + 7 * D, from + 7 * D - 1))).toEqual(["hour 4h", "day 96h", "week 168h"]);
    // From 03:00 on a Tuesday: that week and this one less the Monday and 3 hours before the start.
    const tuesday = monday - 6 * D + 3 * H;
    expect(span(rollupTiles(tuesday, tuesday + 7 * D, tuesday + 7 * D - 1))).toEqual(["week 336h", "-day 24h", "-hour 3h"]);
    // From 03:00 on a Sunday: that day less its first 3 hours, then this week.
    const sunday = monday - D + 3 * H;
    expect(span(rollupTiles(sunday, sunday + 7 * D, sunday + 7 * D - 1))).toEqual(["day 24h", "-hour 3h", "week 168h"]);
    // Whatever the hour, the pieces add up to the range (to now, when it reaches now) and no more.
    const wrong: string[] = [];
    for (const [days, step] of [[1, H], [7, H], [30, D], [90, D]]) {
      for (let now = monday; now < monday + 8 * D; now += H) {
        const end = now - (now % step) + step;
        const cover = new Map<number, number>();
        for (const t of rollupTiles(end - days * D, end, now)) for (let h = t.from; h < t.to; h += H) cover.set(h, (cover.get(h) ?? 0) + t.sign);
        for (const [h, c] of cover) if (c !== (h >= end - days * D ? 1 : 0)) wrong.push(`${days}d at ${new Date(now).toISOString()}: ${new Date(h).toISOString()} ×${c}`);
        for (let h = end - days * D; h < end; h += H) if (cover.get(h) !== 1) wrong.push(`${days}d at ${new Date(now).toISOString()}: ${new Date(h).toISOString()} missing`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("every view's key tables (weeks, days, edge hours, units read whole less a part) agree with its chart", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const [a, b] = [(await createKey(owner, { name: `weekly a ${uniq()}` })).key, (await createKey(owner, { name: `weekly b ${uniq()}` })).key];
    const now = Date.now();
    let n = 0;
    for (const daysAgo of [0, 0.02, 1, 3, 6, 8, 13, 20, 29.5, 31, 45, 60, 89.5, 95]) {
      for (const [k, code] of [[a, "VALID"], [b, "RATE_LIMITED"], [b, "VALID"]] as const) {
        for (let i = 0; i <= n % 3; i++) recordUsage({ keyId: k.id, organizationId: k.organizationId, environment: k.environment, atMs: now - daysAgo * 24 * HOUR, code, ip: null, method: null, path: null });
        n++;
      }
    }
    await flushUsage();
    for (const range of ["24h", "7d", "30d", "90d"] as const) {
      const v = await orgAnalytics(owner, { range });
      const byChart = v.series.reduce((t, s) => t + Object.values(s.counts).reduce((m, x) => m + x, 0), 0);
      expect(v.topKeys.reduce((t, k) => t + k.total, 0)).toBe(byChart);
      expect(byChart).toBe(v.totals.total);
      expect(v.topKeys.find((k) => k.keyId === a.id)?.total).toBeGreaterThan(0);
      expect(v.mostDenied.map((k) => [k.keyId, k.mainFailure])).toEqual([[b.id, "RATE_LIMITED"]]);
    }
  });

  it("refuses bad ranges naming the parameter", () => {
    const err = (q: Record<string, string>) => {
      const r = verificationAnalyticsQuerySchema.safeParse(q);
      return r.success ? null : r.error.issues.map((i) => i.path.join("."));
    };
    expect(err({ from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" })).toEqual(["from"]);
    expect(err({ from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" })).toEqual(["from"]);
    // Minute granularity over at most 7 days; hour and day over the whole 400 days.
    expect(err({ from: "2026-01-01T00:00:00Z", to: "2026-01-08T00:01:00Z", granularity: "minute" })).toEqual(["granularity"]);
    expect(err({ from: "2026-01-01T00:00:00Z", to: "2026-01-08T00:00:00Z", granularity: "minute" })).toBeNull();
    expect(err({ from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z", granularity: "hour" })).toBeNull();
    expect(err({ from: "yesterday" })).toEqual(["from"]);
    expect(err({ granularity: "week" })).toEqual(["granularity"]);
    expect(err({ outcome: "NOPE" })).toEqual(["outcome"]);
    expect(err({ from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", granularity: "minute" })).toBeNull();
    expect(err({ from: "2026-01-01T00:00:00Z", to: "2026-03-02T00:00:00Z" })).toBeNull();
    expect(err({ from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", granularity: "day" })).toBeNull();
  });
});

describe("GET /api/v1/analytics/verifications", () => {
  const get = async (token: string, query: string) => {
    const res = await restRoute(verificationAnalyticsOp as unknown as Operation)(
      new Request(`http://latchkey.test/api/v1/analytics/verifications${query}`, { headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve({}) },
    );
    return { status: res.status, body: (await res.json()) as { data?: { outcome: string; count: number }[]; field?: string; code?: string } };
  };

  it("needs analytics:read, answers only the key's organization, and names a bad parameter", async () => {
    const { owner, prod, foreign, now } = await seeded();
    const reader = await createKey(owner, { name: `analytics ${uniq()}`, permissions: ["analytics:read"] });
    const without = await createKey(owner, { name: `no analytics ${uniq()}`, permissions: ["keys:read"] });
    const q = `?from=${new Date(now - 3 * HOUR).toISOString()}&to=${new Date(now + 1000).toISOString()}`;
    const ok = await get(reader.token, q);
    expect(ok.status).toBe(200);
    expect(ok.body.data!.reduce((n, r) => n + r.count, 0)).toBe(49);
    expect((await get(reader.token, `${q}&keyId=${prod.id}&outcome=VALID`)).body.data!.reduce((n, r) => n + r.count, 0)).toBe(40);
    // Another organization's key id reads as nothing (never its counts).
    expect((await get(reader.token, `${q}&keyId=${foreign.id}`)).body.data).toEqual([]);
    expect(await get(without.token, q)).toMatchObject({ status: 403, body: { code: "INSUFFICIENT_PERMISSIONS" } });
    expect(await get(reader.token, `?from=${new Date(now).toISOString()}&to=${new Date(now - HOUR).toISOString()}`)).toMatchObject({ status: 400, body: { field: "from" } });
    expect(await get(reader.token, `?granularity=minute&from=${new Date(now - (7 * 24 + 1) * HOUR).toISOString()}`)).toMatchObject({ status: 400, body: { field: "granularity" } });
    expect(await get(reader.token, `?keyId=%00`)).toMatchObject({ status: 400, body: { field: "keyId" } });
  });

  it("filters by customer, and names a bad customerId", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const acme = await createCustomer(owner, { externalId: `acme-${uniq()}`, name: "Acme" });
    const k = await createKey(owner, { name: `acme ${uniq()}`, customerId: acme.id });
    const plain = await createKey(owner, { name: `plain ${uniq()}` });
    const reader = await createKey(owner, { name: `analytics ${uniq()}`, permissions: ["analytics:read"] });
    for (let i = 0; i < 3; i++) await verifyKey({ request: { key: k.token }, clientIp: null });
    await verifyKey({ request: { key: plain.token }, clientIp: null });
    await flushUsage();
    const total = (r: { body: { data?: { count: number }[] } }) => r.body.data!.reduce((n, x) => n + x.count, 0);
    const all = await get(reader.token, "?granularity=minute");
    expect([all.status, total(all)]).toEqual([200, 4]);
    expect(total(await get(reader.token, `?granularity=minute&customerId=${acme.id}`))).toBe(3);
    for (const bad of ["nope", "key_abc", "cus_%00", "cus_"]) expect(await get(reader.token, `?customerId=${bad}`)).toMatchObject({ status: 400, body: { field: "customerId" } });
  });

  it("a member's and a viewer's keys may hold analytics:read (every member reads the dashboard)", async () => {
    const { ctx } = await makeTeam();
    for (const role of ["member", "viewer"] as const) {
      const k = await createKey(await ctx("owner"), { name: `${role} reader ${uniq()}`, ownerId: (await ctx(role)).membership.userId, permissions: ["analytics:read"] }).catch((e: Error) => e);
      expect(k).not.toBeInstanceOf(Error);
    }
  });
});
