// verifyKey against a fake Latchkey (node:http): retries, budget, Retry-After, fail-open/closed, cache.
import type http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Latchkey, LatchkeyError, VerifyCache, type VerifyAnswer } from "../src/index.js";
import { protectRequest } from "../src/protect.js";
import { closedPortUrl, listen, type Listening } from "./listen.js";

type Hit = { method: string; url: string; authorization?: string; body: unknown };
let fake: Listening | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

/** A fake Latchkey: `reply(n)` decides the n-th answer (1-based); every request is recorded. */
async function fakeLatchkey(reply: (n: number, res: http.ServerResponse) => void) {
  const hits: Hit[] = [];
  fake = await listen((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      hits.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
      reply(hits.length, res);
    });
  });
  return { url: fake.url, hits };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": status === 200 ? "application/json" : "application/problem+json", ...headers });
  res.end(JSON.stringify(body));
};
const VALID = { valid: true, code: "VALID", keyId: "key_1", permissions: ["customers:read"] };
const KEY = "sk_prod_0123456789abcdefghijklmnop";

describe("verifyKey", () => {
  it("sends the request with the root key and returns Latchkey's answer", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 200, VALID));
    const lk = new Latchkey({ baseUrl: url + "/", rootKey: "sk_prod_root" });
    const answer = await lk.verifyKey({ key: KEY, permissions: ["customers:read"], method: "GET", path: "/v1/customers", cost: 2 });
    expect(answer).toEqual(VALID);
    expect(hits).toEqual([{ method: "POST", url: "/api/v1/keys/verify", authorization: "Bearer sk_prod_root", body: { key: KEY, permissions: ["customers:read"], method: "GET", path: "/v1/customers", cost: 2 } }]);
  });

  it("answers an invalid key with its code, and a key Latchkey would refuse as too long with MALFORMED, without throwing", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 200, { valid: false, code: "REVOKED", keyId: "key_1" }));
    const lk = new Latchkey({ baseUrl: url });
    expect(await lk.verifyKey({ key: KEY })).toEqual({ valid: false, code: "REVOKED", keyId: "key_1" });
    expect(await lk.verifyKey({ key: "x".repeat(513) })).toEqual({ valid: false, code: "MALFORMED" });
    expect(await lk.verifyKey({ key: "" })).toEqual({ valid: false, code: "MALFORMED" });
    expect(hits).toHaveLength(1);
  });

  it("retries 5xx and 429 and returns the answer that follows", async () => {
    const { url, hits } = await fakeLatchkey((n, res) => (n === 1 ? json(res, 503, { title: "down" }) : n === 2 ? json(res, 429, { title: "slow" }) : json(res, 200, VALID)));
    expect(await new Latchkey({ baseUrl: url, retries: 2 }).verifyKey({ key: KEY })).toEqual(VALID);
    expect(hits).toHaveLength(3);
  });

  it("stops after `retries` extra attempts and fails closed by default", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 500, { title: "boom" }));
    const answer = await new Latchkey({ baseUrl: url, retries: 2 }).verifyKey({ key: KEY });
    expect(hits).toHaveLength(3);
    expect(answer).toMatchObject({ valid: false, code: "UNAVAILABLE", synthetic: true, decision: "fail-closed" });
    if (answer.code !== "UNAVAILABLE") throw new Error("unreachable");
    expect(answer.error).toBeInstanceOf(LatchkeyError);
    expect(answer.error).toMatchObject({ kind: "unavailable", details: { attempts: 3, status: 500 } });
  });

  it("honours Retry-After when it fits the budget, and gives up at once when it does not", async () => {
    const first = await fakeLatchkey((n, res) => (n === 1 ? json(res, 429, {}, { "retry-after": "1" }) : json(res, 200, VALID)));
    expect(await new Latchkey({ baseUrl: first.url, timeoutMs: 5_000 }).verifyKey({ key: KEY })).toEqual(VALID);
    expect(first.hits).toHaveLength(2);
    await fake!.close();

    const second = await fakeLatchkey((_, res) => json(res, 429, {}, { "retry-after": "30" }));
    const answer = await new Latchkey({ baseUrl: second.url, timeoutMs: 2_000, retries: 5 }).verifyKey({ key: KEY });
    expect(answer).toMatchObject({ code: "UNAVAILABLE", valid: false });
    expect(second.hits).toHaveLength(1);
  });

  it("never retries a call Latchkey refuses (4xx): it throws, whatever onError says", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 400, { title: "Invalid request", detail: "environment: must be production, staging or development" }));
    const lk = new Latchkey({ baseUrl: url, onError: "fail-open" });
    const err = await lk.verifyKey({ key: KEY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LatchkeyError);
    expect(err).toMatchObject({ kind: "rejected", details: { status: 400 } });
    expect((err as Error).message).toContain("environment");
    expect(hits).toHaveLength(1);
  });

  it("a server that stalls: the budget ends the call; fail-open lets it through, clearly marked", async () => {
    const { url, hits } = await fakeLatchkey(() => {}); // never answers
    const open = await new Latchkey({ baseUrl: url, timeoutMs: 300, retries: 3, onError: "fail-open" }).verifyKey({ key: KEY });
    expect(open).toMatchObject({ valid: true, code: "UNAVAILABLE", synthetic: true, decision: "fail-open" });
    // The first attempt used the whole budget: nothing was left to retry with.
    expect(hits).toHaveLength(1);
    const closed = await new Latchkey({ baseUrl: url, timeoutMs: 300 }).verifyKey({ key: KEY });
    expect(closed).toMatchObject({ valid: false, code: "UNAVAILABLE", decision: "fail-closed" });
  });

  it("retries stop at the budget even when retries are left", async () => {
    // Each answer takes 150 ms, so a 400 ms budget holds at most 3 attempts of the 11 allowed.
    const { url, hits } = await fakeLatchkey((_, res) => setTimeout(() => json(res, 503, {}), 150));
    const answer = await new Latchkey({ baseUrl: url, timeoutMs: 400, retries: 10 }).verifyKey({ key: KEY });
    expect(answer).toMatchObject({ code: "UNAVAILABLE" });
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits.length).toBeLessThanOrEqual(3);
  });

  it("a server that is down: onError decides, sees the error and the request, and may throw", async () => {
    const baseUrl = await closedPortUrl();
    const seen: unknown[] = [];
    const lk = new Latchkey({ baseUrl, retries: 1, onError: (error, request) => (seen.push([error.kind, request.path]), request.method === "GET" ? "fail-open" : "fail-closed") });
    expect(await lk.verifyKey({ key: KEY, method: "GET", path: "/v1/a" })).toMatchObject({ valid: true, code: "UNAVAILABLE", decision: "fail-open" });
    expect(await lk.verifyKey({ key: KEY, method: "POST", path: "/v1/b" })).toMatchObject({ valid: false, code: "UNAVAILABLE", decision: "fail-closed" });
    expect(seen).toEqual([["unavailable", "/v1/a"], ["unavailable", "/v1/b"]]);
    const throwing = new Latchkey({ baseUrl, retries: 0, onError: () => { throw new Error("page the on-call"); } });
    await expect(throwing.verifyKey({ key: KEY })).rejects.toThrow("page the on-call");
  });
});

