// Throws hostile input at every door an operation has — each management REST route, each server
// action's operation, each page's search params — and checks that nothing answers 5xx, nothing leaks
// a stack trace, and invalid input writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { apiKeys, auditEvents, getDb, invitations, memberships, orgPermissions } from "@/lib/db";
import { createKey } from "@/lib/keys/lifecycle";
import { generateToken } from "@/lib/keys/token";
import { restRoute } from "@/lib/api/with-api-key";
import { REST_OPERATIONS } from "./registry";
import { parsePageQuery, runOperation, splitFlatInput, type Operation } from "./operation";
import { translateError } from "@/lib/error-translator";
import * as keyOps from "@/lib/keys/operations";
import * as orgOps from "@/lib/orgs/operations";
import { keyListQuerySchema, listKeys, listKeysOwnedBy, myKeysQuerySchema } from "@/lib/keys/queries";
import { auditQuerySchema, listAuditLog } from "@/lib/audit/audit";
import { listRequestLog } from "@/lib/verify/usage-queries";
import type { OrgContext } from "@/lib/context";
import { actorOf, makeTeam } from "@/test/factories";
import { updateProfile } from "@/lib/auth/profile";
import { signUp, type SignUpInput } from "@/lib/auth/accounts";
import { createOrganization, listOrganizationsForUser } from "@/lib/orgs/organizations";
import { acceptInvitation } from "@/lib/orgs/invitations";

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

// Values that no field of any operation accepts: a NUL, a lone surrogate, a bad key deep in an
// object, an array where text is expected, a string far too long.
const POISON: unknown[] = ["bad\u0000value", "a\uD800b", { nested: { "k\u0000": 1 } }, ["\u0000"], "x".repeat(20_000)];

const STACK = /\n\s+at |node_modules|\.ts:\d+/;

