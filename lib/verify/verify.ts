// Owns the verification core (no Next.js): given a parsed request, the client address and the
// optional Authorization header, it answers status, headers and body exactly as PRODUCT.md says.
import { rulesAllow } from "../keys/rules";
import { statusAt } from "../keys/key-status";
import type { KeyStatus } from "../keys/key-names";
import { bearerToken } from "../http/bearer";
import { hashToken, isWellFormedToken } from "../keys/token";
import type { VerifyCode } from "./codes";
import { lookupKeyByHash, type KeyRecord } from "./lookup";
import { rateLimiter, type RateDecision } from "./rate-limit";
import { consumeCredits, refundCredits, type CreditHolder, type CreditOutcome } from "../credits/credits";
import type { VerifyRequest } from "./request";
import { recordUsage } from "./usage";
import { after, type MaybePromise } from "../maybe-promise";
import { eq } from "drizzle-orm";
import { apiKeys, getDb, type ApiKey } from "../db";

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


export type VerifyInput = {
  request: VerifyRequest;
  /** The address the request came from (the socket, or a trusted proxy's header). */
  clientIp: string | null;
  /** The raw Authorization header, if any: a secret key with keys:verify unlocks the body's `ip`. */
  authorization?: string | null;
  now?: Date;
};

const STATUS_CODES: Record<KeyStatus, VerifyCode | null> = { active: null, revoked: "REVOKED", expired: "EXPIRED", suspended: "SUSPENDED", owner_inactive: "OWNER_INACTIVE" };

/** The first failing check of a key that exists, before rules, permissions and rate limit. */
function statusCode(rec: KeyRecord, nowMs: number): VerifyCode | null {
  return STATUS_CODES[statusAt(rec.status, rec.expiresAtMs, rec.ownerActive, nowMs)];
}

/** A verifier key: a live secret key whose owner's role lets it use keys:verify. */
function resolveVerifier(authorization: string, nowMs: number): MaybePromise<KeyRecord | null> {
  const token = bearerToken(authorization);
  if (!token || !isWellFormedToken(token)) return null;
  return after(lookupKeyByHash(hashToken(token), nowMs), (rec) =>
    rec && rec.type === "secret" && !statusCode(rec, nowMs) && rec.effectivePermissions.includes("keys:verify") ? rec : null,
  );
}

function rateHeaders(d: RateDecision, now: number): Record<string, string> {
  const t = Math.max(0, Math.ceil((d.resetAt - now) / 1000));
  // IETF httpapi rate-limit headers draft: RateLimit-Policy (quota q per window w), RateLimit (remaining r, reset t).
  // The window slides: t is when the whole quota is back, or while r is 0 when the next request fits.
  return { "RateLimit-Policy": `"key";q=${d.limit};w=${d.windowSeconds}`, RateLimit: `"key";r=${d.remaining};t=${t}` };
}

export type VerifyResult = {
  status: 200;
  code: VerifyCode;
  headers: Record<string, string>;
  /** The answer's body, serialized (byte for byte `JSON.stringify(body)`). */
  json: string;
  /** The answer's body as an object (parsed on demand: the endpoint only needs `json`). */
  readonly body: VerifyBody;
  /** The key the token resolved to (null for MALFORMED / NOT_FOUND). */
  record: KeyRecord | null;
  /** The call carried a valid verifier key (exempt from the per-address failure budget). */
  byVerifier: boolean;
};

