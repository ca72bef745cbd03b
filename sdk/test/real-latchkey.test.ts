// The SDK against Latchkey's real verify core (lib/verify: answerVerify behind node:http), and each
// middleware in its real framework (Express, Fastify, Hono, a Next.js route handler) for 200/401/403/429.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { answerVerify } from "@/lib/verify/endpoint";
import { evict } from "@/lib/verify/cache";
import { createKey } from "@/lib/keys/lifecycle";
import { changeKey } from "@/lib/keys/status";
import { removeMember } from "@/lib/orgs/members";
import { generateToken } from "@/lib/keys/token";
import { apiKeys, getDb } from "@/lib/db";
import { makeTeam } from "@/test/factories";
import { Latchkey, VERIFY_CODES, type VerifyCode } from "../src/index.js";
import { VERIFY_CODES as SERVER_CODES } from "@/lib/verify/codes";
import { withLatchkey } from "../src/next.js";
import { protect as expressProtect } from "../src/express.js";
import { protect as fastifyProtect } from "../src/fastify.js";
import { protect as honoProtect } from "../src/hono.js";
import { listen, type Listening } from "./listen.js";

let latchkeyServer: Listening;
let latchkey: Latchkey;
beforeAll(async () => {
  // The verify door of server.ts, reduced to what it does: body in, answerVerify, answer out.
  latchkeyServer = await listen((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const out = await answerVerify({ body, contentType: req.headers["content-type"] ?? null, clientIp: req.socket.remoteAddress ?? null, authorization: req.headers.authorization ?? null });
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  latchkey = new Latchkey({ baseUrl: latchkeyServer.url });
});
afterAll(() => latchkeyServer.close());

async function setKey(id: string, values: Partial<typeof apiKeys.$inferInsert>) {
  await getDb().update(apiKeys).set(values).where(eq(apiKeys.id, id));
  evict({ keyIds: [id] });
}

describe("verifyKey against Latchkey's verify core", () => {
  it("knows every code the server can answer, in the server's order", () => {
    expect(VERIFY_CODES.filter((c) => (SERVER_CODES as readonly string[]).includes(c))).toEqual([...SERVER_CODES]);
  });

  it("returns every code the server answers today, typed, and never throws", async () => {
    const { ctx, people } = await makeTeam();
    const owner = await ctx("owner");
    const seen = new Map<VerifyCode | "UNAVAILABLE", unknown>();
    const check = async (key: string, extra: object, code: VerifyCode) => {
      const answer = await latchkey.verifyKey({ key, ...extra });
      expect(answer.code, JSON.stringify(extra)).toBe(code);
      expect(answer.valid).toBe(code === "VALID");
      seen.set(answer.code, answer);
    };
    const { key, token } = await createKey(owner, { name: "sdk codes", environment: "staging", permissions: ["keys:read"], rules: "allow GET /v1/**", metadata: { plan: "pro" } });
    const ok = { environment: "staging", method: "GET", path: "/v1/customers", permissions: ["keys:read"] } as const;
    await check(token, ok, "VALID");
    expect(seen.get("VALID")).toMatchObject({ keyId: key.id, name: "sdk codes", metadata: { plan: "pro" }, permissions: ["keys:read"] });
    await check("not a key", {}, "MALFORMED");
    await check(generateToken("secret", "production"), {}, "NOT_FOUND");
    await check(token, { ...ok, environment: "production" }, "ENVIRONMENT_MISMATCH");
    await check(token, { ...ok, method: "DELETE" }, "RULE_DENIED");
    await check(token, { ...ok, permissions: ["keys:write"] }, "INSUFFICIENT_PERMISSIONS");
    const { token: office } = await createKey(owner, { name: "office", ipAllowlist: "10.0.0.0/8" });
    await check(office, {}, "IP_NOT_ALLOWED");
    const { token: limited } = await createKey(owner, { name: "one a minute", rateLimit: { limit: 1, windowSeconds: 60 } });
    await check(limited, {}, "VALID");
    await check(limited, {}, "RATE_LIMITED");
    const { token: metered } = await createKey(owner, { name: "one credit", credits: { remaining: 1 } });
    await check(metered, {}, "VALID");
    await check(metered, {}, "USAGE_EXCEEDED");
    expect(seen.get("RATE_LIMITED")).toMatchObject({ ratelimit: { limit: 1, remaining: 0 }, rateLimitHeaders: { "RateLimit-Policy": '"key";q=1;w=60' } });
    expect((seen.get("RATE_LIMITED") as { retryAfter: number }).retryAfter).toBeGreaterThan(0);
    const { token: leaving } = await createKey(await ctx("member"), { name: "member's" });
    await removeMember(owner, { userId: people.member.id });
    await check(leaving, {}, "OWNER_INACTIVE");
    await changeKey(owner, "suspend", { keyId: key.id });
    await check(token, ok, "SUSPENDED");
    await setKey(key.id, { expiresAt: new Date(Date.now() - 1000) });
    await check(token, ok, "EXPIRED");
    await setKey(key.id, { status: "revoked" });
    await check(token, ok, "REVOKED");
    expect([...seen.keys()].sort()).toEqual([...SERVER_CODES].sort());
  });

  it("with a verifier root key, the end client's address reaches the IP allowlist", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const { token } = await createKey(owner, { name: "office", ipAllowlist: "10.0.0.0/8" });
    const { token: verifier } = await createKey(owner, { name: "gateway", permissions: ["keys:verify"] });
    const gateway = new Latchkey({ baseUrl: latchkeyServer.url, rootKey: verifier });
    expect((await gateway.verifyKey({ key: token, ip: "10.1.2.3" })).code).toBe("VALID");
    expect((await gateway.verifyKey({ key: token, ip: "203.0.113.9" })).code).toBe("IP_NOT_ALLOWED");
  });
});

/** One app per framework, all protecting GET/POST /v1/customers with keys:read (a built-in permission); each answers the answer's keyId. */
type Call = (method: string, path: string, key?: string) => Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;

async function frameworks(lk: Latchkey): Promise<[string, Call, () => Promise<void>][]> {
  const options = { latchkey: lk, permissions: ["keys:read"] };

  const ex = express();
  ex.all("/v1/customers", expressProtect(options), (req, res) => void res.json({ keyId: (req.latchkey as { keyId?: string }).keyId }));
  const exServer = await listen(ex);

  const fa = Fastify();
  fa.route({ method: ["GET", "POST"], url: "/v1/customers", preHandler: fastifyProtect(options), handler: async (req) => ({ keyId: (req.latchkey as { keyId?: string }).keyId }) });
  await fa.ready();

  const ho = new Hono();
  ho.use("/v1/*", honoProtect(options));
  ho.all("/v1/customers", (c) => c.json({ keyId: (c.get("latchkey") as { keyId?: string }).keyId }));

  const nextHandler = withLatchkey(async (req) => Response.json({ keyId: (req.latchkey as { keyId?: string }).keyId }), options);

  const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  const fromResponse = async (r: Response) => ({ status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> });
  return [
    ["express", async (method, path, key) => fromResponse(await fetch(exServer.url + path, { method, headers: auth(key) })), exServer.close],
    [
      "fastify",
      async (method, path, key) => {
        const r = await fa.inject({ method: method as "GET", url: path, headers: auth(key) });
        return { status: r.statusCode, headers: new Headers(r.headers as Record<string, string>), body: r.json() };
      },
      () => fa.close(),
    ],
    ["hono", async (method, path, key) => fromResponse(await ho.request(path, { method, headers: auth(key) })), async () => {}],
    ["next", async (method, path, key) => fromResponse(await nextHandler(new Request("http://api.test" + path, { method, headers: auth(key) }), {})), async () => {}],
  ];
}

describe("middleware in each real framework, against Latchkey's verify core", () => {
  it("200 with the answer on the request; 401, 403 and 429 as application/problem+json", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const { key, token } = await createKey(owner, { name: "reader", permissions: ["keys:read"], rules: "allow GET /v1/**" });
    const { token: weak } = await createKey(owner, { name: "no permission" });
    const { key: gone, token: revoked } = await createKey(owner, { name: "revoked", permissions: ["keys:read"] });
    await changeKey(owner, "revoke", { keyId: gone.id });
    for (const [name, call, close] of await frameworks(latchkey)) {
      const { token: limited } = await createKey(owner, { name: `limited ${name}`, permissions: ["keys:read"], rateLimit: { limit: 1, windowSeconds: 60 } });
      try {
        const ok = await call("GET", "/v1/customers?page=2", token);
        expect([name, ok.status, ok.body]).toEqual([name, 200, { keyId: key.id }]);

        const problem = async (method: string, k: string | undefined, status: number, code: string) => {
          const r = await call(method, "/v1/customers", k);
          expect([name, code, r.status, r.headers.get("content-type")]).toEqual([name, code, status, expect.stringContaining("application/problem+json")]);
          expect(r.body).toMatchObject({ type: "about:blank", status, code });
          return r;
        };
        const missing = await problem("GET", undefined, 401, "MISSING_KEY");
        expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
        await problem("GET", "sk_prod_nonsense", 401, "MALFORMED");
        await problem("GET", revoked, 401, "REVOKED");
        await problem("GET", weak, 403, "INSUFFICIENT_PERMISSIONS");
        await problem("POST", token, 403, "RULE_DENIED"); // the request's own method and path reach the key's rules
        expect((await call("GET", "/v1/customers", limited)).status).toBe(200);
        const tooMany = await problem("GET", limited, 429, "RATE_LIMITED");
        expect(Number(tooMany.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(tooMany.headers.get("ratelimit")).toMatch(/^"key";r=0;t=\d+$/);
        expect(tooMany.headers.get("ratelimit-policy")).toBe('"key";q=1;w=60');
      } finally {
        await close();
      }
    }
  });

  it("Latchkey down: fail-closed answers 503, fail-open runs the handler", async () => {
    const down = await listen(() => {});
    const url = down.url;
    await down.close();
    for (const [mode, status] of [["fail-closed", 503], ["fail-open", 200]] as const) {
      for (const [name, call, close] of await frameworks(new Latchkey({ baseUrl: url, retries: 0, onError: mode }))) {
        try {
          const r = await call("GET", "/v1/customers", "sk_prod_whatever");
          expect([name, mode, r.status]).toEqual([name, mode, status]);
          if (status === 503) expect(r.body).toMatchObject({ code: "UNAVAILABLE" });
        } finally {
          await close();
        }
      }
    }
  });
});