describe("every door refuses hostile input cleanly", () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  beforeAll(() => void process.on("unhandledRejection", onRejection));
  afterAll(() => void process.off("unhandledRejection", onRejection));

  async function counts(orgId: string) {
    const db = getDb();
    const n = async (q: Promise<{ n: number }[]>) => (await q)[0].n;
    return {
      keys: await n(db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.organizationId, orgId))),
      audit: await n(db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.organizationId, orgId))),
      permissions: await n(db.select({ n: count() }).from(orgPermissions).where(eq(orgPermissions.organizationId, orgId))),
      members: await n(db.select({ n: count() }).from(memberships).where(eq(memberships.organizationId, orgId))),
      invitations: await n(db.select({ n: count() }).from(invitations).where(eq(invitations.organizationId, orgId))),
    };
  }

  it("10,000 hostile requests across REST routes, server actions and page search params: no 5xx, no stack trace, nothing written", { timeout: 300_000 }, async () => {
    const { org, ctx, people } = await makeTeam();
    const owner = await ctx("owner");
    const actor = await createKey(owner, { name: "fuzz actor", permissions: ["keys:read", "keys:write", "audit:read"] });
    const target = await createKey(owner, { name: "fuzz target", permissions: ["keys:read"] });
    const before = await counts(org.id);
    const rand = rng(20261123);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const junk = (depth = 0): unknown =>
      pick<() => unknown>([
        () => null,
        () => rand() * 1e9,
        () => true,
        () => "y".repeat(Math.floor(rand() * 300)),
        () => pick(POISON),
        () => (depth < 3 ? [junk(depth + 1), junk(depth + 1)] : 1),
        () => (depth < 3 ? { [pick(["name", "permissions", "metadata", "k\u0000", "expiresAt", "ownerId"])]: junk(depth + 1) } : 1),
        () => generateToken("secret", "production"),
        () => target.key.id,
        () => people.member.id,
      ])();
    // Ids that must read as "not found": malformed (NUL, surrogate, too long) or well-formed and unknown.
    const badIds = ["%00", "\u0000", "key_\u0000", "a\uD800b", "x".repeat(500), "key_AAAAAAAAAAAAAAAAAAAA", "../audit", "key_" + "Z".repeat(19)];

    /** A body with at least one poisoned field, so a valid request can never slip through. */
    const poisonedBody = (op: Operation): Record<string, unknown> => {
      const shape = (op.input.body as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      const fields = Object.keys(shape);
      const body: Record<string, unknown> = {};
      for (const f of fields) if (rand() < 0.5) body[f] = junk();
      body[fields.length ? pick(fields) : "name"] = pick(POISON);
      return body;
    };

    // 1. The management REST API, through the same route handlers the app serves.
    const routes = REST_OPERATIONS.map((op) => ({ op, handler: restRoute(op) }));
    let rest = 0;
    for (let i = 0; i < 6_000; i++) {
      const { op, handler } = pick(routes);
      const hasBody = op.rest!.method !== "GET";
      const mutates = hasBody;
      // Mutations get a poisoned body, or (without a body schema) an id that cannot exist.
      const idFor = () => (mutates && !op.input.body ? pick(badIds) : rand() < 0.5 ? pick(badIds) : target.key.id);
      const params = op.input.params ? { id: idFor() } : {};
      const url = new URL(`http://latchkey.test${op.rest!.path.replace("{id}", "fuzzed-id")}`);
      if (op.input.query) for (const k of Object.keys(op.input.query.shape)) if (rand() < 0.4) url.searchParams.set(k, String(rand() < 0.5 ? pick(POISON) : junk()));
      if (rand() < 0.2) url.searchParams.set(pick(["q", "owner", "actorUserId", "targetId", "since", "from", "perPage", "page"]), pick(["\u0000", "a\uD800b", "-1", "1e309", "9".repeat(40)]));
      const body = hasBody ? (op.input.body ? poisonedBody(op as Operation) : rand() < 0.5 ? junk() : undefined) : undefined;
      const req = new Request(url, {
        method: op.rest!.method,
        headers: { authorization: `Bearer ${actor.token}`, "content-type": "application/json", "x-latchkey-client-ip": "203.0.113.9" },
        ...(body === undefined ? {} : { body: rand() < 0.05 ? "{not json" : JSON.stringify(body) }),
      });
      const res = await handler(req, { params: Promise.resolve(params as Record<string, string>) });
      const text = await res.text();
      if (res.status >= 500 || STACK.test(text) || (mutates && res.status < 400)) {
        throw new Error(`${op.rest!.method} ${url.pathname}${url.search} ${body === undefined ? "" : JSON.stringify(body).slice(0, 300)} → ${res.status} ${text.slice(0, 500)}`);
      }
      if (res.status >= 400) expect(res.headers.get("content-type")).toBe("application/problem+json");
      rest++;
    }

    // 2. Every server action's operation, as the action wrapper runs it after resolving the session.
    const exported: unknown[] = [...Object.values(keyOps), ...Object.values(orgOps)];
    const uiOps = exported.filter((v): v is Operation => typeof v === "object" && v !== null && "handler" in v && "input" in v && !!(v as Operation).input.body);
    const contexts: OrgContext[] = [owner, await ctx("admin"), await ctx("member"), await ctx("viewer")];
    let actions = 0;
    for (let i = 0; i < 2_000; i++) {
      const op = pick(uiOps);
      const acceptsEmpty = op.input.body!.safeParse({}).success;
      // Not an object at all (refused unless every field has a default), or an object with a poisoned field.
      const input = !acceptsEmpty && rand() < 0.3 ? pick<unknown>([null, 42, "text", [1, 2], true]) : { ...(op.input.params ? { id: rand() < 0.5 ? pick(badIds) : target.key.id } : {}), ...poisonedBody(op) };
      try {
        await runOperation(op, pick(contexts), splitFlatInput(op, input));
        throw new Error(`${op.name} accepted ${JSON.stringify(input).slice(0, 300)}`);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith(`${op.name} accepted`)) throw e;
        const t = translateError(e);
        if (t.status >= 500 || STACK.test(t.message)) throw new Error(`${op.name} ${JSON.stringify(input).slice(0, 300)} → ${t.status} ${t.message}`);
      }
      actions++;
    }

    // 3. Every page's search params: parsed as the page parses them, then queried as the page queries.
    const raw = () => {
      const sp: Record<string, string | string[]> = {};
      const names = ["q", "status", "environment", "type", "owner", "org", "sort", "dir", "page", "perPage", "action", "actorUserId", "targetId", "from", "to", "code", "range", "since"];
      for (const n of names) if (rand() < 0.4) sp[n] = rand() < 0.1 ? [String(junk()), "x"] : String(rand() < 0.5 ? pick(POISON) : junk());
      return sp;
    };
    let pages = 0;
    for (let i = 0; i < 2_000; i++) {
      const which = i % 5;
      if (which === 0) await listKeys(owner, parsePageQuery(keyListQuerySchema, raw()));
      else if (which === 1) await listKeysOwnedBy(people.owner.id, parsePageQuery(myKeysQuerySchema, raw()));
      else if (which === 2) await listAuditLog(owner, parsePageQuery(auditQuerySchema, raw()));
      else if (which === 3) await listRequestLog(target.key.id, parsePageQuery(keyOps.keyLogQuerySchema, raw()));
      else parsePageQuery(keyOps.keyPageQuerySchema, raw());
      pages++;
    }

    // 4. The account's own actions (no organization): profile, organization creation, sign-up.
    const user = people.owner;
    const userCalls: [string, (input: unknown) => Promise<unknown>][] = [
      ["updateProfile", (input) => updateProfile(user, input)],
      ["createOrganization", (input) => createOrganization(actorOf(user), input)],
      ["signUp", (input) => signUp(input as SignUpInput, "203.0.113.9")],
      ["acceptInvitation", (input) => acceptInvitation(user, String((input as { token?: unknown })?.token ?? ""), null)],
    ];
    const orgsBefore = (await listOrganizationsForUser(user.id)).length;
    for (let i = 0; i < 400; i++) {
      const [name, call] = pick(userCalls);
      const input = { name: pick(POISON), email: rand() < 0.5 ? `fuzz-${i}@example.com` : pick(POISON), password: "password-1234", slug: rand() < 0.5 ? pick(POISON) : undefined, token: pick(POISON) };
      const outcome = await call(input).then(
        () => `${name} accepted ${JSON.stringify(input).slice(0, 200)}`,
        (e: unknown) => translateError(e),
      );
      if (typeof outcome === "string") throw new Error(outcome);
      if (outcome.status >= 500) throw new Error(`${name} → ${outcome.status} ${outcome.message}`);
    }
    expect((await listOrganizationsForUser(user.id)).length).toBe(orgsBefore);
    expect(rest + actions + pages).toBe(10_000);
    expect(await counts(org.id)).toEqual(before);
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections).toEqual([]);
  });

  it("a NUL or lone surrogate anywhere is a 400 naming the field, or a 404 for an id; never 503", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const { token } = await createKey(owner, { name: "nul probe", permissions: ["keys:read", "keys:write", "audit:read"] });
    const call = async (operation: unknown, path: string, init: { params?: Record<string, string>; body?: unknown } = {}) => {
      const op = operation as Operation;
      const res = await restRoute(op)(
        new Request(`http://latchkey.test${path}`, {
          method: op.rest!.method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        }),
        { params: Promise.resolve(init.params ?? {}) },
      );
      return { status: res.status, body: (await res.json()) as { field?: string; detail?: string } };
    };
    expect((await call(keyOps.getKeyOp, "/api/v1/keys/%00", { params: { id: "\u0000" } })).status).toBe(404);
    expect((await call(keyOps.listKeyLogsOp, "/api/v1/keys/%00/logs", { params: { id: "\u0000" } })).status).toBe(404);
    expect((await call(keyOps.revokeKeyOp, "/api/v1/keys/%00/revoke", { params: { id: "\u0000" } })).status).toBe(404);
    expect(await call(keyOps.listKeysOp, "/api/v1/keys?q=%00")).toMatchObject({ status: 400, body: { field: "q" } });
    expect(await call(keyOps.listKeysOp, "/api/v1/keys?owner=%00")).toMatchObject({ status: 400, body: { field: "owner" } });
    expect(await call(REST_OPERATIONS.find((o) => o.name === "listAuditEvents")!, "/api/v1/audit?actorUserId=%00")).toMatchObject({ status: 400, body: { field: "actorUserId" } });
    expect(await call(REST_OPERATIONS.find((o) => o.name === "listAuditEvents")!, "/api/v1/audit?targetId=%00")).toMatchObject({ status: 400, body: { field: "targetId" } });
    expect(await call(keyOps.createKeyOp, "/api/v1/keys", { body: { name: "ok", metadata: { a: { "b\u0000": "c" } } } })).toMatchObject({ status: 400, body: { field: "metadata" } });
    expect(await call(keyOps.createKeyOp, "/api/v1/keys", { body: { name: "ok", metadata: { a: ["x\u0000"] } } })).toMatchObject({ status: 400, body: { field: "metadata" } });
    expect(await call(keyOps.createKeyOp, "/api/v1/keys", { body: { name: "a\uDC00" } })).toMatchObject({ status: 400, body: { field: "name" } });
    expect(await call(keyOps.createKeyOp, "/api/v1/keys", { body: { name: "ok", description: "line one\nline two\u0000" } })).toMatchObject({ status: 400, body: { field: "description" } });
    // Multi-line fields keep their line breaks.
    expect((await call(keyOps.createKeyOp, "/api/v1/keys", { body: { name: "multi-line ok", description: "line one\nline two" } })).status).toBe(201);
  });
});

describe("the one error translator", () => {
  it("maps a value the database refuses to 400, an outage to 503, and anything else to a logged 500 without internals", () => {
    const pg = (code: string) => Object.assign(new Error("db said no"), { code });
    expect(translateError(new Error("wrapped", { cause: pg("22021") })).status).toBe(400);
    expect(translateError(pg("22P05")).status).toBe(400);
    expect(translateError(pg("23505")).status).toBe(409);
    expect(translateError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })).status).toBe(503);
    expect(translateError(pg("57P01")).status).toBe(503);
    const internal = translateError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(internal.status).toBe(500);
    expect(internal.message).toMatch(/request id [0-9a-f]{12}/);
    expect(internal.message).not.toMatch(/Cannot read|undefined/);
  });
});
