import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys, getDb } from "@/lib/db";
import { POST } from "@/app/api/v1/keys/verify/route";
import { CLIENT_IP_HEADER } from "@/lib/client-ip";
import { createKey, rollKey } from "@/lib/keys/lifecycle";
import { changeKey } from "@/lib/keys/status";
import { changeMemberRole, removeMember } from "@/lib/orgs/members";
import { checksum, generateToken } from "@/lib/keys/token";
import { rateLimiter } from "./rate-limit";
import { verifyKey } from "./verify";
import { handleVerify } from "./node-door";
import { evict } from "./cache";
import { makeTeam } from "@/test/factories";

type Opts = { ip?: string; auth?: string; contentType?: string | null };
type Door = (req: Request) => Promise<Response>;

// Door 1: Next's route handler, called directly. Door 2: server.ts's node:http fast path, over a
// real socket; the harness passes the client address the way a trusted proxy would.
const routeDoor: Door = (req) => POST(req);
let nodeServer: http.Server;
let nodeUrl = "";
const nodeDoor: Door = (req) => fetch(nodeUrl, { method: "POST", headers: req.headers, body: req.body, duplex: "half" } as RequestInit);
beforeAll(async () => {
  nodeServer = http.createServer((req, res) => handleVerify(req, res, String(req.headers[CLIENT_IP_HEADER] ?? "")));
  await new Promise<void>((r) => nodeServer.listen(0, "127.0.0.1", r));
  nodeUrl = `http://127.0.0.1:${(nodeServer.address() as AddressInfo).port}/api/v1/keys/verify`;
});
afterAll(() => new Promise<void>((r) => nodeServer.close(() => r())));

let door: Door = routeDoor;
async function verify(body: unknown, o: Opts = {}) {
  const headers: Record<string, string> = { [CLIENT_IP_HEADER]: o.ip ?? "198.51.100.1" };
  if (o.contentType !== null) headers["content-type"] = o.contentType ?? "application/json";
  if (o.auth) headers.authorization = `Bearer ${o.auth}`;
  const res = await door(new Request("http://latchkey.test/api/v1/keys/verify", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }));
  return { res, json: await res.json() };
}
/** Changes a key behind the domain's back, then evicts it as the domain's own changes do. */
async function set(id: string, values: Partial<typeof apiKeys.$inferInsert>) {
  await getDb().update(apiKeys).set(values).where(eq(apiKeys.id, id));
  evict({ keyIds: [id] });
}

beforeEach(() => rateLimiter().resetLocal());

