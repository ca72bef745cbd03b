// Named rate limits on keys and customers, through the verify endpoint's core: which limits apply,
// costs, check-all-then-consume-all, the answer's `ratelimits` and headers, and bad requests.
import { beforeEach, describe, expect, it } from "vitest";
import { answerVerify } from "./endpoint";
import { rateLimiter, RateLimiter, type RateDecision } from "./rate-limit";
import { makeTeam } from "@/test/factories";
import { createKey, patchKey } from "@/lib/keys/lifecycle";
import { createCustomer, updateCustomer } from "@/lib/customers/customers";
import { getKey } from "@/lib/keys/queries";

type Limit = { name: string; limit: number; remaining: number; reset: number };
type Answer = {
  status: number;
  headers: Record<string, string>;
  json: { valid: boolean; code: string; ratelimit?: Omit<Limit, "name">; ratelimits?: Limit[]; credits?: { remaining: number }; field?: string; detail?: string };
};
async function verify(body: Record<string, unknown>): Promise<Answer> {
  const out = await answerVerify({ body: JSON.stringify(body), contentType: "application/json", clientIp: "192.0.2.90", authorization: null });
  return { status: out.status, headers: out.headers, json: JSON.parse(out.body) };
}
const byName = (a: Answer) => Object.fromEntries((a.json.ratelimits ?? []).map((l) => [l.name, l.remaining]));

beforeEach(() => rateLimiter().resetLocal());

