// Owns the verification core (no Next.js): given a parsed request, the client address and the
// optional Authorization header, it answers status, headers and body exactly as PRODUCT.md says.
import { rulesAllow } from "../keys/rules";
import { hashToken, isWellFormedToken } from "../keys/token";
import type { VerifyCode } from "./codes";
import { lookupKeyByHash, type KeyRecord } from "./lookup";
import { rateLimiter, type RateDecision } from "./rate-limit";
import type { VerifyRequest } from "./request";
import { recordUsage } from "./usage";
import { after, type MaybePromise } from "../maybe-promise";

export type VerifyBody = {
  valid: boolean;
  code: VerifyCode;
  keyId?: string;
  organizationId?: string;
  ownerId?: string | null;
  name?: string;
  type?: "secret" | "public";
  environment?: string;
  permissions?: string[];
  expiresAt?: string | null;
  externalId?: string | null;
  metadata?: Record<string, unknown>;
  ratelimit?: { limit: number; remaining: number; reset: number };
};

export type VerifyOutcome = {
  status: 200;
  headers: Record<string, string>;
  body: VerifyBody;
  /** `body` already serialized, byte for byte `JSON.stringify(body)` (set for keys that exist). */
  json?: string;
};

export type VerifyInput = {
  request: VerifyRequest;
  /** The address the request came from (the socket, or a trusted proxy's header). */
  clientIp: string | null;
  /** The raw Authorization header, if any: a secret key with keys:verify unlocks the body's `ip`. */
  authorization?: string | null;
  now?: Date;
};

/** The first failing check of a key that exists, before rules, permissions and rate limit. */
function statusCode(rec: KeyRecord, nowMs: number): VerifyCode | null {
  const k = rec.key;
  if (k.status === "revoked") return "REVOKED";
  if (k.expiresAt && k.expiresAt.getTime() <= nowMs) return "EXPIRED";
  if (k.status === "suspended") return "SUSPENDED";
  if (rec.ownerRole === null) return "OWNER_INACTIVE";
  return null;
}

/** A verifier key: a live secret key whose owner's role lets it use keys:verify. */
function resolveVerifier(authorization: string, nowMs: number): MaybePromise<KeyRecord | null> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m || !isWellFormedToken(m[1])) return null;
  return after(lookupKeyByHash(hashToken(m[1]), nowMs), (rec) =>
    rec && rec.key.type === "secret" && !statusCode(rec, nowMs) && rec.effectivePermissions.includes("keys:verify") ? rec : null,
  );
}

// A key's identity fields are the same in every answer until the key changes (which replaces
// its cached record), so they are serialized once per record and answers only splice in
// valid, code and ratelimit.
const IDENTITY_JSON = Symbol("identityJson");
type WithIdentityJson = KeyRecord & { [IDENTITY_JSON]?: string };

function bodyJson(rec: WithIdentityJson, body: VerifyBody): string {
  const identityJson = (rec[IDENTITY_JSON] ??= JSON.stringify({ ...body, valid: undefined, code: undefined, ratelimit: undefined }).slice(1, -1));
  const rate = body.ratelimit ? `,"ratelimit":${JSON.stringify(body.ratelimit)}` : "";
  return `{"valid":${body.valid},"code":"${body.code}",${identityJson}${rate}}`;
}

function identity(rec: KeyRecord): VerifyBody {
  const k = rec.key;
  return {
    valid: false,
    code: "VALID",
    keyId: k.id,
    organizationId: k.organizationId,
    ownerId: k.ownerId,
    name: k.name,
    type: k.type,
    environment: k.environment,
    permissions: rec.effectivePermissions,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    externalId: k.externalId,
    metadata: k.metadata,
  };
}

function rateHeaders(d: RateDecision, now: number): Record<string, string> {
  const t = Math.max(0, Math.ceil((d.resetAt - now) / 1000));
  // IETF httpapi rate-limit headers draft: RateLimit-Policy (quota q per window w), RateLimit (remaining r, reset t).
  // The window slides: t is when the whole quota is back, or while r is 0 when the next request fits.
  return { "RateLimit-Policy": `"key";q=${d.limit};w=${d.windowSeconds}`, RateLimit: `"key";r=${d.remaining};t=${t}` };
}

