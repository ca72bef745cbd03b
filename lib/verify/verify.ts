// Owns the verification core (no Next.js): given a parsed request, the client address and the
// optional Authorization header, it answers status, headers and body exactly as PRODUCT.md says.
import { rulesAllow } from "../keys/rules";
import { hashToken, parseToken } from "../keys/token";
import type { VerifyCode } from "./codes";
import { lookupKeyByHash, type KeyRecord } from "./lookup";
import { rateLimiter, type RateDecision } from "./rate-limit";
import type { VerifyRequest } from "./request";
import { recordUsage } from "./usage";

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

export type VerifyOutcome = { status: 200; headers: Record<string, string>; body: VerifyBody };

export type VerifyInput = {
  request: VerifyRequest;
  /** The address the request came from (the socket, or a trusted proxy's header). */
  clientIp: string | null;
  /** The raw Authorization header, if any: a secret key with keys:verify unlocks the body's `ip`. */
  authorization?: string | null;
  now?: Date;
};

/** The first failing check of a key that exists, before rules, permissions and rate limit. */
function statusCode(rec: KeyRecord, now: Date): VerifyCode | null {
  const k = rec.key;
  if (k.status === "revoked") return "REVOKED";
  if (k.expiresAt && k.expiresAt <= now) return "EXPIRED";
  if (k.status === "suspended") return "SUSPENDED";
  if (rec.ownerRole === null) return "OWNER_INACTIVE";
  return null;
}

/** A verifier key: a live secret key whose owner's role lets it use keys:verify. */
async function resolveVerifier(authorization: string | null | undefined, now: Date): Promise<KeyRecord | null> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!m || !parseToken(m[1])) return null;
  const rec = await lookupKeyByHash(hashToken(m[1]), now);
  if (!rec || rec.key.type !== "secret" || statusCode(rec, now)) return null;
  return rec.effectivePermissions.includes("keys:verify") ? rec : null;
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
  return { "RateLimit-Policy": `"key";q=${d.limit};w=${d.windowSeconds}`, RateLimit: `"key";r=${d.remaining};t=${t}` };
}

export async function verifyKey(input: VerifyInput): Promise<VerifyOutcome> {
  const now = input.now ?? new Date();
  const answer = (body: VerifyBody, headers: Record<string, string> = {}): VerifyOutcome => ({ status: 200, headers, body });
  const req = input.request;

  if (!parseToken(req.key)) return answer({ valid: false, code: "MALFORMED" });
  const verifier = input.authorization ? await resolveVerifier(input.authorization, now) : null;
  const rec = await lookupKeyByHash(hashToken(req.key), now);
  // A verifier key sees only its own organization's keys.
  if (!rec || (verifier && verifier.key.organizationId !== rec.key.organizationId)) return answer({ valid: false, code: "NOT_FOUND" });

  const base = identity(rec);
  // Every verification of an existing key is recorded (buffered; written off this path).
  const record = (code: VerifyCode) =>
    recordUsage({ keyId: rec.key.id, organizationId: rec.key.organizationId, at: now, code, ip: input.clientIp, method: req.method?.toUpperCase() ?? null, path: req.path ?? null });
  const fail = (code: VerifyCode, headers?: Record<string, string>) => {
    record(code);
    return answer({ ...base, valid: false, code }, headers);
  };

  const status = statusCode(rec, now);
  if (status) return fail(status);
  if (req.environment && req.environment !== rec.key.environment) return fail("ENVIRONMENT_MISMATCH");
  const ip = verifier && req.ip ? req.ip : input.clientIp;
  if (!rec.ipAllowed(ip)) return fail("IP_NOT_ALLOWED");
  if (!rulesAllow(rec.rules, req.method, req.path)) return fail("RULE_DENIED");
  const granted = new Set(base.permissions);
  if (req.permissions?.some((p) => !granted.has(p))) return fail("INSUFFICIENT_PERMISSIONS");

  if (rec.key.rateLimit && rec.key.rateLimitWindowMs) {
    const nowMs = now.getTime();
    const d = await rateLimiter().consume(rec.key.id, rec.key.rateLimit, rec.key.rateLimitWindowMs, nowMs);
    const headers = rateHeaders(d, nowMs);
    const ratelimit = { limit: d.limit, remaining: d.remaining, reset: Math.ceil(d.resetAt / 1000) };
    if (!d.allowed) {
      record("RATE_LIMITED");
      return answer({ ...base, valid: false, code: "RATE_LIMITED", ratelimit }, { ...headers, "Retry-After": String(Math.max(1, Math.ceil((d.resetAt - nowMs) / 1000))) });
    }
    record("VALID");
    return answer({ ...base, valid: true, code: "VALID", ratelimit }, headers);
  }
  record("VALID");
  return answer({ ...base, valid: true, code: "VALID" });
}