describe("middleware requests", () => {
  it("read and send the end client's address only with a root key (Latchkey ignores it from anyone else)", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 200, VALID));
    let reads = 0;
    const ip = () => (reads++, "10.1.2.3");
    const facts = { key: KEY, method: "GET", path: "/v1/customers", ip };
    await protectRequest(facts, { latchkey: new Latchkey({ baseUrl: url }) });
    expect(reads).toBe(0);
    await protectRequest(facts, { latchkey: new Latchkey({ baseUrl: url, rootKey: "sk_prod_root" }) });
    expect(reads).toBe(1);
    await protectRequest({ ...facts, ip: "203.0.113.9" }, { latchkey: new Latchkey({ baseUrl: url, rootKey: "sk_prod_root" }) });
    expect(hits.map((h) => (h.body as { ip?: string }).ip)).toEqual([undefined, "10.1.2.3", "203.0.113.9"]);
  });
});

describe("local cache", () => {
  it("is off by default", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 200, VALID));
    const lk = new Latchkey({ baseUrl: url });
    await lk.verifyKey({ key: KEY });
    await lk.verifyKey({ key: KEY });
    expect(hits).toHaveLength(2);
  });

  it("reuses a plain answer for the same request, marked cached; a different request asks again", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 200, VALID));
    const lk = new Latchkey({ baseUrl: url, cache: { ttlMs: 30_000 } });
    expect(await lk.verifyKey({ key: KEY, permissions: ["a:read", "b:read"] })).toEqual(VALID);
    expect(await lk.verifyKey({ key: KEY, permissions: ["b:read", "a:read"] })).toEqual({ ...VALID, cached: true });
    await lk.verifyKey({ key: KEY, permissions: ["a:read"] });
    expect(hits).toHaveLength(2);
  });

  it("never caches answers carrying a rate limit or credits, nor requests with a cost or named limits", async () => {
    const limited = { ...VALID, ratelimit: { limit: 10, remaining: 9, reset: 1 } };
    const { url, hits } = await fakeLatchkey((n, res) => json(res, 200, n <= 2 ? limited : n <= 4 ? { ...VALID, credits: { remaining: 5 } } : VALID));
    const lk = new Latchkey({ baseUrl: url, cache: true });
    await lk.verifyKey({ key: KEY });
    await lk.verifyKey({ key: KEY });
    await lk.verifyKey({ key: KEY });
    await lk.verifyKey({ key: KEY });
    expect(hits).toHaveLength(4);
    await lk.verifyKey({ key: KEY, cost: 0 });
    await lk.verifyKey({ key: KEY, cost: 0 });
    await lk.verifyKey({ key: KEY, ratelimits: [{ name: "requests" }] });
    expect(hits).toHaveLength(7);
  });

  it("refuses a TTL over 60 s and forgets an entry when its TTL is over", () => {
    expect(() => new Latchkey({ baseUrl: "http://x", cache: { ttlMs: 60_001 } })).toThrow(RangeError);
    let now = 0;
    const cache = new VerifyCache({ ttlMs: 1_000, maxEntries: 2 }, () => now);
    const answer = VALID as VerifyAnswer;
    cache.set("a", answer);
    now = 999;
    expect(cache.get("a")).toEqual({ ...answer, cached: true });
    now = 1_000;
    expect(cache.get("a")).toBeUndefined();
    cache.set("b", answer);
    cache.set("c", answer);
    cache.set("d", answer); // over maxEntries: the oldest goes
    expect([cache.get("b"), cache.get("c") !== undefined, cache.get("d") !== undefined]).toEqual([undefined, true, true]);
  });
});

describe("management API", () => {
  it("calls the generated operations at baseUrl with the root key", async () => {
    const { url, hits } = await fakeLatchkey((_, res) => json(res, 200, { data: [], page: 1, perPage: 25, total: 0 }));
    const lk = new Latchkey({ baseUrl: url, rootKey: "sk_prod_root" });
    const { data, response } = await lk.api.listKeys({ query: { perPage: 10 } });
    expect(response?.status).toBe(200);
    expect(data).toMatchObject({ total: 0 });
    expect(hits).toEqual([{ method: "GET", url: "/api/v1/keys?perPage=10", authorization: "Bearer sk_prod_root", body: undefined }]);
  });
});