export type VerifyResult = VerifyOutcome & {
  /** The key the token resolved to (null for MALFORMED / NOT_FOUND): the management API acts as it. */
  record: KeyRecord | null;
  /** The call carried a valid verifier key (exempt from the per-address failure budget). */
  byVerifier: boolean;
};

/** The code for an existing key, in the contract's order, with the rate decision when one was taken. */
function decide(rec: KeyRecord, req: VerifyRequest, ip: string | null, nowMs: number): MaybePromise<{ code: VerifyCode; rate?: RateDecision }> {
  const k = rec.key;
  const status = statusCode(rec, nowMs);
  if (status) return { code: status };
  if (req.environment && req.environment !== k.environment) return { code: "ENVIRONMENT_MISMATCH" };
  if (!rec.ipAllowed(ip)) return { code: "IP_NOT_ALLOWED" };
  if (!rulesAllow(rec.rules, req.method, req.path)) return { code: "RULE_DENIED" };
  if (req.permissions) for (const p of req.permissions) if (!rec.effectivePermissions.includes(p)) return { code: "INSUFFICIENT_PERMISSIONS" };
  if (!k.rateLimit || !k.rateLimitWindowMs) return { code: "VALID" };
  return after(rateLimiter().consume(k.id, k.rateLimit, k.rateLimitWindowMs, nowMs), (rate) => ({ code: rate.allowed ? "VALID" : "RATE_LIMITED", rate }));
}

/**
 * Verifies a token and also returns the key it resolved to. Synchronous for a cached key without
 * Redis (the common case, and the one the benchmark measures); a promise when something must wait.
 */
export function verifyWithRecord(input: VerifyInput): MaybePromise<VerifyResult> {
  // Epoch milliseconds throughout: no Date object on the hot path.
  const nowMs = input.now ? input.now.getTime() : Date.now();
  const req = input.request;
  const verifier = input.authorization ? resolveVerifier(input.authorization, nowMs) : null;
  if (!isWellFormedToken(req.key)) return after(verifier, (v) => ({ status: 200, headers: {}, body: { valid: false, code: "MALFORMED" }, record: null, byVerifier: v !== null }));
  return after(verifier, (verifier) =>
    after(lookupKeyByHash(hashToken(req.key), nowMs), (rec): MaybePromise<VerifyResult> => {
      // A verifier key sees only its own organization's keys.
      if (!rec || (verifier && verifier.key.organizationId !== rec.key.organizationId)) {
        return { status: 200, headers: {}, body: { valid: false, code: "NOT_FOUND" }, record: null, byVerifier: verifier !== null };
      }
      const ip = verifier && req.ip ? req.ip : input.clientIp;
      return after(decide(rec, req, ip, nowMs), ({ code, rate }) => answer(rec, req, input.clientIp, nowMs, code, rate, verifier !== null));
    }),
  );
}

function answer(rec: KeyRecord, req: VerifyRequest, clientIp: string | null, nowMs: number, code: VerifyCode, rate: RateDecision | undefined, byVerifier: boolean): VerifyResult {
  // Every verification of an existing key is recorded (buffered; written off this path).
  recordUsage({ keyId: rec.key.id, organizationId: rec.key.organizationId, atMs: nowMs, code, ip: clientIp, method: req.method ? req.method.toUpperCase() : null, path: req.path ?? null });
  const body = identity(rec);
  body.valid = code === "VALID";
  body.code = code;
  let headers: Record<string, string> = {};
  if (rate) {
    body.ratelimit = { limit: rate.limit, remaining: rate.remaining, reset: Math.ceil(rate.resetAt / 1000) };
    headers = rateHeaders(rate, nowMs);
    if (!rate.allowed) headers["Retry-After"] = String(Math.max(1, Math.ceil((rate.retryAt - nowMs) / 1000)));
  }
  return { status: 200, headers, body, json: bodyJson(rec, body), record: rec, byVerifier };
}

/** The verification answer (the result also carries the resolved key, unused by most callers). */
export const verifyKey: (input: VerifyInput) => MaybePromise<VerifyResult> = verifyWithRecord;
