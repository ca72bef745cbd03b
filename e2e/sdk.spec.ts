// @latchkey/sdk against the real Latchkey this suite starts (server.ts + the Next.js build, fresh
// database): verifyKey for every code, each middleware in its real framework, the generated management
// client's round trip, and what happens when Latchkey stalls, fails or is down (onError, retries, budget).
import type { AddressInfo } from "node:net";
import { expect, test, type Browser } from "@playwright/test";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { Latchkey, VERIFY_CODES, type VerifyCode, type VerifyResult } from "../sdk/src/index";
import { withLatchkey } from "../sdk/src/next";
import { protect as expressProtect } from "../sdk/src/express";
import { protect as fastifyProtect } from "../sdk/src/fastify";
import { protect as honoProtect } from "../sdk/src/hono";
import { closedPortUrl, listen, type Listening } from "../sdk/test/listen";
import { generateToken } from "../lib/keys/token";
import { createKeyInUi, PASSWORD, signIn, signUp } from "./helpers";

let base: string;
let root: string; // a secret key with keys:read, keys:write and keys:verify, made in the console
let slug: string;
let email: string;

test.beforeAll(async ({ browser }, info) => {
  base = info.project.use.baseURL!;
  const page = await (await browser.newContext()).newPage();
  // A fresh address per run of this hook (it runs again in a new worker after a failure).
  email = `sid-${Date.now().toString(36)}@example.com`;
  await signUp(page, "Sid Sdk", email);
  slug = new URL(page.url()).pathname.split("/")[2];
  root = await createKeyInUi(page, "SDK root", ["keys:read", "keys:write", "keys:verify"]);
  await page.context().close();
});

/** The management client authenticated with the root key; every key below is made through it. */
const api = () => new Latchkey({ baseUrl: base, rootKey: root }).api;

async function newKey(body: Parameters<ReturnType<typeof api>["createKey"]>[0]["body"]) {
  const created = await api().createKey({ body });
  expect(created.response?.status, JSON.stringify(created.error)).toBe(201);
  return { id: created.data!.key.id, token: created.data!.token! };
}

/** A member of the root key's organization who makes a key in the console, then is removed: their key's owner is inactive. */
async function keyOfRemovedMember(browser: Browser): Promise<string> {
  const memberEmail = `mo-${Date.now().toString(36)}@example.com`;
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, email);
  // Signed in once the sign-in page is left: navigating earlier would abort the sign-in and land back on it.
  await owner.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  await owner.goto(`/orgs/${slug}/settings/members`);
  await owner.getByRole("button", { name: "Invite member" }).click();
  await owner.getByLabel("Email").fill(memberEmail);
  await owner.getByLabel("Role").selectOption("member");
  await owner.getByRole("button", { name: "Create invitation" }).click();
  const link = await owner.getByLabel("Invitation link").inputValue();
  await owner.getByRole("button", { name: "Done" }).click();

  const member = await (await browser.newContext()).newPage();
  await member.goto(new URL(link).pathname);
  await member.getByRole("link", { name: "Create an account" }).click();
  await member.getByLabel("Name").fill("Mo Member");
  await member.getByLabel("Password").fill(PASSWORD);
  await member.getByRole("button", { name: "Create account" }).click();
  await member.getByRole("button", { name: /^Join / }).click();
  await expect(member).toHaveURL(new RegExp(`/orgs/${slug}/settings$`));
  await member.goto(`/orgs/${slug}/settings/api-keys`);
  const token = await createKeyInUi(member, "Mo's key", []);

  await owner.reload();
  await owner.getByTestId(`member-${memberEmail}`).getByRole("button", { name: "Remove" }).click();
  await owner.getByLabel(/Keep them/).check(); // not transferred: the key stays Mo's, and Mo is gone
  await owner.getByRole("button", { name: "Remove member" }).click();
  await expect(owner.getByTestId(`member-${memberEmail}`)).toHaveCount(0);
  await owner.context().close();
  await member.context().close();
  return token;
}