class Verdict implements VerifyResult {
  readonly status = 200 as const;
  constructor(
    readonly code: VerifyCode,
    readonly json: string,
    readonly headers: Record<string, string>,
    readonly record: KeyRecord | null,
    readonly byVerifier: boolean,
  ) {}
  get body(): VerifyBody {
    return JSON.parse(this.json) as VerifyBody;
  }
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const notFound = (byVerifier: boolean) => new Verdict("NOT_FOUND", '{"valid":false,"code":"NOT_FOUND"}', NO_HEADERS, null, byVerifier);
const malformed = (byVerifier: boolean) => new Verdict("MALFORMED", '{"valid":false,"code":"MALFORMED"}', NO_HEADERS, null, byVerifier);

/** The code for an existing key, in the contract's order, with the rate decision when one was taken. */
type Decision = { code: VerifyCode; rate?: RateDecision; credits?: CreditOutcome };

function decide(rec: KeyRecord, req: VerifyRequest, ip: string | null, nowMs: number): MaybePromise<Decision> {
  const status = statusCode(rec, nowMs);
  if (status) return { code: status };
  if (req.environment && req.environment !== rec.environment) return { code: "ENVIRONMENT_MISMATCH" };
  if (!rec.ipAllowed(ip)) return { code: "IP_NOT_ALLOWED" };
  if (!rulesAllow(rec.rules, req.method, req.path)) return { code: "RULE_DENIED" };
  if (req.permissions) for (const p of req.permissions) if (!rec.effectivePermissions.includes(p)) return { code: "INSUFFICIENT_PERMISSIONS" };
  if (rec.credits) return withCredits(rec, rec.credits, req.cost ?? 1, nowMs);
  if (!rec.rateLimit) return { code: "VALID" };
  return after(rateLimiter().consume(rec.id, rec.rateLimit, rec.rateLimitWindowMs, nowMs), (rate) => ({ code: rate.allowed ? "VALID" : "RATE_LIMITED", rate }));
}

/**
 * Credits first (USAGE_EXCEEDED comes before RATE_LIMITED), taken atomically in PostgreSQL; then the
 * rate limit. A request the rate limit refuses gets its credits back, so a denial consumes nothing.
 */
async function withCredits(rec: KeyRecord, holder: CreditHolder, cost: number, nowMs: number): Promise<Decision> {
  const credits = await consumeCredits(holder, cost, new Date(nowMs));
  if (!credits.allowed) return { code: "USAGE_EXCEEDED", credits };
  if (!rec.rateLimit) return { code: "VALID", credits };
  const rate = await rateLimiter().consume(rec.id, rec.rateLimit, rec.rateLimitWindowMs, nowMs);
  if (rate.allowed) return { code: "VALID", rate, credits };
  await refundCredits(holder, cost);
  return { code: "RATE_LIMITED", rate, credits: { allowed: false, remaining: credits.remaining + cost } };
}

/**
 * Verifies a token. Synchronous for a cached key (the common case, and the one the benchmark
 * measures); a promise when something must wait (a cache miss, a rate limit Redis must confirm).
 */
export function verifyKey(input: VerifyInput): MaybePromise<VerifyResult> {
  // Epoch milliseconds throughout: no Date object on the hot path.
  const nowMs = input.now ? input.now.getTime() : Date.now();
  const req = input.request;
  const verifier = input.authorization ? resolveVerifier(input.authorization, nowMs) : null;
  if (!isWellFormedToken(req.key)) return verifier === null ? malformed(false) : after(verifier, (v) => malformed(v !== null));
  return after(verifier, (verifier) =>
    after(lookupKeyByHash(hashToken(req.key), nowMs), (rec): MaybePromise<VerifyResult> => {
      // A verifier key sees only its own organization's keys.
      if (!rec || (verifier && verifier.organizationId !== rec.organizationId)) return notFound(verifier !== null);
      const ip = verifier && req.ip ? req.ip : input.clientIp;
      return after(decide(rec, req, ip, nowMs), (d) => answer(rec, req, input.clientIp, nowMs, d, verifier !== null));
    }),
  );
}

function answer(rec: KeyRecord, req: VerifyRequest, clientIp: string | null, nowMs: number, { code, rate, credits }: Decision, byVerifier: boolean): VerifyResult {
  // Every verification of an existing key is recorded (buffered; written off this path).
  recordUsage({ keyId: rec.id, organizationId: rec.organizationId, environment: rec.environment, customerId: rec.customerId, permissions: req.permissions, atMs: nowMs, code, ip: clientIp, method: req.method ? req.method.toUpperCase() : null, path: req.path ?? null });
  // The identity fields were serialized once per cached record: answers only splice in valid, code and ratelimit.
  let json = `{"valid":${code === "VALID"},"code":"${code}",${rec.identityJson}}`;
  let headers = NO_HEADERS;
  if (rate) {
    const reset = Math.ceil(rate.resetAt / 1000);
    json = `{"valid":${code === "VALID"},"code":"${code}",${rec.identityJson},"ratelimit":{"limit":${rate.limit},"remaining":${rate.remaining},"reset":${reset}}}`;
    headers = rateHeaders(rate, nowMs);
    if (!rate.allowed) headers["Retry-After"] = String(Math.max(1, Math.ceil((rate.retryAt - nowMs) / 1000)));
  }
  if (credits) json = `${json.slice(0, -1)},"credits":{"remaining":${credits.remaining}}}`;
  return new Verdict(code, json, headers, rec, byVerifier);
}

/**
 * The management API's door: verifies like the endpoint, then reads the key's full row (the cache
 * keeps only what verification needs), since requests act as that key and its owner.
 */
export async function verifyWithRecord(input: VerifyInput): Promise<Omit<VerifyResult, "record"> & { record: { key: ApiKey } | null }> {
  const out = await verifyKey(input);
  const key = out.record ? (await getDb().select().from(apiKeys).where(eq(apiKeys.id, out.record.id)).limit(1))[0] : undefined;
  return { status: out.status, code: out.code, headers: out.headers, json: out.json, body: out.body, byVerifier: out.byVerifier, record: key ? { key } : null };
}
