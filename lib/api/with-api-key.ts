// Owns authenticating the management API: `withApiKey(handler, { permission })` verifies the bearer
// key with the same core as /api/v1/keys/verify (status, expiry, IP allowlist, rules against this
// request's method and path, the route's permission, rate limit), then runs the handler in the key's
// own organization as the key's owner (so the owner's role caps it), and turns every failure into
// application/problem+json. Web-standard Request/Response only: no Next.js here.
import { and, eq } from "drizzle-orm";
import { getDb, memberships, organizations, type ApiKey } from "../db";
import { CLIENT_IP_HEADER } from "../client-ip";
import type { OrgContext } from "../context";
import { translateError } from "../error-translator";
import { bearerToken } from "../http/bearer";
import { firstValues, parseOperationInput, type KeyPermission, type Operation, type OperationInput } from "../ops/operation";
import type { VerifyCode } from "../verify/codes";
import { verifyWithRecord } from "../verify/verify";
import { idempotent, IDEMPOTENCY_HEADER, requestFingerprint, validIdempotencyKey, type ApiResult } from "./idempotency";
import { ApiProblemError, problemBody, problemForError, PROBLEMS, type ApiProblem, type ProblemType } from "./problem";

export type ApiContext<P> = { ctx: OrgContext; apiKey: ApiKey; params: P; query: URLSearchParams; body: unknown };
export type ApiHandler<P> = (c: ApiContext<P>) => Promise<ApiResult>;
export type RouteHandler<P> = (req: Request, route: { params: Promise<P> }) => Promise<Response>;

export const MAX_API_BODY_BYTES = 64 * 1024;
const WWW_AUTHENTICATE = 'Bearer realm="Latchkey"';
const READ_METHODS = new Set(["GET", "HEAD"]);

const UNAUTHORIZED_DETAIL: Partial<Record<VerifyCode, string>> = {
  MALFORMED: "The bearer token is not a Latchkey key: check for a missing or extra character.",
  NOT_FOUND: "No such key.",
  REVOKED: "This key was revoked.",
  EXPIRED: "This key has expired. Renew it by rolling it in Latchkey.",
  SUSPENDED: "This key is suspended. An admin can reactivate it.",
  OWNER_INACTIVE: "This key's owner is no longer a member of its organization. An admin can transfer the key.",
  ENVIRONMENT_MISMATCH: "This key may not be used here.",
};

export function problemResult(type: ProblemType, detail: string, extra: Partial<ApiProblem> = {}, headers: Record<string, string> = {}): ApiResult {
  return { status: PROBLEMS[type].status, body: problemBody(type, detail, extra), headers };
}

/** Any error as a problem result, through the one error translator. */
function errorResult(e: unknown): ApiResult {
  if (e instanceof ApiProblemError) return problemResult(e.problemType, e.detail, e.extra, e.headers);
  const t = translateError(e, "management API request");
  const p = problemForError(t);
  return problemResult(p.type, t.message, p.extra, p.headers);
}

function toResponse(r: ApiResult, extraHeaders: Record<string, string>): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store", ...extraHeaders, ...r.headers };
  if (r.status === 204) return new Response(null, { status: 204, headers });
  headers["Content-Type"] = r.status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(r.body), { status: r.status, headers });
}

async function readJsonBody(req: Request): Promise<unknown> {
  const tooLarge = () => new ApiProblemError("invalid-request", `The body must be at most ${MAX_API_BODY_BYTES / 1024} KiB.`);
  if (Number(req.headers.get("content-length") ?? 0) > MAX_API_BODY_BYTES) throw tooLarge(); // refused before reading it
  const text = await req.text();
  if (!text.trim()) return undefined;
  if (Buffer.byteLength(text) > MAX_API_BODY_BYTES) throw tooLarge();
  if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) {
    throw new ApiProblemError("invalid-request", "Content-Type: send the request body as application/json.", { field: "content-type" });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiProblemError("invalid-request", "The request body is not valid JSON.");
  }
}

/** The key's organization and its owner's membership there: the context every domain function takes. */
async function ownerContext(key: ApiKey, ip: string | null): Promise<OrgContext | null> {
  if (!key.ownerId) return null;
  const [row] = await getDb()
    .select({ org: organizations, membership: memberships })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.organizationId, organizations.id), eq(memberships.userId, key.ownerId)))
    .where(eq(organizations.id, key.organizationId))
    .limit(1);
  if (!row) return null;
  return { org: row.org, membership: row.membership, actor: { userId: key.ownerId, keyId: key.id, label: `API key “${key.name}”`, ip } };
}

