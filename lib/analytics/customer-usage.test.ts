import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { createKey, patchKey } from "@/lib/keys/lifecycle";
import { createCustomer } from "@/lib/customers/customers";
import { verifyKey } from "@/lib/verify/verify";
import { flushUsage } from "@/lib/verify/usage";
import { makeTeam, uniq } from "@/test/factories";
import { customerUsage, orgAnalytics, verificationAnalytics } from "./verifications";

const HOUR = 3_600_000;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await getDb().execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(res) ? res : res.rows;
}

/** Verifications per customer ("none" for keys without one): from the raw log joined to the keys, and from each rollup. */
async function perCustomer(keyIds: string[]) {
  const ids = sql.join(keyIds.map((k) => sql`${k}`), sql`, `);
  const asMap = (xs: { u: string | null; n: string }[]) => Object.fromEntries(xs.map((r) => [r.u ?? "none", Number(r.n)]));
  const raw = asMap(await rows(sql`select k.customer_id as u, count(*)::text as n from key_request_log l join api_key k on k.id = l.key_id where l.key_id in (${ids}) group by 1`));
  const rolled: Record<string, Record<string, number>> = {};
  for (const unit of ["minute", "hour", "day"]) {
    rolled[unit] = asMap(await rows(sql`select customer_id as u, sum(count)::text as n from ${sql.raw(`key_usage_${unit}`)} where key_id in (${ids}) group by 1`));
  }
  return { raw, rolled };
}

async function customersWithKeys() {
  const { ctx } = await makeTeam();
  const owner = await ctx("owner");
  const acme = await createCustomer(owner, { externalId: `acme-${uniq()}`, name: "Acme" });
  const globex = await createCustomer(owner, { externalId: `globex-${uniq()}`, name: "Globex" });
  const a = await createKey(owner, { name: `acme key ${uniq()}`, permissions: ["keys:read"], customerId: acme.id });
  const b = await createKey(owner, { name: `globex key ${uniq()}`, permissions: ["keys:read"], customerId: globex.id, environment: "staging" });
  const c = await createKey(owner, { name: `no customer ${uniq()}`, permissions: ["keys:read"] });
  return { ctx, owner, acme, globex, keys: [a, b, c] };
}

describe("usage by customer", () => {
  it("verifications count for the key's customer in every rollup, equal to the raw log's counts, and move with the key", async () => {
    const { owner, acme, globex, keys } = await customersWithKeys();
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let batch = 0; batch < 3; batch++) {
      const n = 20 + rand(60);
      for (let i = 0; i < n; i++) {
        const k = keys[rand(3)];
        // Some ask for a permission the key lacks: denied, and still counted for the customer.
        await verifyKey({ request: { key: k.token, permissions: rand(4) ? ["keys:read"] : ["keys:write"] }, clientIp: "198.51.100.9" });
      }
      await flushUsage();
    }
    const before = await perCustomer(keys.map((k) => k.key.id));
    expect(Object.keys(before.raw).sort()).toEqual([acme.id, globex.id, "none"].sort());
    for (const unit of ["minute", "hour", "day"]) expect(before.rolled[unit]).toEqual(before.raw);

    // The key without a customer is given one: its later verifications count for that customer.
    await patchKey(owner, keys[2].key.id, { customerId: acme.id });
    for (let i = 0; i < 5; i++) await verifyKey({ request: { key: keys[2].token }, clientIp: null });
    await flushUsage();
    const after = await perCustomer([keys[0].key.id, keys[1].key.id]);
    const [{ n: moved }] = await rows<{ n: string }>(sql`select sum(count)::text as n from key_usage_minute where key_id = ${keys[2].key.id} and customer_id = ${acme.id}`);
    expect(Number(moved)).toBeGreaterThanOrEqual(5);
    expect(after.rolled.minute).toEqual(after.raw);
  });

  it("the analytics query, the dashboard and the customer page filter by customer, within the organization", async () => {
    const { ctx, acme, globex, keys } = await customersWithKeys();
    const counts = [4, 7, 3];
    for (let i = 0; i < keys.length; i++) for (let j = 0; j < counts[i]; j++) await verifyKey({ request: { key: keys[i].token }, clientIp: null });
    await verifyKey({ request: { key: keys[0].token, permissions: ["keys:write"] }, clientIp: null }); // one denied for Acme
    await flushUsage();
    const now = Date.now();
    const sum = (xs: { count: number }[]) => xs.reduce((n, r) => n + r.count, 0);
    const viewer = await ctx("viewer");
    const range = { from: new Date(now - HOUR), to: new Date(now + HOUR), bucket: "hour" as const };
    expect(sum(await verificationAnalytics(viewer, { ...range, customerId: acme.id }))).toBe(5);
    expect(sum(await verificationAnalytics(viewer, { ...range, customerId: globex.id }))).toBe(7);
    expect(sum(await verificationAnalytics(viewer, range))).toBe(15);
    // Another organization asking about this customer sees nothing.
    const other = await makeTeam();
    expect(await verificationAnalytics(await other.ctx("owner"), { ...range, customerId: acme.id })).toEqual([]);

    const dash = await orgAnalytics(viewer, { range: "24h", customer: acme.id });
    expect(dash.totals).toEqual({ total: 5, valid: 4, denied: 1 });
    expect(dash.topKeys.map((k) => k.keyId)).toEqual([keys[0].key.id]);
    const page = await customerUsage(viewer, globex.id);
    expect(page.last24h).toEqual({ total: 7, denied: 0 });
    expect(page.last30d.totals.total).toBe(7);
    expect(page.last30d.environments.map((e) => e.environment)).toEqual(["staging"]);
  });
});
