import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { apiKeys, auditEvents, getDb } from "@/lib/db";
import { CLIENT_IP_HEADER } from "@/lib/client-ip";
import { createKey } from "@/lib/keys/lifecycle";
import { changeKey } from "@/lib/keys/status";
import { generateToken } from "@/lib/keys/token";
import { flushUsage } from "@/lib/verify/usage";
import { publishKeyChange } from "@/lib/verify/invalidation";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as rollRoute from "@/app/api/v1/keys/[id]/roll/route";
import * as suspendRoute from "@/app/api/v1/keys/[id]/suspend/route";
import * as reactivateRoute from "@/app/api/v1/keys/[id]/reactivate/route";
import * as revokeRoute from "@/app/api/v1/keys/[id]/revoke/route";
import * as logsRoute from "@/app/api/v1/keys/[id]/logs/route";
import * as auditRoute from "@/app/api/v1/audit/route";
import { POST as verifyRoute } from "@/app/api/v1/keys/verify/route";
import { makeTeam, uniq } from "@/test/factories";
import type { OrgContext } from "@/lib/context";

type Handler = (req: Request, route: { params: Promise<{ id: string }> }) => Promise<Response>;
type Call = { method: string; path: string; token?: string | null; body?: unknown; headers?: Record<string, string>; ip?: string };

async function call(handler: Handler, c: Call) {
  const headers: Record<string, string> = { [CLIENT_IP_HEADER]: c.ip ?? "203.0.113.7", ...c.headers };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  if (c.body !== undefined) headers["content-type"] = "application/json";
  const id = /\/api\/v1\/keys\/([^/?]+)/.exec(c.path)?.[1];
  const res = await handler(new Request(`http://latchkey.test${c.path}`, { method: c.method, headers, body: c.body === undefined ? undefined : JSON.stringify(c.body) }), {
    params: Promise.resolve({ id: id ?? "" }),
  });
  const text = await res.text();
  return { res, status: res.status, json: text ? JSON.parse(text) : null };
}

/** After a change made behind the domain's back (a direct UPDATE), as every domain change does. */
const evictKey = (keyId: string) => publishKeyChange({ keyIds: [keyId] });

