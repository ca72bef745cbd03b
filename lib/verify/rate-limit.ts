// Owns per-key rate limits: fixed windows aligned to the clock. With REDIS_URL the counts are
// shared by every instance through Redis (one INCR per counted request); when Redis fails, each
// instance falls back to its own exact counts, logs a warning, and returns to Redis once it answers.
import Redis from "ioredis";
import { env } from "../env";
import type { MaybePromise } from "../maybe-promise";

export type RateDecision = { allowed: boolean; limit: number; remaining: number; resetAt: number; windowSeconds: number };
type Window = { resetAt: number; count: number };

function decisionFor(count: number, limit: number, resetAt: number, windowMs: number): RateDecision {
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetAt, windowSeconds: Math.round(windowMs / 1000) };
}

export class RateLimiter {
  private local = new Map<string, Window>();
  private redis: Redis | null = null;
  private degraded = false;

  constructor(redisUrl?: string) {
    if (!redisUrl) return;
    this.redis = new Redis(redisUrl, {
      enableOfflineQueue: false, // fail at once while disconnected: the fallback answers instead
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 2000),
    });
    this.redis.on("error", (e) => this.fallBack(e));
    this.redis.on("ready", () => {
      if (this.degraded) console.log("[latchkey] Redis is back: rate limits are shared across instances again");
      this.degraded = false;
    });
  }

  private fallBack(e: unknown) {
    if (!this.degraded) console.warn(`[latchkey] Redis unavailable (${(e as Error)?.message ?? e}); rate limits fall back to this instance's own counts`);
    this.degraded = true;
  }

  /** Counts one request for `keyId` and says whether it is within the limit (synchronous without Redis). */
  consume(keyId: string, limit: number, windowMs: number, now: number): MaybePromise<RateDecision> {
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const resetAt = windowStart + windowMs;
    if (this.redis?.status === "ready") {
      const k = `latchkey:rl:${keyId}:${windowStart}`;
      const local = (e?: unknown) => {
        if (e) this.fallBack(e);
        return decisionFor(this.countLocally(keyId, resetAt, now), limit, resetAt, windowMs);
      };
      try {
        return this.redis
          .multi()
          .incr(k)
          .pexpire(k, windowMs + 1000)
          .exec()
          .then((res) => {
            const count = Number(res?.[0]?.[1]);
            return Number.isFinite(count) ? decisionFor(count, limit, resetAt, windowMs) : local();
          }, (e: unknown) => local(e ?? new Error("no reply")));
      } catch (e) {
        return local(e);
      }
    }
    if (this.redis && !this.degraded) this.fallBack(new Error(`connection ${this.redis.status}`));
    return decisionFor(this.countLocally(keyId, resetAt, now), limit, resetAt, windowMs);
  }

  private countLocally(keyId: string, resetAt: number, now: number): number {
    let w = this.local.get(keyId);
    if (!w || w.resetAt !== resetAt) {
      w = { resetAt, count: 0 };
      this.local.set(keyId, w);
    }
    if (this.local.size > 100_000) for (const [id, old] of this.local) if (old.resetAt <= now) this.local.delete(id);
    return ++w.count;
  }

  state(): "not-configured" | "shared" | "local-fallback" {
    if (!this.redis) return "not-configured";
    return this.redis.status === "ready" && !this.degraded ? "shared" : "local-fallback";
  }

  resetLocal(): void {
    this.local.clear();
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

// One limiter per process, shared by server.ts and Next's bundle.
const KEY = Symbol.for("latchkey.verify.ratelimiter");
const store = globalThis as unknown as { [KEY]?: RateLimiter };

export function rateLimiter(): RateLimiter {
  store[KEY] ??= new RateLimiter(env().REDIS_URL);
  return store[KEY];
}