describe.each([
  ["door 1: route handler", routeDoor],
  ["door 2: node:http", nodeDoor],
])("POST /api/v1/keys/verify — %s", (_name, d) => {
  beforeEach(() => {
    door = d;
  });

  it("VALID carries the key's identity", async () => {
    const { ctx, org, people } = await makeTeam();
    const { key, token } = await createKey(await ctx("admin"), { name: "svc", permissions: ["keys:read"], externalId: "cus_1", metadata: { plan: "pro" } });
    const { res, json } = await verify({ key: token });
    expect(res.status).toBe(200);
    expect(json).toEqual({
      valid: true, code: "VALID", keyId: key.id, organizationId: org.id, ownerId: people.admin.id, name: "svc", type: "secret",
      environment: "production", permissions: ["keys:read"], expiresAt: null, externalId: "cus_1", metadata: { plan: "pro" }, customer: null,
    });
  });

  it("MALFORMED and NOT_FOUND carry no identity", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "k" });
    const typo = token.slice(0, 12) + (token[12] === "a" ? "b" : "a") + token.slice(13);
    expect((await verify({ key: typo })).json).toEqual({ valid: false, code: "MALFORMED" });
    expect((await verify({ key: "hello" })).json).toEqual({ valid: false, code: "MALFORMED" });
    expect((await verify({ key: generateToken("secret", "production") })).json).toEqual({ valid: false, code: "NOT_FOUND" });
    const body = "sk_prod_" + "Z".repeat(22);
    expect((await verify({ key: body + checksum(body) })).json).toEqual({ valid: false, code: "NOT_FOUND" });
  });

  it("reports each failure, checked in the contract's order", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key, token } = await createKey(c, { name: "ordered", environment: "staging", permissions: ["keys:read"], ipAllowlist: "198.51.100.0/24", rules: "allow GET /v1/**" });
    const ok = { key: token, environment: "staging", method: "GET", path: "/v1/x", permissions: ["keys:read"] };
    expect((await verify(ok)).json.code).toBe("VALID");
    expect((await verify({ ...ok, permissions: ["keys:write"] })).json.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await verify({ ...ok, path: "/v2/x", permissions: ["keys:write"] })).json.code).toBe("RULE_DENIED");
    expect((await verify({ key: token, environment: "staging" })).json.code).toBe("RULE_DENIED"); // rules and no method/path: fail closed
    expect((await verify({ ...ok, path: "/v2/x" }, { ip: "203.0.113.9" })).json.code).toBe("IP_NOT_ALLOWED");
    expect((await verify({ ...ok, environment: "production" }, { ip: "203.0.113.9" })).json.code).toBe("ENVIRONMENT_MISMATCH");
    await changeKey(c, "suspend", { keyId: key.id });
    const susp = await verify({ ...ok, environment: "production" });
    expect(susp.json).toMatchObject({ valid: false, code: "SUSPENDED", keyId: key.id, name: "ordered" });
    await set(key.id, { expiresAt: new Date(Date.now() - 1000) });
    expect((await verify(ok)).json.code).toBe("EXPIRED");
    await set(key.id, { status: "revoked" });
    expect((await verify(ok)).json.code).toBe("REVOKED");
  });

  it("OWNER_INACTIVE once the owner leaves; demotion shrinks permissions at once", async () => {
    const { ctx, people } = await makeTeam();
    const { token } = await createKey(await ctx("admin"), { name: "admins", permissions: ["audit:read", "keys:read", "keys:write"] });
    expect((await verify({ key: token, permissions: ["keys:write"] })).json.code).toBe("VALID");
    await changeMemberRole(await ctx("owner"), { userId: people.admin.id, role: "viewer" });
    const demoted = await verify({ key: token, permissions: ["keys:write"] });
    // A viewer's key keeps only what a member may use that ends in :read (never audit:read).
    expect(demoted.json).toMatchObject({ code: "INSUFFICIENT_PERMISSIONS", permissions: ["keys:read"] });
    await removeMember(await ctx("owner"), { userId: people.admin.id });
    expect((await verify({ key: token })).json.code).toBe("OWNER_INACTIVE");
  });

  it("RATE_LIMITED after the limit, with RateLimit, RateLimit-Policy and Retry-After", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "limited", rateLimit: { limit: 2, windowSeconds: 60 } });
    const first = await verify({ key: token });
    expect(first.json).toMatchObject({ code: "VALID", ratelimit: { limit: 2, remaining: 1 } });
    expect(first.res.headers.get("RateLimit-Policy")).toBe('"default";q=2;w=60');
    expect(first.res.headers.get("RateLimit")).toMatch(/^"default";r=1;t=\d+$/);
    expect((await verify({ key: token })).json.code).toBe("VALID");
    const third = await verify({ key: token });
    expect(third.json).toMatchObject({ valid: false, code: "RATE_LIMITED", ratelimit: { remaining: 0 } });
    expect(Number(third.res.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("the body's ip counts only with a verifier key of the same organization, which also hides other orgs' keys", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { token } = await createKey(c, { name: "office only", ipAllowlist: "203.0.113.7" });
    const { token: verifier } = await createKey(c, { name: "gateway", permissions: ["keys:verify"] });
    const { token: weak } = await createKey(c, { name: "no verify permission" });
    expect((await verify({ key: token, ip: "203.0.113.7" })).json.code).toBe("IP_NOT_ALLOWED");
    expect((await verify({ key: token, ip: "203.0.113.7" }, { auth: weak })).json.code).toBe("IP_NOT_ALLOWED");
    expect((await verify({ key: token, ip: "203.0.113.7" }, { auth: verifier })).json.code).toBe("VALID");
    const other = await makeTeam();
    const { token: foreign } = await createKey(await other.ctx("owner"), { name: "theirs" });
    expect((await verify({ key: foreign })).json.code).toBe("VALID");
    expect((await verify({ key: foreign }, { auth: verifier })).json).toEqual({ valid: false, code: "NOT_FOUND" });
  });

  it("after a roll the old token works until its grace period ends", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key, token: old } = await createKey(c, { name: "rolling" });
    const { token: fresh } = await rollKey(c, { keyId: key.id, grace: "1h" });
    expect((await verify({ key: old })).json.code).toBe("VALID");
    expect((await verify({ key: fresh })).json.code).toBe("VALID");
    await set(key.id, { previousHashExpiresAt: new Date(Date.now() - 1000) });
    expect((await verify({ key: old })).json.code).toBe("NOT_FOUND");
    await changeKey(c, "revoke", { keyId: key.id });
    expect((await verify({ key: fresh })).json.code).toBe("REVOKED");
  });

  it.each([
    ["not JSON", "{nope", undefined, "JSON"],
    ["an array", "[1]", undefined, "object"],
    ["no key", JSON.stringify({}), undefined, "key"],
    ["key not a string", JSON.stringify({ key: 5 }), undefined, "key"],
    ["unknown environment", JSON.stringify({ key: "x", environment: "prod" }), undefined, "environment"],
    ["permissions not a string array", JSON.stringify({ key: "x", permissions: "keys:read" }), undefined, "permissions"],
    ["a body over 16 KiB", JSON.stringify({ key: "x", path: "/" + "a".repeat(17_000) }), undefined, "16384"],
    ["the wrong content type", JSON.stringify({ key: "x" }), "text/plain", "Content-Type"],
  ])("answers 400 problem+json for %s", async (_label, body, contentType, mention) => {
    const { res, json } = await verify(body, { contentType });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(json).toMatchObject({ status: 400, title: expect.any(String) });
    expect(json.detail).toContain(mention);
  });
});

