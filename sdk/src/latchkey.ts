// Owns the Latchkey client: verifyKey with a time budget, retries, fail-open/closed and the optional cache.
import { VerifyCache } from "./cache.js";
import { LatchkeyError } from "./errors.js";
import { createManagementApi, type ManagementApi } from "./management.js";
import { fetchTransport, nodeTransport, type Transport, type VerifyResponse } from "./transport.js";
import type { FailMode, LatchkeyOptions, UnavailableAnswer, VerifyAnswer, VerifyKeyRequest, VerifyResult } from "./types.js";

const VERIFY_PATH = "/api/v1/keys/verify";
/** Latchkey refuses keys longer than this with a 400; the SDK answers MALFORMED instead of throwing. */
const MAX_KEY_LENGTH = 512;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 1_000;

/** Seconds or an HTTP date, as `Retry-After` allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Full jitter: a random wait up to the exponential step, so clients that failed together do not retry together. */
export const backoffMs = (attempt: number, random: () => number = Math.random) => Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Attempt = { kind: "answer"; answer: VerifyAnswer } | { kind: "retry"; waitMs?: number; error: LatchkeyError } | { kind: "fatal"; error: LatchkeyError };

export class Latchkey {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retries: number;
  private readonly rootKey: string | undefined;
  private readonly onError: NonNullable<LatchkeyOptions["onError"]>;
  private readonly fetchImpl: typeof fetch;
  private readonly transport: Transport;
  private readonly cache: VerifyCache | null;
  private managementApi: ManagementApi | null = null;

  constructor(options: LatchkeyOptions) {
    if (!options?.baseUrl) throw new TypeError("Latchkey: baseUrl is required (where Latchkey runs, e.g. https://keys.example.com)");
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.rootKey = options.rootKey;
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.retries = options.retries ?? 2;
    this.onError = options.onError ?? "fail-closed";
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    // verifyKey is the hot path: on Node it skips fetch unless the caller gave one (see transport.ts).
    this.transport = (options.fetch ? null : nodeTransport(this.baseUrl)) ?? fetchTransport(this.fetchImpl);
    this.cache = options.cache ? new VerifyCache(options.cache === true ? {} : options.cache) : null;
    if (!(this.timeoutMs > 0)) throw new RangeError("Latchkey: timeoutMs must be positive");
    if (!(Number.isInteger(this.retries) && this.retries >= 0)) throw new RangeError("Latchkey: retries must be a whole number ≥ 0");
  }

  /**
   * Whether an end client's `ip` is worth sending: Latchkey honours it only from a caller with a root
   * key (keys:verify) and otherwise checks the address the call comes from. The middleware reads the
   * request's address only when this is true.
   */
  get forwardsClientIp(): boolean {
    return Boolean(this.rootKey);
  }

  /** The generated client of the management API, authenticated with `rootKey`. */
  get api(): ManagementApi {
    return (this.managementApi ??= createManagementApi({ baseUrl: this.baseUrl, rootKey: this.rootKey, fetch: this.fetchImpl }));
  }

  /**
   * Is this key good for this request? Never throws for a bad key: the answer's `code` says why.
   * When Latchkey cannot be reached within `timeoutMs`, `onError` decides (an UNAVAILABLE answer).
   * Throws a LatchkeyError of kind "rejected" only when Latchkey refuses the call itself (4xx:
   * a wrong baseUrl or an invalid request), since failing open on a misconfiguration would hide it.
   */
  async verifyKey(request: VerifyKeyRequest): Promise<VerifyResult> {
    if (typeof request.key !== "string" || request.key.length === 0 || request.key.length > MAX_KEY_LENGTH) return { valid: false, code: "MALFORMED" };
    const cacheKey = this.cache ? VerifyCache.keyOf(request) : null;
    if (cacheKey !== null) {
      const hit = this.cache!.get(cacheKey);
      if (hit) return hit;
    }
    const outcome = await this.callWithRetries(request);
    if (outcome.kind === "answer") {
      if (cacheKey !== null) this.cache!.set(cacheKey, outcome.answer);
      return outcome.answer;
    }
    if (outcome.error.kind === "rejected") throw outcome.error;
    const decision: FailMode = typeof this.onError === "function" ? await this.onError(outcome.error, request) : this.onError;
    return { valid: decision === "fail-open", code: "UNAVAILABLE", synthetic: true, decision, error: outcome.error } satisfies UnavailableAnswer;
  }