/** Authenticates, authorizes and runs one management API request (see the file's header). */
async function handle<P>(req: Request, params: P, permission: KeyPermission, handler: ApiHandler<P>): Promise<Response> {
  const url = new URL(req.url);
  const method = req.method.toUpperCase();
  const auth = req.headers.get("authorization");
  const unauthorized = (detail: string, extra: Partial<ApiProblem> = {}) =>
    toResponse(problemResult("unauthorized", detail, extra), { "WWW-Authenticate": extra.code ? `${WWW_AUTHENTICATE}, error="invalid_token"` : WWW_AUTHENTICATE });

  if (!auth) {
    const inUrl = ["key", "api_key", "apiKey", "access_token", "token"].some((p) => url.searchParams.has(p));
    return unauthorized(
      inUrl
        ? "Send the key in the Authorization header (Authorization: Bearer <key>), never in the URL: URLs end up in logs."
        : "Send a secret key: Authorization: Bearer <key>.",
    );
  }
  const token = bearerToken(auth);
  if (!token) return unauthorized("The Authorization header must be “Bearer <key>”.");

  const clientIp = req.headers.get(CLIENT_IP_HEADER);
  const verdict = await verifyWithRecord({ request: { key: token, method, path: url.pathname, permissions: [permission] }, clientIp });
  const rec = verdict.record;
  const code = verdict.body.code;
  const rateHeaders = verdict.headers; // RateLimit / RateLimit-Policy (and Retry-After when limited)

  if (rec && rec.key.type === "public" && !READ_METHODS.has(method) && (code === "VALID" || code === "INSUFFICIENT_PERMISSIONS")) {
    return toResponse(problemResult("forbidden", "Public keys can only read. Use a secret key with keys:write.", { code: "PUBLIC_KEY_READ_ONLY" }), rateHeaders);
  }
  switch (code) {
    case "VALID":
      break;
    case "IP_NOT_ALLOWED":
      return toResponse(problemResult("forbidden", "This key may not be used from this address (IP allowlist).", { code }), rateHeaders);
    case "RULE_DENIED":
      return toResponse(problemResult("forbidden", `This key's rules do not allow ${method} ${url.pathname}.`, { code }), rateHeaders);
    case "INSUFFICIENT_PERMISSIONS":
      return toResponse(problemResult("forbidden", `This key lacks the ${permission} permission (or its owner's role no longer allows it).`, { code }), rateHeaders);
    case "USAGE_EXCEEDED":
      return toResponse(problemResult("rate-limited", "This key has no credits left for this request. Its credits are refilled or raised in Latchkey.", { code }), rateHeaders);
    case "RATE_LIMITED":
      return toResponse(problemResult("rate-limited", "This key is over its rate limit. Retry after the number of seconds in Retry-After.", { code }), rateHeaders);
    default:
      return unauthorized(UNAUTHORIZED_DETAIL[code] ?? "This key cannot be used.", { code });
  }

  const ctx = rec && (await ownerContext(rec.key, clientIp));
  if (!rec || !ctx) return unauthorized(UNAUTHORIZED_DETAIL.OWNER_INACTIVE!, { code: "OWNER_INACTIVE" });

  let body: unknown;
  try {
    body = READ_METHODS.has(method) ? undefined : await readJsonBody(req);
  } catch (e) {
    return toResponse(errorResult(e), rateHeaders);
  }
  const run = async (): Promise<ApiResult> => {
    try {
      return await handler({ ctx, apiKey: rec.key, params, query: url.searchParams, body });
    } catch (e) {
      return errorResult(e);
    }
  };

  const idemKey = method === "POST" ? req.headers.get(IDEMPOTENCY_HEADER) : null;
  if (idemKey === null) return toResponse(await run(), rateHeaders);
  if (!validIdempotencyKey(idemKey)) {
    return toResponse(problemResult("invalid-request", "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice).", { field: IDEMPOTENCY_HEADER }), rateHeaders);
  }
  try {
    const r = await idempotent(rec.key.id, idemKey, requestFingerprint(method, url.pathname, body), run);
    return toResponse(r, r.replayed ? { ...rateHeaders, "Idempotent-Replayed": "true" } : rateHeaders);
  } catch (e) {
    return toResponse(errorResult(e), rateHeaders);
  }
}

/** Wraps a management API handler as a route handler (see the file's header). */
export function withApiKey<P = Record<string, string>>(handler: ApiHandler<P>, options: { permission: KeyPermission }): RouteHandler<P> {
  return async (req, route) => {
    try {
      return await handle(req, (await route?.params) ?? ({} as P), options.permission, handler);
    } catch (e) {
      return toResponse(errorResult(e), {});
    }
  };
}

/**
 * The REST route of an operation: authenticated as above, its path parameters, query and body
 * parsed with the operation's own schemas, its handler run, its result presented.
 */
export function restRoute<I extends OperationInput, R>(op: Operation<I, R>): RouteHandler<Record<string, string>> {
  const rest = op.rest;
  if (!rest || !op.permission) throw new Error(`${op.name} has no REST binding`);
  const permission = op.permission;
  return withApiKey(
    async ({ ctx, params, query, body }) => {
      const input = parseOperationInput(op, { params, query: firstValues(query), body });
      return rest.present(ctx, await op.handler(ctx, input), input);
    },
    { permission },
  );
}