describe("cache", () => {
  beforeEach(() => {
    door = routeDoor;
  });
  it("a change made through the domain is seen by the very next verification", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key, token } = await createKey(c, { name: "cached" });
    expect((await verify({ key: token })).json.code).toBe("VALID"); // now cached
    await changeKey(c, "suspend", { keyId: key.id });
    expect((await verify({ key: token })).json.code).toBe("SUSPENDED");
    await changeKey(c, "reactivate", { keyId: key.id });
    expect((await verify({ key: token })).json.code).toBe("VALID");
  });

  it("many first-seen tokens at once (looked up together) each resolve to their own key", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const keys = await Promise.all(Array.from({ length: 12 }, (_, i) => createKey(c, { name: `burst ${i}` })));
    const rolled = keys[0];
    const { token: rolledNew } = await rollKey(c, { keyId: rolled.key.id, grace: "1h" });
    const unknown = generateToken("secret", "production");
    const asks = [...keys.slice(1).map((k) => [k.token, k.key.id]), [rolled.token, rolled.key.id], [rolledNew, rolled.key.id], [unknown, undefined], [keys[3].token, keys[3].key.id]];
    const answers = await Promise.all(asks.map(([token]) => verify({ key: token })));
    expect(answers.map((a) => [a.json.code, a.json.keyId])).toEqual(asks.map(([, id]) => [id ? "VALID" : "NOT_FOUND", id]));
  });

  it("each answer is byte for byte what JSON.stringify makes of its body", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const plain = await createKey(c, { name: 'quote " backslash \\ ünïcode', permissions: ["keys:read"], externalId: "cus_9", metadata: { plan: "pro", nested: { a: [1, "x"] } } });
    const limited = await createKey(c, { name: "limited json", rateLimit: { limit: 1, windowSeconds: 60 }, expiresAt: new Date(Date.now() + 86_400_000) });
    const asks = [{ key: plain.token }, { key: plain.token }, { key: plain.token, environment: "staging" as const }, { key: limited.token }, { key: limited.token }, { key: generateToken("public", "development") }, { key: "nope" }];
    for (const request of asks) {
      const out = await verifyKey({ request, clientIp: "198.51.100.3" });
      expect(out.json ?? JSON.stringify(out.body)).toBe(JSON.stringify(out.body));
    }
    await changeKey(c, "suspend", { keyId: plain.key.id });
    const suspended = await verifyKey({ request: { key: plain.token }, clientIp: null });
    expect([suspended.body.code, suspended.json]).toEqual(["SUSPENDED", JSON.stringify(suspended.body)]);
  });

  it("a token first seen as unknown works as soon as its key is created", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key, token } = await createKey(c, { name: "rolled soon" });
    const { token: next } = await rollKey(c, { keyId: key.id, grace: "now" });
    expect((await verify({ key: token })).json.code).toBe("NOT_FOUND");
    expect((await verify({ key: next })).json.code).toBe("VALID");
  });
});
