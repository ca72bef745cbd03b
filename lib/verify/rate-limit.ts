// Owns per-key rate limits within this process: a fixed window per key, exact within one instance.
type Window = { resetAt: number; count: number };

const KEY = Symbol.for("latchkey.verify.ratelimit");
const store = globalThis as unknown as { [KEY]?: Map<string, Window> };
const windows = (store[KEY] ??= new Map());

export type RateDecision = { allowed: boolean; limit: number; remaining: number; resetAt: number; windowSeconds: number };

/** Consumes one request for `keyId` when allowed. */
export function consume(keyId: string, limit: number, windowMs: number, now: number): RateDecision {
  let w = windows.get(keyId);
  if (!w || w.resetAt <= now) {
    w = { resetAt: now + windowMs, count: 0 };
    windows.set(keyId, w);
  }
  const allowed = w.count < limit;
  if (allowed) w.count++;
  if (windows.size > 100_000) for (const [id, old] of windows) if (old.resetAt <= now) windows.delete(id);
  return { allowed, limit, remaining: Math.max(0, limit - w.count), resetAt: w.resetAt, windowSeconds: Math.round(windowMs / 1000) };
}

export function resetRateLimits(): void {
  windows.clear();
}
