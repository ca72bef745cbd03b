// Owns the optional local cache of verify answers: short-lived, bounded, never for metered answers.
import type { VerifyAnswer, VerifyKeyRequest } from "./types.js";

export const MAX_CACHE_TTL_MS = 60_000;
const DEFAULT_TTL_MS = 10_000;
const DEFAULT_MAX_ENTRIES = 10_000;

export class VerifyCache {
  private readonly entries = new Map<string, { answer: VerifyAnswer; expiresAt: number }>();
  readonly ttlMs: number;
  readonly maxEntries: number;

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}, private readonly now: () => number = Date.now) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    // A revoked key keeps answering from the cache until its entry expires: the bound is the promise.
    if (!(this.ttlMs > 0 && this.ttlMs <= MAX_CACHE_TTL_MS)) throw new RangeError(`cache.ttlMs must be between 1 and ${MAX_CACHE_TTL_MS} ms`);
    if (!(Number.isInteger(this.maxEntries) && this.maxEntries > 0)) throw new RangeError("cache.maxEntries must be a positive integer");
  }

  /** The cache key of a request, or null when the request must always reach Latchkey (it names limits or a cost). */
  static keyOf(req: VerifyKeyRequest): string | null {
    if (req.ratelimits !== undefined || req.cost !== undefined) return null;
    return JSON.stringify([req.key, req.environment ?? null, req.permissions ? [...req.permissions].sort() : null, req.method?.toUpperCase() ?? null, req.path ?? null, req.ip ?? null]);
  }

  /** Whether an answer may be reused: nothing in it is counted per request (rate limits, credits). */
  static cacheable(answer: VerifyAnswer): boolean {
    if (answer.code === "RATE_LIMITED" || answer.code === "USAGE_EXCEEDED") return false;
    if (answer.rateLimitHeaders || answer.retryAfter !== undefined) return false;
    const fields = answer as Record<string, unknown>;
    return fields.ratelimit === undefined && fields.ratelimits === undefined && fields.credits === undefined;
  }

  get(key: string): VerifyAnswer | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { ...hit.answer, cached: true };
  }

  set(key: string, answer: VerifyAnswer): void {
    if (!VerifyCache.cacheable(answer)) return;
    this.entries.delete(key);
    // Oldest first: a Map iterates in insertion order.
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { answer, expiresAt: this.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