const verify = async (key: string, extra: Record<string, unknown> = {}) =>
  (await verifyRoute(new Request("http://latchkey.test/api/v1/keys/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key, ...extra }) }))).json();

let A: Awaited<ReturnType<typeof makeTeam>>;
let B: Awaited<ReturnType<typeof makeTeam>>;
let ownerA: OrgContext;
let ownerB: OrgContext;
const tokens = {} as Record<"full" | "readOnly" | "auditOnly" | "public" | "revoked" | "fullB", string>;

beforeAll(async () => {
  A = await makeTeam();
  B = await makeTeam();
  ownerA = await A.ctx("owner");
  ownerB = await B.ctx("owner");
  const make = async (ctx: OrgContext, input: Record<string, unknown>) => (await createKey(ctx, { name: `k ${uniq()}`, ...input })).token;
  tokens.full = await make(ownerA, { permissions: ["keys:read", "keys:write", "audit:read"] });
  tokens.readOnly = await make(ownerA, { permissions: ["keys:read"] });
  tokens.auditOnly = await make(ownerA, { permissions: ["audit:read"] });
  tokens.public = await make(ownerA, { type: "public", permissions: ["keys:read", "audit:read"] });
  tokens.fullB = await make(ownerB, { permissions: ["keys:read", "keys:write", "audit:read"] });
  const revoked = await createKey(ownerA, { name: `revoked ${uniq()}`, permissions: ["keys:read", "keys:write"] });
  await changeKey(ownerA, "revoke", { keyId: revoked.key.id });
  tokens.revoked = revoked.token;
});

/** A fresh key to act on, in organization A (or B), in the state the route needs. */
async function target(ctx: OrgContext = ownerA, state: "active" | "suspended" = "active") {
  const { key } = await createKey(ctx, { name: `target ${uniq()}`, permissions: ["keys:read"] });
  if (state === "suspended") await changeKey(ctx, "suspend", { keyId: key.id });
  return key.id;
}

type Route = {
  name: string;
  handler: Handler;
  method: string;
  path: (id: string) => string;
  permission: "keys:read" | "keys:write" | "audit:read";
  body?: unknown;
  state?: "active" | "suspended";
  ok: number;
  /** What only a successful call does, checked after the valid case. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  check?: (id: string, json: any) => Promise<void> | void;
};

const routes: Route[] = [
  { name: "GET /keys", handler: keysRoute.GET, method: "GET", path: () => "/api/v1/keys?perPage=100", permission: "keys:read", ok: 200,
    check: (id, json) => expect(json.data.map((k: { id: string }) => k.id)).toContain(id) },
  { name: "POST /keys", handler: keysRoute.POST, method: "POST", path: () => "/api/v1/keys", permission: "keys:write", body: { name: "made by API" }, ok: 201,
    check: async (_id, json) => {
      expect(json.token).toMatch(/^sk_prod_/);
      expect(json.tokenShown).toBe(false);
      expect((await verify(json.token)).organizationId).toBe(A.org.id);
      await getDb().delete(apiKeys).where(eq(apiKeys.id, json.key.id)); // keep the name free for the next run of this case
    } },
  { name: "GET /keys/{id}", handler: keyRoute.GET, method: "GET", path: (id) => `/api/v1/keys/${id}`, permission: "keys:read", ok: 200,
    check: (id, json) => {
      expect(json.id).toBe(id);
      expect(JSON.stringify(json)).not.toMatch(/hash/i);
    } },
  { name: "PATCH /keys/{id}", handler: keyRoute.PATCH, method: "PATCH", path: (id) => `/api/v1/keys/${id}`, permission: "keys:write", body: { description: "changed by API" }, ok: 200,
    check: (_id, json) => {
      expect(json.description).toBe("changed by API");
      expect(json.permissions).toEqual(["keys:read"]); // untouched fields keep their values
    } },
  { name: "DELETE /keys/{id}", handler: keyRoute.DELETE, method: "DELETE", path: (id) => `/api/v1/keys/${id}`, permission: "keys:write", ok: 204,
    check: async (id) => expect(await getDb().select().from(apiKeys).where(eq(apiKeys.id, id))).toHaveLength(0) },
  { name: "POST /keys/{id}/roll", handler: rollRoute.POST, method: "POST", path: (id) => `/api/v1/keys/${id}/roll`, permission: "keys:write", body: { grace: "1h" }, ok: 200,
    check: (_id, json) => {
      expect(json.token).toMatch(/^sk_prod_/);
      expect(json.key.previousTokenValidUntil).not.toBeNull();
    } },
  { name: "POST /keys/{id}/suspend", handler: suspendRoute.POST, method: "POST", path: (id) => `/api/v1/keys/${id}/suspend`, permission: "keys:write", ok: 200,
    check: (_id, json) => expect(json.status).toBe("suspended") },
  { name: "POST /keys/{id}/reactivate", handler: reactivateRoute.POST, method: "POST", path: (id) => `/api/v1/keys/${id}/reactivate`, permission: "keys:write", state: "suspended", ok: 200,
    check: (_id, json) => expect(json.status).toBe("active") },
  { name: "POST /keys/{id}/revoke", handler: revokeRoute.POST, method: "POST", path: (id) => `/api/v1/keys/${id}/revoke`, permission: "keys:write", ok: 200,
    check: (_id, json) => expect(json.status).toBe("revoked") },
  { name: "GET /keys/{id}/logs", handler: logsRoute.GET, method: "GET", path: (id) => `/api/v1/keys/${id}/logs`, permission: "keys:read", ok: 200,
    check: (_id, json) => expect(json).toMatchObject({ data: expect.any(Array), page: 1 }) },
  { name: "GET /audit", handler: auditRoute.GET, method: "GET", path: () => "/api/v1/audit?perPage=100", permission: "audit:read", ok: 200,
    check: (_id, json) => {
      expect(json.data.length).toBeGreaterThan(0);
      expect(JSON.stringify(json)).not.toMatch(/sk_(prod|stg|dev)_/);
    } },
];

describe.each(routes)("$name", (r) => {
  const isRead = r.method === "GET";
  const byId = r.path("X").includes("/X");

  it("without a key: 401 with WWW-Authenticate: Bearer", async () => {
    const { status, res, json } = await call(r.handler, { method: r.method, path: r.path(await target()), body: r.body });
    expect(status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(json.type).toBe("/docs/api#problem-unauthorized");
  });

  it("with an unknown or revoked key: 401 saying why", async () => {
    const id = await target();
    const unknown = await call(r.handler, { method: r.method, path: r.path(id), token: generateToken("secret", "production"), body: r.body });
    expect([unknown.status, unknown.json.code]).toEqual([401, "NOT_FOUND"]);
    const revoked = await call(r.handler, { method: r.method, path: r.path(id), token: tokens.revoked, body: r.body });
    expect([revoked.status, revoked.json.code]).toEqual([401, "REVOKED"]);
    expect(revoked.res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it(`without ${r.permission}: 403`, async () => {
    const token = r.permission === "audit:read" ? tokens.readOnly : r.permission === "keys:read" ? tokens.auditOnly : tokens.readOnly;
    const { status, json } = await call(r.handler, { method: r.method, path: r.path(await target()), token, body: r.body });
    expect([status, json.code, json.type]).toEqual([403, "INSUFFICIENT_PERMISSIONS", "/docs/api#problem-forbidden"]);
    expect(json.detail).toContain(r.permission);
  });

  it(isRead ? "with a public key holding the permission: allowed (public keys read)" : "with a public key: 403, public keys only read", async () => {
    const { status, json } = await call(r.handler, { method: r.method, path: r.path(await target()), token: tokens.public, body: r.body });
    if (isRead) expect(status).toBe(r.ok);
    else expect([status, json.code]).toEqual([403, "PUBLIC_KEY_READ_ONLY"]);
  });

  it("with another organization's key: never sees or touches this organization", async () => {
    const id = await target(ownerA, r.state);
    const { status, json } = await call(r.handler, { method: r.method, path: r.path(id), token: tokens.fullB, body: r.body });
    if (byId) {
      expect([status, json.type]).toEqual([404, "/docs/api#problem-not-found"]);
      const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, id));
      expect(row?.status).toBe(r.state ?? "active"); // unchanged
    } else if (r.method === "POST") {
      expect(status).toBe(201);
      expect(json.key.id).toBeTruthy();
      expect((await verify(json.token)).organizationId).toBe(B.org.id); // created in B, not A
    } else {
      const ids = JSON.stringify(json.data);
      expect(status).toBe(200);
      expect(ids).not.toContain(id);
      expect(ids).not.toContain(A.org.id);
    }
  });

  it(`with a valid key: ${r.ok}`, async () => {
    const id = await target(ownerA, r.state);
    const { status, json, res } = await call(r.handler, { method: r.method, path: r.path(id), token: tokens.full, body: r.body });
    expect(status, JSON.stringify(json)).toBe(r.ok);
    if (status !== 204) expect(res.headers.get("content-type")).toBe("application/json");
    await r.check?.(id, json);
  });
});

describe("management API", () => {
  it("audits every change with the acting key as actor", async () => {
    const id = await target();
    await call(suspendRoute.POST, { method: "POST", path: `/api/v1/keys/${id}/suspend`, token: tokens.full });
    const [event] = await getDb().select().from(auditEvents).where(and(eq(auditEvents.targetId, id), eq(auditEvents.action, "key.suspended")));
    const actingKey = (await verify(tokens.full)).keyId;
    expect(event).toMatchObject({ actorKeyId: actingKey, actorUserId: A.people.owner.id, ip: "203.0.113.7" });
    expect(event.actorLabel).toMatch(/^API key “/);
  });

  it("runs as its owner: a member's key cannot touch another member's key", async () => {
    const member = await A.ctx("member");
    const memberToken = (await createKey(member, { name: `member ${uniq()}`, permissions: ["keys:read", "keys:write"] })).token;
    const id = await target(); // owned by A's owner
    const { status, json } = await call(revokeRoute.POST, { method: "POST", path: `/api/v1/keys/${id}/revoke`, token: memberToken });
    expect([status, json.code]).toEqual([403, "ROLE_NOT_ALLOWED"]);
  });

  it("a suspended or expired key: 401 saying which", async () => {
    const suspended = await createKey(ownerA, { name: `suspended ${uniq()}`, permissions: ["keys:read"] });
    await changeKey(ownerA, "suspend", { keyId: suspended.key.id });
    const expired = await createKey(ownerA, { name: `expired ${uniq()}`, permissions: ["keys:read"] });
    await getDb().update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, expired.key.id));
    await evictKey(expired.key.id);
    for (const [token, code] of [[suspended.token, "SUSPENDED"], [expired.token, "EXPIRED"]] as const) {
      const { status, json, res } = await call(keysRoute.GET, { method: "GET", path: "/api/v1/keys", token });
      expect([status, json.code]).toEqual([401, code]);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("refuses a key sent in the URL, saying to use the header", async () => {
    const { status, json } = await call(keysRoute.GET, { method: "GET", path: `/api/v1/keys?api_key=${tokens.full}` });
    expect(status).toBe(401);
    expect(json.detail).toMatch(/Authorization header/);
    expect(JSON.stringify(json)).not.toContain(tokens.full);
  });

  it("applies the key's rules to the request's own method and path", async () => {
    const token = (await createKey(ownerA, { name: `rules ${uniq()}`, permissions: ["keys:read"], rules: "allow GET /api/v1/keys" })).token;
    expect((await call(keysRoute.GET, { method: "GET", path: "/api/v1/keys", token })).status).toBe(200);
    const id = await target();
    const denied = await call(keyRoute.GET, { method: "GET", path: `/api/v1/keys/${id}`, token });
    expect([denied.status, denied.json.code]).toEqual([403, "RULE_DENIED"]);
  });

  it("answers 429 with Retry-After and RateLimit headers past the key's limit", async () => {
    const token = (await createKey(ownerA, { name: `limited ${uniq()}`, permissions: ["keys:read"], rateLimit: { limit: 2, windowSeconds: 60 } })).token;
    const first = await call(keysRoute.GET, { method: "GET", path: "/api/v1/keys", token });
    expect(first.res.headers.get("ratelimit")).toMatch(/r=1/);
    await call(keysRoute.GET, { method: "GET", path: "/api/v1/keys", token });
    const { status, res, json } = await call(keysRoute.GET, { method: "GET", path: "/api/v1/keys", token });
    expect([status, json.type]).toEqual([429, "/docs/api#problem-rate-limited"]);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("ratelimit-policy")).toBe('"default";q=2;w=60');
  });

  it("concurrent PATCHes of different fields both land", async () => {
    const id = await target();
    const patch = (body: object) => call(keyRoute.PATCH, { method: "PATCH", path: `/api/v1/keys/${id}`, token: tokens.full, body });
    const results = await Promise.all([patch({ description: "from one script" }), patch({ externalId: "cus_from_another" })]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, id));
    expect([row.description, row.externalId]).toEqual(["from one script", "cus_from_another"]);
  });

  it("names the field of bad input, and changes nothing", async () => {
    const id = await target();
    const bad = await call(keyRoute.PATCH, { method: "PATCH", path: `/api/v1/keys/${id}`, token: tokens.full, body: { rateLimit: { limit: 0, windowSeconds: 60 } } });
    expect([bad.status, bad.json.type, bad.json.field]).toEqual([400, "/docs/api#problem-invalid-request", "rateLimit.limit"]);
    const immutable = await call(keyRoute.PATCH, { method: "PATCH", path: `/api/v1/keys/${id}`, token: tokens.full, body: { environment: "staging" } });
    expect([immutable.status, immutable.json.field]).toEqual([400, "environment"]);
    const notJson = await keysRoute.POST(
      new Request("http://latchkey.test/api/v1/keys", { method: "POST", headers: { authorization: `Bearer ${tokens.full}`, "content-type": "application/json" }, body: "{name:" }),
      { params: Promise.resolve({}) } as never,
    );
    expect(notJson.status).toBe(400);
    const huge = await call(keysRoute.POST, { method: "POST", path: "/api/v1/keys", token: tokens.full, body: { name: "huge", description: "x".repeat(70 * 1024) } });
    expect([huge.status, huge.json.detail]).toEqual([400, "The body must be at most 64 KiB."]);
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row.ratelimits).toEqual([]);
    expect(row.environment).toBe("production");
  });

  it("lists with search, filters and pagination like the UI", async () => {
    const name = `findme ${uniq()}`;
    await createKey(ownerA, { name, environment: "staging" });
    const { json } = await call(keysRoute.GET, { method: "GET", path: `/api/v1/keys?q=${encodeURIComponent(name)}&environment=staging&perPage=10`, token: tokens.full });
    expect(json.data.map((k: { name: string }) => k.name)).toEqual([name]);
    expect(json).toMatchObject({ total: 1, page: 1, perPage: 10, totalPages: 1 });
  });

  it("logs: the key's verifications, filtered by outcome", async () => {
    const { key, token } = await createKey(ownerA, { name: `logged ${uniq()}` });
    await verify(token, { method: "GET", path: "/x" });
    await verify(token, { environment: "staging" });
    await flushUsage();
    const all = await call(logsRoute.GET, { method: "GET", path: `/api/v1/keys/${key.id}/logs`, token: tokens.full });
    expect(all.json.data.map((r: { code: string }) => r.code).sort()).toEqual(["ENVIRONMENT_MISMATCH", "VALID"]);
    const valid = await call(logsRoute.GET, { method: "GET", path: `/api/v1/keys/${key.id}/logs?code=VALID`, token: tokens.full });
    expect(valid.json.data).toEqual([expect.objectContaining({ code: "VALID", method: "GET", path: "/x" })]);
    const bad = await call(logsRoute.GET, { method: "GET", path: `/api/v1/keys/${key.id}/logs?code=NOPE`, token: tokens.full });
    expect([bad.status, bad.json.field]).toEqual([400, "code"]);
  });
});

describe("Idempotency-Key", () => {
  const create = (key: string, body: unknown) =>
    call(keysRoute.POST, { method: "POST", path: "/api/v1/keys", token: tokens.full, body, headers: { "Idempotency-Key": key } });
  const countNamed = async (name: string) => (await getDb().select().from(apiKeys).where(and(eq(apiKeys.organizationId, A.org.id), eq(apiKeys.name, name)))).length;

  it("a retry gets the first response again, without the token, and creates nothing more", async () => {
    const idem = `idem-${uniq()}`;
    const name = `idempotent ${uniq()}`;
    const first = await create(idem, { name, permissions: ["keys:read"] });
    expect(first.status).toBe(201);
    expect(first.json.token).toMatch(/^sk_/);
    const again = await create(idem, { permissions: ["keys:read"], name }); // same body, keys in another order
    expect(again.status).toBe(201);
    expect(again.res.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual({ ...first.json, token: null, tokenShown: true });
    expect(await countNamed(name)).toBe(1);
  });

  it("the same idempotency key with a different body: 409", async () => {
    const idem = `idem-${uniq()}`;
    await create(idem, { name: `one ${uniq()}` });
    const other = await create(idem, { name: `two ${uniq()}` });
    expect([other.status, other.json.type]).toEqual([409, "/docs/api#problem-idempotency-key-reused"]);
  });

  it("a failed request is replayed as the same failure", async () => {
    const idem = `idem-${uniq()}`;
    const first = await create(idem, { name: "" });
    const again = await create(idem, { name: "" });
    expect([first.status, again.status]).toEqual([400, 400]);
    expect(again.json).toEqual(first.json);
  });

  it("concurrent duplicates create one key", async () => {
    const idem = `idem-${uniq()}`;
    const name = `concurrent ${uniq()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => create(idem, { name })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.filter((r) => typeof r.json.token === "string")).toHaveLength(1);
    expect(new Set(results.map((r) => r.json.key.id)).size).toBe(1);
    expect(await countNamed(name)).toBe(1);
  });

  it("is scoped to the API key: another key's same idempotency key is a new request", async () => {
    const idem = `idem-${uniq()}`;
    const a = await create(idem, { name: `scoped ${uniq()}` });
    const b = await call(keysRoute.POST, { method: "POST", path: "/api/v1/keys", token: tokens.fullB, body: { name: `scoped ${uniq()}` }, headers: { "Idempotency-Key": idem } });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json.key.id).not.toBe(a.json.key.id);
  });
});

describe("round trip", () => {
  it("create by API, verify, roll with 1 h grace, verify old and new, revoke, verify → REVOKED", async () => {
    const created = await call(keysRoute.POST, { method: "POST", path: "/api/v1/keys", token: tokens.full, body: { name: `round trip ${uniq()}`, permissions: ["keys:read"] } });
    expect(created.status).toBe(201);
    const oldToken: string = created.json.token;
    const id: string = created.json.key.id;
    expect(await verify(oldToken)).toMatchObject({ valid: true, code: "VALID", keyId: id });

    const rolled = await call(rollRoute.POST, { method: "POST", path: `/api/v1/keys/${id}/roll`, token: tokens.full, body: { grace: "1h" } });
    expect(rolled.status).toBe(200);
    const newToken: string = rolled.json.token;
    expect(newToken).not.toBe(oldToken);
    expect(await verify(oldToken)).toMatchObject({ valid: true, keyId: id });
    expect(await verify(newToken)).toMatchObject({ valid: true, keyId: id });

    expect((await call(revokeRoute.POST, { method: "POST", path: `/api/v1/keys/${id}/revoke`, token: tokens.full })).status).toBe(200);
    expect(await verify(newToken)).toMatchObject({ valid: false, code: "REVOKED" });
    expect((await verify(oldToken)).valid).toBe(false);
  });
});