test("verifyKey answers every code the server gives, typed, and never throws for a bad key", async ({ browser }) => {
  const latchkey = new Latchkey({ baseUrl: base });
  const seen = new Map<VerifyCode | "UNAVAILABLE", VerifyResult>();
  const check = async (key: string, extra: object, code: VerifyCode) => {
    const answer = await latchkey.verifyKey({ key, ...extra });
    expect([code, answer.code, answer.valid]).toEqual([code, code, code === "VALID"]);
    seen.set(answer.code, answer);
    return answer;
  };

  const reader = await newKey({ name: "sdk codes", environment: "staging", permissions: ["keys:read"], rules: "allow GET /v1/**", metadata: { plan: "pro" } });
  const ok = { environment: "staging", method: "GET", path: "/v1/customers", permissions: ["keys:read"] } as const;
  expect(await check(reader.token, ok, "VALID")).toMatchObject({ keyId: reader.id, name: "sdk codes", metadata: { plan: "pro" }, permissions: ["keys:read"] });
  await check("not a key", {}, "MALFORMED");
  await check(generateToken("secret", "production"), {}, "NOT_FOUND"); // well-formed, checksum right, never issued
  await check(reader.token, { ...ok, environment: "production" }, "ENVIRONMENT_MISMATCH");
  await check(reader.token, { ...ok, method: "DELETE" }, "RULE_DENIED");
  await check(reader.token, { ...ok, permissions: ["keys:write"] }, "INSUFFICIENT_PERMISSIONS");

  // The allowlist sees this test's own address (127.0.0.1) — or, with a verifier root key, the address the SDK passes on.
  const office = await newKey({ name: "office", ipAllowlist: "10.0.0.0/8" });
  await check(office.token, {}, "IP_NOT_ALLOWED");
  const gateway = new Latchkey({ baseUrl: base, rootKey: root });
  expect((await gateway.verifyKey({ key: office.token, ip: "10.1.2.3" })).code).toBe("VALID");
  expect((await gateway.verifyKey({ key: office.token, ip: "203.0.113.9" })).code).toBe("IP_NOT_ALLOWED");

  const limited = await newKey({ name: "one a minute", rateLimit: { limit: 1, windowSeconds: 60 } });
  await check(limited.token, {}, "VALID");
  const tooMany = await check(limited.token, {}, "RATE_LIMITED");
  expect(tooMany).toMatchObject({ ratelimit: { limit: 1, remaining: 0 }, rateLimitHeaders: { "RateLimit-Policy": '"default";q=1;w=60' } });
  expect((tooMany as { retryAfter?: number }).retryAfter).toBeGreaterThan(0);

  const metered = await newKey({ name: "one credit", credits: { remaining: 1 } });
  await check(metered.token, {}, "VALID");
  await check(metered.token, {}, "USAGE_EXCEEDED");

  const suspended = await newKey({ name: "to suspend" });
  expect((await api().suspendKey({ path: { id: suspended.id } })).response?.status).toBe(200);
  await check(suspended.token, {}, "SUSPENDED");
  const revoked = await newKey({ name: "to revoke" });
  expect((await api().revokeKey({ path: { id: revoked.id } })).response?.status).toBe(200);
  await check(revoked.token, {}, "REVOKED");

  // Expiry in two seconds: the same token answers EXPIRED once that moment has passed.
  const expiring = await newKey({ name: "short-lived", expiresAt: new Date(Date.now() + 2_000).toISOString() });
  await expect.poll(async () => (await latchkey.verifyKey({ key: expiring.token })).code, { timeout: 15_000 }).toBe("EXPIRED");
  seen.set("EXPIRED", await latchkey.verifyKey({ key: expiring.token }));

  await check(await keyOfRemovedMember(browser), {}, "OWNER_INACTIVE");

  expect([...seen.keys()].sort()).toEqual([...VERIFY_CODES].sort());
});

/** One app per framework protecting GET/POST /v1/customers with keys:read; each answers the key's id. */
type Call = (method: string, path: string, key?: string) => Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;

