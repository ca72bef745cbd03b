// Owns the public types of verification: codes, requests, answers and the client's options.
import type { VerifyResponse } from "./generated/types.gen.js";
import type { LatchkeyError } from "./errors.js";

/** Verification codes, in the order Latchkey checks them (PRODUCT.md). */
export const VERIFY_CODES = [
  "MALFORMED",
  "NOT_FOUND",
  "REVOKED",
  "EXPIRED",
  "SUSPENDED",
  "OWNER_INACTIVE",
  "ENVIRONMENT_MISMATCH",
  "IP_NOT_ALLOWED",
  "RULE_DENIED",
  "INSUFFICIENT_PERMISSIONS",
  "USAGE_EXCEEDED",
  "RATE_LIMITED",
  "VALID",
] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];

// Fails to compile when the server's document gains a code this list lacks (regenerate, then add it here).
const everyServerCodeIsKnown: VerifyResponse["code"] extends VerifyCode ? true : never = true;
void everyServerCodeIsKnown;

export type Environment = "production" | "staging" | "development";

export type VerifyKeyRequest = {
  /** The token the caller presented. */
  key: string;
  /** The environment the key must belong to. */
  environment?: Environment;
  /** Every one of these must be granted. */
  permissions?: string[];
  /** Evaluated against the key's rules together with `path`. */
  method?: string;
  path?: string;
  /** The end client's address, for the key's IP allowlist. Latchkey honours it only when `rootKey` is a secret key with `keys:verify` of the key's organization. */
  ip?: string;
  /** The named limits (the key's and its customer's) this request counts against, each with its cost (default: every limit, cost 1; 0 only checks). A name the key does not have is a 400 naming `ratelimits.N.name`. */
  ratelimits?: { name: string; cost?: number }[];
  /** Credits to take (default 1, 0 = check only). Sent as given; a Latchkey without credits ignores it. */
  cost?: number;
};

/** Latchkey's verify answer (the generated `VerifyResponse`), with every code of PRODUCT.md and what the SDK adds. */
export type VerifyAnswer = Omit<VerifyResponse, "code"> & {
  code: VerifyCode;
  /** Seconds until a RATE_LIMITED / USAGE_EXCEEDED key may retry, when Latchkey said so (`Retry-After`). */
  retryAfter?: number;
  /** Latchkey's `RateLimit` and `RateLimit-Policy` response headers, when it sent them. */
  rateLimitHeaders?: { RateLimit?: string; "RateLimit-Policy"?: string };
  /** True when this answer came from the local cache (`cache` option), not from Latchkey. */
  cached?: true;
};

/** The answer when Latchkey could not be reached: never from Latchkey, always marked. */
export type UnavailableAnswer = {
  /** No identity: Latchkey was not asked. (Declared so that `answer.keyId` reads on every result.) */
  [K in Exclude<keyof VerifyAnswer, "valid" | "code">]?: undefined;
} & {
  /** True under fail-open, false under fail-closed. */
  valid: boolean;
  code: "UNAVAILABLE";
  synthetic: true;
  decision: "fail-open" | "fail-closed";
  error: LatchkeyError;
};

export type VerifyResult = VerifyAnswer | UnavailableAnswer;

export type FailMode = "fail-open" | "fail-closed";

export type LatchkeyOptions = {
  /** Where Latchkey runs, e.g. `https://keys.example.com`. */
  baseUrl: string;
  /** A secret key sent as `Authorization: Bearer` with every call: `keys:verify` for verification (honours `ip`, exempts from the guessing limit); `keys:read`/`keys:write` for `api`. */
  rootKey?: string;
  /** The whole budget of one `verifyKey` call, retries and waits included. Default 2000. */
  timeoutMs?: number;
  /** Extra attempts after the first, for network errors, 5xx and 429 only. Default 2. */
  retries?: number;
  /** What `verifyKey` answers when Latchkey cannot be reached within the budget. Default "fail-closed". A function decides per call (and may log); if it throws, `verifyKey` throws that. */
  onError?: FailMode | ((error: LatchkeyError, request: VerifyKeyRequest) => FailMode | Promise<FailMode>);
  /** Cache answers locally (off by default). Never answers with rate limits or credits; `ttlMs` at most 60,000 (default 10,000). */
  cache?: boolean | { ttlMs?: number; maxEntries?: number };
  /**
   * A fetch implementation for every call. Unset: on Node, verifyKey uses node:http(s) with a
   * keep-alive agent (cheaper than Node 20's fetch) and the management client the global fetch.
   */
  fetch?: typeof fetch;
};
