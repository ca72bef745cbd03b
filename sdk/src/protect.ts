// Owns what every middleware does: find the key, verify it with the request's method and path, and
// turn a refusal into the HTTP answer (401/403/429/503, application/problem+json). Adapters only translate.
import { Latchkey } from "./latchkey.js";
import type { Environment, VerifyCode, VerifyKeyRequest, VerifyResult } from "./types.js";

export type ProtectOptions<Req> = {
  /** The client to verify with; default one built from LATCHKEY_URL and LATCHKEY_ROOT_KEY. */
  latchkey?: Latchkey;
  /** Every one of these must be granted. */
  permissions?: string[];
  /** The environment keys must belong to. */
  environment?: Environment;
  ratelimits?: VerifyKeyRequest["ratelimits"];
  cost?: number;
  /** Where the key is; default the `Authorization: Bearer <key>` header. */
  getKey?: (req: Req) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * The end client's address, for keys with an IP allowlist. Express and Fastify default to `req.ip`.
   * Latchkey counts it only from a client with a `rootKey` (holding keys:verify); without one it checks
   * the address the call comes from, so the middleware then neither reads nor sends it.
   */
  getIp?: (req: Req) => string | null | undefined;
};

export type Problem = { type: "about:blank"; title: string; status: number; detail: string; code: VerifyCode | "MISSING_KEY" | "UNAVAILABLE" };
export type Denial = { status: 401 | 403 | 429 | 503; headers: Record<string, string>; problem: Problem };
export type ProtectOutcome = { ok: true; answer: VerifyResult } | { ok: false; denial: Denial; answer?: VerifyResult };

/** What the request carries, whatever the framework. `ip` may be a function: it is read only when Latchkey would count it. */
export type RequestFacts = { key: string | null | undefined; method: string; path: string; ip?: string | null | (() => string | null | undefined) };

const UNAUTHORIZED: Partial<Record<string, string>> = {
  MISSING_KEY: "Send your API key as Authorization: Bearer <key>.",
  MALFORMED: "This is not a well-formed API key.",
  NOT_FOUND: "This API key does not exist.",
  REVOKED: "This API key was revoked.",
  EXPIRED: "This API key has expired.",
  SUSPENDED: "This API key is suspended.",
  OWNER_INACTIVE: "The account this API key runs under is no longer active.",
  ENVIRONMENT_MISMATCH: "This API key belongs to another environment.",
};
const FORBIDDEN: Partial<Record<string, string>> = {
  IP_NOT_ALLOWED: "This API key may not be used from this address.",
  RULE_DENIED: "This API key's rules do not allow this method and path.",
  INSUFFICIENT_PERMISSIONS: "This API key lacks a permission this route needs.",
};
const LIMITED: Partial<Record<string, string>> = {
  RATE_LIMITED: "This API key is over its rate limit. Retry after Retry-After seconds.",
  USAGE_EXCEEDED: "This API key has no credits left.",
};

/** `Authorization: Bearer <key>` → the key; anything else → null. */
export function bearerKey(header: string | null | undefined): string | null {
  const m = header ? /^\s*Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1] : null;
}

/** The path of a URL or request target, without its query. */
export const pathOf = (target: string) => {
  const q = target.search(/[?#]/);
  const p = q === -1 ? target : target.slice(0, q);
  return p.startsWith("/") ? p : new URL(p).pathname;
};

function deny(status: Denial["status"], code: Problem["code"], detail: string, headers: Record<string, string> = {}): Denial {
  const title = { 401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests", 503: "Service Unavailable" }[status];
  return { status, headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers }, problem: { type: "about:blank", title, status, detail, code } };
}

/** The HTTP refusal for an answer, or null when the request may go on. */
export function denialFor(answer: VerifyResult, nowMs = Date.now()): Denial | null {
  if (answer.code === "UNAVAILABLE") return answer.valid ? null : deny(503, "UNAVAILABLE", "API keys cannot be checked right now. Retry shortly.", { "retry-after": "1" });
  if (answer.valid) return null;
  const { code } = answer;
  const bearer = { "www-authenticate": 'Bearer error="invalid_token"' };
  if (UNAUTHORIZED[code]) return deny(401, code, UNAUTHORIZED[code]!, bearer);
  if (FORBIDDEN[code]) return deny(403, code, FORBIDDEN[code]!);
  if (LIMITED[code]) {
    const fromWindow = answer.ratelimit ? answer.ratelimit.reset - Math.floor(nowMs / 1000) : undefined;
    const retryAfter = Math.max(1, answer.retryAfter ?? fromWindow ?? 1);
    const rate: Record<string, string> = {};
    if (answer.rateLimitHeaders?.RateLimit) rate["ratelimit"] = answer.rateLimitHeaders.RateLimit;
    else if (answer.ratelimit) rate["ratelimit"] = `"default";r=${answer.ratelimit.remaining};t=${retryAfter}`;
    if (answer.rateLimitHeaders?.["RateLimit-Policy"]) rate["ratelimit-policy"] = answer.rateLimitHeaders["RateLimit-Policy"];
    return deny(429, code, LIMITED[code]!, { "retry-after": String(retryAfter), ...rate });
  }
  // A code this SDK does not know yet: refuse rather than let it through.
  return deny(403, code, "This API key may not make this request.");
}

let fromEnvironment: Latchkey | null = null;
/** The Latchkey built from LATCHKEY_URL and LATCHKEY_ROOT_KEY, once. */
export function defaultLatchkey(): Latchkey {
  if (fromEnvironment) return fromEnvironment;
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
  if (!env.LATCHKEY_URL) throw new TypeError("Latchkey: pass { latchkey: new Latchkey({ baseUrl }) } or set LATCHKEY_URL");
  return (fromEnvironment = new Latchkey({ baseUrl: env.LATCHKEY_URL, rootKey: env.LATCHKEY_ROOT_KEY }));
}

/** Verifies one request. Throws only what Latchkey#verifyKey throws (a misconfiguration), for the framework's error handling. */
export async function protectRequest(facts: RequestFacts, options: ProtectOptions<never>): Promise<ProtectOutcome> {
  if (!facts.key) return { ok: false, denial: deny(401, "MISSING_KEY", UNAUTHORIZED.MISSING_KEY!, { "www-authenticate": 'Bearer realm="api"' }) };
  const latchkey = options.latchkey ?? defaultLatchkey();
  const ip = latchkey.forwardsClientIp ? (typeof facts.ip === "function" ? facts.ip() : facts.ip) : null;
  const answer = await latchkey.verifyKey({
    key: facts.key,
    environment: options.environment,
    permissions: options.permissions,
    method: facts.method,
    path: facts.path,
    ...(ip ? { ip } : {}),
    ...(options.ratelimits ? { ratelimits: options.ratelimits } : {}),
    ...(options.cost !== undefined ? { cost: options.cost } : {}),
  });
  const denial = denialFor(answer);
  return denial ? { ok: false, denial, answer } : { ok: true, answer };
}