async function frameworks(latchkey: Latchkey): Promise<[string, Call, () => Promise<void>][]> {
  const options = { latchkey, permissions: ["keys:read"] };
  const keyId = (answer: unknown) => ({ keyId: (answer as { keyId?: string }).keyId });
  const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  const fromResponse = async (r: Response) => ({ status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> });

  const ex = express();
  ex.all("/v1/customers", expressProtect(options), (req, res) => void res.json(keyId(req.latchkey)));
  const exServer: Listening = await listen(ex);

  const fa = Fastify();
  fa.route({ method: ["GET", "POST"], url: "/v1/customers", preHandler: fastifyProtect(options), handler: async (req) => keyId(req.latchkey) });
  await fa.listen({ port: 0, host: "127.0.0.1" });
  const faUrl = `http://127.0.0.1:${(fa.server.address() as AddressInfo).port}`;

  const ho = new Hono();
  ho.use("/v1/*", honoProtect(options));
  ho.all("/v1/customers", (c) => c.json(keyId(c.get("latchkey"))));

  const nextHandler = withLatchkey(async (req) => Response.json(keyId(req.latchkey)), options);

  return [
    ["express", async (method, path, key) => fromResponse(await fetch(exServer.url + path, { method, headers: auth(key) })), exServer.close],
    ["fastify", async (method, path, key) => fromResponse(await fetch(faUrl + path, { method, headers: auth(key) })), () => fa.close()],
    ["hono", async (method, path, key) => fromResponse(await ho.request(path, { method, headers: auth(key) })), async () => {}],
    ["next", async (method, path, key) => fromResponse(await nextHandler(new Request("http://api.test" + path, { method, headers: auth(key) }), {})), async () => {}],
  ];
}