describe("named rate limits", () => {
  it("every limit applies with cost 1 when the request names none; the answer lists each and the tightest", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), {
      name: "two limits",
      ratelimits: [
        { name: "per-minute", limit: 100, window: 60 },
        { name: "burst", limit: 3, window: 1 },
      ],
    });
    const first = await verify({ key: token });
    expect(first.json).toMatchObject({ valid: true, ratelimit: { limit: 3, remaining: 2 } });
    expect(byName(first)).toEqual({ "per-minute": 99, burst: 2 });
    expect(first.headers["RateLimit-Policy"]).toBe('"burst";q=3;w=1');
    expect(first.headers.RateLimit).toMatch(/^"burst";r=2;t=\d+$/);
  });

  it("a request denied by one limit consumes nothing from the others", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), {
      name: "a and b",
      ratelimits: [
        { name: "a", limit: 10, window: 3600 },
        { name: "b", limit: 2, window: 3600 },
      ],
    });
    expect((await verify({ key: token })).json.code).toBe("VALID");
    expect((await verify({ key: token })).json.code).toBe("VALID");
    for (let i = 0; i < 5; i++) {
      const denied = await verify({ key: token });
      expect(denied.json.code).toBe("RATE_LIMITED");
      expect(denied.json.ratelimit).toMatchObject({ limit: 2, remaining: 0 });
      expect(Number(denied.headers["Retry-After"])).toBeGreaterThan(0);
    }
    // Limit a was taken twice only: the five refusals by b left it alone.
    const onlyA = await verify({ key: token, ratelimits: [{ name: "a" }] });
    expect(onlyA.json.code).toBe("VALID");
    expect(byName(onlyA)).toEqual({ a: 7 });
  });

  it("takes each named limit's cost; cost 0 only checks; a cost over what is left is refused and takes nothing", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), {
      name: "tokens",
      ratelimits: [
        { name: "requests", limit: 100, window: 3600 },
        { name: "tokens", limit: 1000, window: 3600 },
      ],
    });
    const big = await verify({ key: token, ratelimits: [{ name: "tokens", cost: 600 }, { name: "requests" }] });
    expect(byName(big)).toEqual({ tokens: 400, requests: 99 });
    const tooBig = await verify({ key: token, ratelimits: [{ name: "tokens", cost: 500 }, { name: "requests" }] });
    expect(tooBig.json.code).toBe("RATE_LIMITED");
    expect(byName(tooBig)).toEqual({ tokens: 400, requests: 99 });
    const check = await verify({ key: token, ratelimits: [{ name: "tokens", cost: 0 }] });
    expect(check.json.code).toBe("VALID");
    expect(byName(check)).toEqual({ tokens: 400 });
    // Only the named limits apply: "requests" was not counted by the last two.
    expect(byName(await verify({ key: token }))).toEqual({ tokens: 399, requests: 98 });
  });

  it("a customer's limit is shared by its keys; a key's limit of the same name replaces it", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const acme = await createCustomer(owner, { externalId: "acme", name: "Acme", ratelimits: [{ name: "default", limit: 3, window: 3600 }] });
    const a = await createKey(owner, { name: "a", customerId: acme.id });
    const b = await createKey(owner, { name: "b", customerId: acme.id });
    const own = await createKey(owner, { name: "own", customerId: acme.id, rateLimit: { limit: 5, windowSeconds: 3600 } });
    const codes: string[] = [];
    for (const t of [a.token, b.token, a.token, b.token]) codes.push((await verify({ key: t })).json.code);
    expect(codes).toEqual(["VALID", "VALID", "VALID", "RATE_LIMITED"]);
    // The key with its own "default" counts on its own, with its own limit.
    const mine = await verify({ key: own.token });
    expect(mine.json).toMatchObject({ valid: true, ratelimit: { limit: 5, remaining: 4 } });
    // The key page shows both where each limit comes from.
    const view = await getKey(owner, own.key.id);
    expect(view.customerRatelimits).toEqual([{ name: "default", limit: 3, window: 3600 }]);
  });

  it("a customer's limit under another name applies beside the key's own", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const acme = await createCustomer(owner, { externalId: "acme2", name: "Acme", ratelimits: [{ name: "org-wide", limit: 2, window: 3600 }] });
    const k = await createKey(owner, { name: "k", customerId: acme.id, ratelimits: [{ name: "default", limit: 50, window: 3600 }] });
    const first = await verify({ key: k.token });
    expect(byName(first)).toEqual({ default: 49, "org-wide": 1 });
    await verify({ key: k.token });
    const third = await verify({ key: k.token });
    expect(third.json.code).toBe("RATE_LIMITED");
    expect(byName(third)).toEqual({ default: 48, "org-wide": 0 });
    // Raising the customer's limit takes effect at once (the key's cached record is reloaded).
    await updateCustomer(owner, acme.id, { ratelimits: [{ name: "org-wide", limit: 10, window: 3600 }] });
    expect((await verify({ key: k.token })).json.code).toBe("VALID");
  });

  it("the single-limit shorthand edits the limit named default and keeps the others", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const { key } = await createKey(owner, { name: "mixed", ratelimits: [{ name: "burst", limit: 5, window: 1 }] });
    await patchKey(owner, key.id, { rateLimit: { limit: 10, windowSeconds: 60 } });
    expect((await getKey(owner, key.id)).ratelimits).toEqual([
      { name: "default", limit: 10, window: 60 },
      { name: "burst", limit: 5, window: 1 },
    ]);
    await patchKey(owner, key.id, { rateLimit: null });
    expect((await getKey(owner, key.id)).ratelimits).toEqual([{ name: "burst", limit: 5, window: 1 }]);
  });

  it("bad requests get 400 naming the field: unknown limit name, duplicate names, negative cost", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "named", ratelimits: [{ name: "default", limit: 5, window: 60 }] });
    const unknown = await verify({ key: token, ratelimits: [{ name: "default" }, { name: "nope" }] });
    expect([unknown.status, unknown.json.field]).toEqual([400, "ratelimits.1.name"]);
    expect(unknown.json.detail).toContain("nope");
    const dup = await verify({ key: token, ratelimits: [{ name: "default" }, { name: "default", cost: 2 }] });
    expect([dup.status, dup.json.field]).toEqual([400, "ratelimits.1.name"]);
    const negative = await verify({ key: token, ratelimits: [{ name: "default", cost: -1 }] });
    expect([negative.status, negative.json.field]).toEqual([400, "ratelimits.0.cost"]);
    // None of them counted.
    expect(byName(await verify({ key: token }))).toEqual({ default: 4 });
  });
});

describe("RateLimiter.consumeAll (no Redis)", () => {
  const W = 60_000;
  it("allows only when every limit has room, and then takes every cost", () => {
    const l = new RateLimiter();
    const t = 1_700_000_000_000;
    const checks = [
      { counter: "a", limit: 10, windowMs: W, cost: 4 },
      { counter: "b", limit: 5, windowMs: W, cost: 3 },
    ];
    const first = l.consumeAll(checks, t) as RateDecision[];
    expect(first.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 6],
      [true, 2],
    ]);
    const second = l.consumeAll(checks, t) as typeof first;
    expect(second.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 6],
      [false, 2],
    ]);
    // Nothing was taken from "a" by the refused request.
    const onlyA = l.consumeAll([{ counter: "a", limit: 10, windowMs: W, cost: 6 }], t) as typeof first;
    expect(onlyA.map((d) => [d.allowed, d.remaining])).toEqual([[true, 0]]);
  });
});
