// Owns the verification core (no Next.js): given a parsed request, the client address and the
// optional Authorization header, it answers status, headers and body exactly as PRODUCT.md says.
import { rulesAllow } from "../keys/rules";
import { statusAt } from "../keys/key-status";
import type { KeyStatus } from "../keys/key-names";
import { bearerToken } from "../http/bearer";
import { hashToken, isWellFormedToken } from "../keys/token";
import type { VerifyCode } from "./codes";
import { lookupKeyByHash, type KeyRecord } from "./lookup";
import type { RecordLimit } from "./key-record";
import { fieldError } from "../errors";
import { rateLimiter, type RateDecision } from "./rate-limit";
import type { CreditHolder, CreditOutcome } from "../credits/credits";
import { returnCredits, takeCredits } from "../credits/lease";
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
  /** The tightest of the limits applied (the one that refused, when one did). */
  ratelimit?: { limit: number; remaining: number; reset: number };
  /** Every limit applied, by name. */
  ratelimits?: { name: string; limit: number; remaining: number; reset: number }[];
  credits?: { remaining: number };
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

function rateHeaders(name: string, d: RateDecision, now: number): Record<string, string> {
  const t = Math.max(0, Math.ceil((d.resetAt - now) / 1000));
  // IETF httpapi rate-limit headers draft: RateLimit-Policy (quota q per window w), RateLimit (remaining r, reset t),
  // for the tightest limit, under its name. The window slides: t is when the whole quota is back, or
  // while r is 0 when the next request fits.
  return { "RateLimit-Policy": `"${name}";q=${d.limit};w=${d.windowSeconds}`, RateLimit: `"${name}";r=${d.remaining};t=${t}` };
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

/** The code for an existing key, in the contract's order, with the limits' decisions when they were taken. */
type Decision = { code: VerifyCode; limits?: readonly RecordLimit[]; rates?: RateDecision[]; credits?: CreditOutcome };

/**
 * The limits a request counts against: those it names, with its costs, else every limit of the
 * key (and its customer) at cost 1. A name the key and its customer do not have is a bad request.
 */
function limitsFor(rec: KeyRecord, req: VerifyRequest): readonly RecordLimit[] {
  if (!req.ratelimits) return rec.limits;
  return req.ratelimits.map(({ name, cost }, i) => {
    const l = rec.limits.find((x) => x.name === name);
    if (!l) throw fieldError(`ratelimits.${i}.name`, `ratelimits.${i}.name: this key has no rate limit named “${name}” (nor has its customer)`);
    return cost === 1 ? l : { ...l, cost };
  });
}

function decide(rec: KeyRecord, req: VerifyRequest, ip: string | null, nowMs: number): MaybePromise<Decision> {
  const limits = limitsFor(rec, req);
  const status = statusCode(rec, nowMs);
  if (status) return { code: status };
  if (req.environment && req.environment !== rec.environment) return { code: "ENVIRONMENT_MISMATCH" };
  if (!rec.ipAllowed(ip)) return { code: "IP_NOT_ALLOWED" };
  if (!rulesAllow(rec.rules, req.method, req.path)) return { code: "RULE_DENIED" };
  if (req.permissions) for (const p of req.permissions) if (!rec.effectivePermissions.includes(p)) return { code: "INSUFFICIENT_PERMISSIONS" };
  if (rec.credits) return withCredits(rec.credits, limits, req.cost ?? 1, nowMs);
  if (limits.length === 0) return { code: "VALID" };
  return after(rateLimiter().consumeAll(limits, nowMs), (rates) => ({ code: allAllowed(rates) ? "VALID" : "RATE_LIMITED", limits, rates }));
}

function allAllowed(rates: readonly RateDecision[]): boolean {
  for (const r of rates) if (!r.allowed) return false;
  return true;
}

/**
 * Credits first (USAGE_EXCEEDED comes before RATE_LIMITED), from this instance's lease of the
 * holder's credits (lib/credits/lease.ts); then the rate limits. A request a rate limit refuses
 * gets its credits back, so a denial consumes nothing.
 */
function withCredits(holder: CreditHolder, limits: readonly RecordLimit[], cost: number, nowMs: number): MaybePromise<Decision> {
  return after(takeCredits(holder, cost, new Date(nowMs)), (credits): MaybePromise<Decision> => {
    if (!credits.allowed) return { code: "USAGE_EXCEEDED", credits };
    if (limits.length === 0) return { code: "VALID", credits };
    return after(rateLimiter().consumeAll(limits, nowMs), (rates) => {
      if (allAllowed(rates)) return { code: "VALID", limits, rates, credits };
      returnCredits(holder, cost);
      return { code: "RATE_LIMITED", limits, rates, credits: { allowed: false, remaining: credits.remaining + cost } };
    });
  });
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

function answer(rec: KeyRecord, req: VerifyRequest, clientIp: string | null, nowMs: number, { code, limits, rates, credits }: Decision, byVerifier: boolean): VerifyResult {
  // Every verification of an existing key is recorded (buffered; written off this path).
  recordUsage({ keyId: rec.id, organizationId: rec.organizationId, environment: rec.environment, customerId: rec.customerId, permissions: req.permissions, atMs: nowMs, code, ip: clientIp, method: req.method ? req.method.toUpperCase() : null, path: req.path ?? null });
  // The identity fields were serialized once per cached record: answers only splice in valid, code, limits and credits.
  let json = `{"valid":${code === "VALID"},"code":"${code}",${rec.identityJson}`;
  let headers = NO_HEADERS;
  if (rates && limits) {
    const t = tightest(rates);
    const rate = rates[t];
    json += `,"ratelimit":${limitJson(rate)},"ratelimits":[`;
    for (let i = 0; i < rates.length; i++) json += `${i ? "," : ""}{"name":"${limits[i].name}",${limitJson(rates[i]).slice(1)}`;
    json += "]";
    headers = rateHeaders(limits[t].name, rate, nowMs);
    if (code === "RATE_LIMITED") {
      // When every refusing limit has room again.
      let retryAt = nowMs;
      for (const r of rates) if (!r.allowed && r.retryAt > retryAt) retryAt = r.retryAt;
      headers["Retry-After"] = String(Math.max(1, Math.ceil((retryAt - nowMs) / 1000)));
    }
  }
  if (credits) json += `,"credits":{"remaining":${credits.remaining}}`;
  return new Verdict(code, `${json}}`, headers, rec, byVerifier);
}

/** `{"limit":…,"remaining":…,"reset":…}` (reset in epoch seconds). */
function limitJson(d: RateDecision): string {
  return `{"limit":${d.limit},"remaining":${d.remaining},"reset":${Math.ceil(d.resetAt / 1000)}}`;
}

/** The decision the answer's `ratelimit` and headers describe: a refusing one, else the one with the least left. */
function tightest(rates: readonly RateDecision[]): number {
  let best = 0;
  for (let i = 1; i < rates.length; i++) {
    const a = rates[best];
    const b = rates[i];
    if (a.allowed !== b.allowed ? !b.allowed : b.remaining < a.remaining) best = i;
  }
  return best;
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