test("each middleware in its real framework: 200 with the answer on the request; 401, 403 and 429 as problem+json", async () => {
  const reader = await newKey({ name: "reader", permissions: ["keys:read"], rules: "allow GET /v1/**" });
  const weak = await newKey({ name: "no permission" });
  const staging = await newKey({ name: "staging", environment: "staging", permissions: ["keys:read"] });
  const office = await newKey({ name: "office only", permissions: ["keys:read"], ipAllowlist: "10.0.0.0/8" });
  const revoked = await newKey({ name: "revoked", permissions: ["keys:read"] });
  await api().revokeKey({ path: { id: revoked.id } });
  const latchkey = new Latchkey({ baseUrl: base });

  for (const [name, call, close] of await frameworks(latchkey)) {
    const limited = await newKey({ name: `limited ${name}`, permissions: ["keys:read"], rateLimit: { limit: 1, windowSeconds: 60 } });
    const metered = await newKey({ name: `metered ${name}`, permissions: ["keys:read"], credits: { remaining: 1 } });
    try {
      const ok = await call("GET", "/v1/customers?page=2", reader.token);
      expect([name, ok.status, ok.body]).toEqual([name, 200, { keyId: reader.id }]);

      const problem = async (method: string, key: string | undefined, status: number, code: string) => {
        const r = await call(method, "/v1/customers", key);
        expect([name, code, r.status, r.headers.get("content-type")]).toEqual([name, code, status, expect.stringContaining("application/problem+json")]);
        expect(r.body).toMatchObject({ type: "about:blank", status, code });
        return r;
      };
      const missing = await problem("GET", undefined, 401, "MISSING_KEY");
      expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
      await problem("GET", "sk_prod_nonsense", 401, "MALFORMED");
      await problem("GET", revoked.token, 401, "REVOKED");
      await problem("GET", weak.token, 403, "INSUFFICIENT_PERMISSIONS");
      await problem("POST", reader.token, 403, "RULE_DENIED"); // the request's own method and path reach the key's rules
      await problem("GET", office.token, 403, "IP_NOT_ALLOWED");
      expect((await call("GET", "/v1/customers", staging.token)).status).toBe(200);
      expect((await call("GET", "/v1/customers", limited.token)).status).toBe(200);
      const tooMany = await problem("GET", limited.token, 429, "RATE_LIMITED");
      expect(Number(tooMany.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(tooMany.headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
      expect(tooMany.headers.get("ratelimit-policy")).toBe('"default";q=1;w=60');
      expect((await call("GET", "/v1/customers", metered.token)).status).toBe(200);
      await problem("GET", metered.token, 429, "USAGE_EXCEEDED");
    } finally {
      await close();
    }
  }

  // An environment set on the middleware reaches Latchkey: a staging key is refused by a production API.
  const prodOnly = withLatchkey(async () => Response.json({}), { latchkey, environment: "production" });
  const wrongEnv = await prodOnly(new Request("http://api.test/v1/x", { headers: { authorization: `Bearer ${staging.token}` } }), {});
  expect([wrongEnv.status, ((await wrongEnv.json()) as { code: string }).code]).toEqual([401, "ENVIRONMENT_MISMATCH"]);
});

test("the end client's address counts only with a root key: Express's req.ip behind a trusted proxy", async () => {
  const office = await newKey({ name: "office via proxy", permissions: ["keys:read"], ipAllowlist: "10.0.0.0/8" });
  const app = (latchkey: Latchkey) => {
    const ex = express();
    ex.set("trust proxy", "loopback");
    ex.get("/v1/customers", expressProtect({ latchkey, permissions: ["keys:read"] }), (req, res) => void res.json({ keyId: req.latchkey?.keyId }));
    return listen(ex);
  };
  const withRoot = await app(new Latchkey({ baseUrl: base, rootKey: root }));
  const withoutRoot = await app(new Latchkey({ baseUrl: base }));
  try {
    const call = async (server: Listening, client: string) => (await fetch(`${server.url}/v1/customers`, { headers: { authorization: `Bearer ${office.token}`, "x-forwarded-for": client } })).status;
    expect(await call(withRoot, "10.1.2.3")).toBe(200);
    expect(await call(withRoot, "203.0.113.9")).toBe(403);
    // Without a root key Latchkey checks the address its caller has (127.0.0.1 here), so the SDK does not send the client's.
    expect(await call(withoutRoot, "10.1.2.3")).toBe(403);
  } finally {
    await withRoot.close();
    await withoutRoot.close();
  }
});

test("the generated management client: create, list, roll with grace, revoke; old and new tokens verified", async () => {
  const latchkey = new Latchkey({ baseUrl: base, rootKey: root });
  const created = await latchkey.api.createKey({ body: { name: "made by the sdk", permissions: ["keys:read"] } });
  expect(created.response?.status).toBe(201);
  const id = created.data!.key.id;
  const first = created.data!.token!;

  const listed = await latchkey.api.listKeys({ query: { q: "made by the sdk" } });
  expect(listed.data!.data.map((k) => k.id)).toEqual([id]);

  const rolled = await latchkey.api.rollKey({ path: { id }, body: { grace: "1h" } });
  expect(rolled.response?.status).toBe(200);
  const second = rolled.data!.token!;
  expect(second).not.toBe(first);
  expect(await latchkey.verifyKey({ key: first })).toMatchObject({ valid: true, keyId: id });
  expect(await latchkey.verifyKey({ key: second })).toMatchObject({ valid: true, keyId: id });

  const revoked = await latchkey.api.revokeKey({ path: { id } });
  expect(revoked.error).toBeUndefined();
  expect((await latchkey.verifyKey({ key: second })).code).toBe("REVOKED");
  expect(await latchkey.verifyKey({ key: first })).toMatchObject({ valid: false });

  const missing = await latchkey.api.getKey({ path: { id: "key_doesnotexist" } });
  expect(missing.response?.status).toBe(404);
  expect(missing.error).toMatchObject({ status: 404 });
  const anonymous = await new Latchkey({ baseUrl: base }).api.listKeys();
  expect(anonymous.response?.status).toBe(401);
});

/** A proxy in front of the real Latchkey: `decide(n)` says what the n-th call gets — stall, a 503, or Latchkey's own answer. */
async function proxy(decide: (n: number) => "stall" | "503" | "pass") {
  let calls = 0;
  const server = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const what = decide(++calls);
      if (what === "stall") return; // never answers; the client's budget must end the call
      if (what === "503") return void res.writeHead(503, { "content-type": "application/problem+json" }).end('{"status":503}');
      const upstream = await fetch(base + req.url, { method: req.method, headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
      const headers = Object.fromEntries([...upstream.headers].filter(([h]) => !["content-length", "content-encoding", "transfer-encoding", "connection"].includes(h)));
      res.writeHead(upstream.status, headers).end(await upstream.text());
    });
  });
  return { url: server.url, calls: () => calls, close: server.close };
}

test("retries reach the real answer after 503s, and stop at the budget when Latchkey stalls", async () => {
  const { token, id } = await newKey({ name: "behind a flaky proxy" });

  const flaky = await proxy((n) => (n <= 2 ? "503" : "pass"));
  try {
    const answer = await new Latchkey({ baseUrl: flaky.url, retries: 2, timeoutMs: 5_000 }).verifyKey({ key: token });
    expect([answer.code, (answer as { keyId?: string }).keyId, flaky.calls()]).toEqual(["VALID", id, 3]);
  } finally {
    await flaky.close();
  }

  const broken = await proxy(() => "503");
  try {
    const answer = await new Latchkey({ baseUrl: broken.url, retries: 2, timeoutMs: 5_000 }).verifyKey({ key: token });
    expect([answer.code, broken.calls()]).toEqual(["UNAVAILABLE", 3]); // 1 + retries, then onError
  } finally {
    await broken.close();
  }

  // A stall takes the whole budget: the ten retries left are never tried.
  const stalling = await proxy(() => "stall");
  try {
    for (const [mode, valid] of [["fail-closed", false], ["fail-open", true]] as const) {
      const before = stalling.calls();
      const answer = await new Latchkey({ baseUrl: stalling.url, retries: 10, timeoutMs: 300, onError: mode }).verifyKey({ key: token });
      expect(answer).toMatchObject({ valid, code: "UNAVAILABLE", decision: mode, synthetic: true });
      expect(stalling.calls() - before).toBe(1);
    }
  } finally {
    await stalling.close();
  }
});

test("Latchkey stalling or down: each middleware fails closed with 503, or open to the handler", async () => {
  const stalling = await proxy(() => "stall");
  const down = await closedPortUrl();
  try {
    for (const [where, baseUrl] of [["stalling", stalling.url], ["down", down]] as const) {
      for (const [mode, status] of [["fail-closed", 503], ["fail-open", 200]] as const) {
        for (const [name, call, close] of await frameworks(new Latchkey({ baseUrl, retries: 1, timeoutMs: 300, onError: mode }))) {
          try {
            const r = await call("GET", "/v1/customers", "sk_prod_whatever");
            expect([where, name, mode, r.status]).toEqual([where, name, mode, status]);
            if (status === 503) expect(r.body).toMatchObject({ code: "UNAVAILABLE" });
          } finally {
            await close();
          }
        }
      }
    }
  } finally {
    await stalling.close();
  }
});

test("onError as a function sees the error and the request, and decides per request", async () => {
  const seen: [string, string | undefined][] = [];
  const latchkey = new Latchkey({
    baseUrl: await closedPortUrl(),
    retries: 0,
    onError: (error, request) => (seen.push([error.kind, request.method]), request.method === "GET" ? "fail-open" : "fail-closed"),
  });
  const app = express();
  app.all("/v1/things", expressProtect({ latchkey }), (_req, res) => void res.json({ ran: true }));
  const server = await listen(app);
  try {
    const get = await fetch(server.url + "/v1/things", { headers: { authorization: "Bearer sk_prod_x" } });
    const post = await fetch(server.url + "/v1/things", { method: "POST", headers: { authorization: "Bearer sk_prod_x" } });
    expect([get.status, post.status]).toEqual([200, 503]);
    expect(seen).toEqual([["unavailable", "GET"], ["unavailable", "POST"]]);
  } finally {
    await server.close();
  }
});