  private async callWithRetries(request: VerifyKeyRequest): Promise<{ kind: "answer"; answer: VerifyAnswer } | { kind: "fatal"; error: LatchkeyError }> {
    const deadline = Date.now() + this.timeoutMs;
    const body = JSON.stringify(request);
    let last: LatchkeyError | null = null;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const result = await this.attempt(body, remaining, attempt + 1);
      if (result.kind !== "retry") return result;
      last = result.error;
      if (attempt === this.retries) break;
      const waitMs = result.waitMs ?? backoffMs(attempt);
      // A wait that would end past the budget cannot lead to an answer in time: stop now.
      if (Date.now() + waitMs >= deadline) break;
      await sleep(waitMs);
    }
    return { kind: "fatal", error: last ?? new LatchkeyError("unavailable", `Latchkey did not answer within ${this.timeoutMs} ms`, { attempts: 0 }) };
  }

  private async attempt(body: string, budgetMs: number, attempts: number): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budgetMs);
    try {
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
      if (this.rootKey) headers.authorization = `Bearer ${this.rootKey}`;
      const res = await this.transport(this.baseUrl + VERIFY_PATH, headers, body, controller.signal);
      const text = res.text;
      if (res.status === 429 || res.status >= 500) {
        const waitSeconds = parseRetryAfter(res.header("retry-after"), Date.now());
        const error = new LatchkeyError("unavailable", `Latchkey answered ${res.status}`, { attempts, status: res.status, problem: parseJson(text) });
        return { kind: "retry", error, waitMs: waitSeconds === undefined ? undefined : waitSeconds * 1000 };
      }
      if (res.status !== 200) {
        const problem = parseJson(text) as { detail?: unknown } | undefined;
        const detail = typeof problem?.detail === "string" ? `: ${problem.detail}` : "";
        return { kind: "fatal", error: new LatchkeyError("rejected", `Latchkey refused the verify call with ${res.status}${detail}`, { attempts, status: res.status, problem }) };
      }
      const answer = parseJson(text) as VerifyAnswer | undefined;
      if (!answer || typeof answer !== "object" || typeof answer.valid !== "boolean" || typeof answer.code !== "string") {
        return { kind: "retry", error: new LatchkeyError("bad-response", "Latchkey answered 200 without a verify answer", { attempts, status: 200 }) };
      }
      return { kind: "answer", answer: withHeaders(answer, res) };
    } catch (cause) {
      const timedOut = controller.signal.aborted;
      return { kind: "retry", error: new LatchkeyError("unavailable", timedOut ? `Latchkey did not answer within ${this.timeoutMs} ms` : `Could not reach Latchkey: ${(cause as Error)?.message ?? cause}`, { attempts, cause }) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Keeps what the middleware needs from Latchkey's headers: Retry-After and the RateLimit pair. */
function withHeaders(answer: VerifyAnswer, res: VerifyResponse): VerifyAnswer {
  const rateLimit = res.header("ratelimit");
  const policy = res.header("ratelimit-policy");
  const retryAfter = parseRetryAfter(res.header("retry-after"), Date.now());
  if (rateLimit || policy) answer.rateLimitHeaders = { ...(rateLimit ? { RateLimit: rateLimit } : {}), ...(policy ? { "RateLimit-Policy": policy } : {}) };
  if (retryAfter !== undefined) answer.retryAfter = retryAfter;
  return answer;
}
