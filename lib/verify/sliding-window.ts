// Owns the sliding-window arithmetic of one limit on one instance (no I/O): the counts a slot keeps,
// moving to the next window, and what a decision says (remaining, reset, retry). lib/verify/rate-limit.ts
// decides with it and reconciles the counts with Redis.

export type RateDecision = {
  allowed: boolean;
  limit: number;
  /** Requests still allowed now (the sliding estimate, rounded down). */
  remaining: number;
  /** Epoch ms when the full quota is back, or, while `remaining` is 0, when the next request is allowed. */
  resetAt: number;
  /** Epoch ms when the next request will be allowed (now when remaining > 0). */
  retryAt: number;
  windowSeconds: number;
};

/** One limit on this instance: what Redis said plus what this instance has not confirmed yet. */
export type Slot = {
  redisKey: string;
  windowMs: number;
  limit: number;
  /** Start of the current window (aligned to the clock). */
  ws: number;
  /** Global count of the current window as last read (includes this instance's confirmed hits). */
  cur: number;
  /** Global count of the previous window. */
  prev: number;
  prevKnown: boolean;
  /** Allowed here, not yet sent to Redis. */
  pending: number;
  /** Sent, reply not yet received. */
  inflight: number;
  /** Hits of the previous window still to send. */
  prevPending: number;
  /** Every hit this instance allowed in the current / previous window (re-sent if Redis lost its data). */
  own: number;
  prevOwn: number;
  readAt: number;
  usedAt: number;
};
export function windowKey(slot: Slot, ws: number): string {
  return `${slot.redisKey}:${ws}`;
}

/** Share of the previous window still inside the sliding window ending now. */
export function prevWeight(ws: number, windowMs: number, now: number): number {
  return Math.max(0, 1 - (now - ws) / windowMs);
}

/** What must fit under the limit for a request of this cost (a cost of 0 checks that one more would fit). */
export const needOf = (cost: number) => (cost > 0 ? cost : 1);

/**
 * The decision for a window whose counts (after this request, when allowed) are prev and cur; while
 * the next request of cost `need` does not fit, `retryAt` says when it will (assuming no other hits).
 */
export function decisionFor(allowed: boolean, s: Slot, prev: number, cur: number, now: number, need = 1): RateDecision {
  const { limit, windowMs, ws } = s;
  const est = prev * prevWeight(ws, windowMs, now) + cur;
  const remaining = Math.max(0, Math.floor(limit - est));
  let retryAt = now;
  if (est + need > limit) {
    // When does prev·w(t) + cur + need fit again?
    if (cur + need <= limit && prev > 0) retryAt = ws + windowMs * (1 - (limit - need - cur) / prev);
    else retryAt = ws + windowMs + (cur > 0 ? windowMs * Math.max(0, 1 - (limit - need) / cur) : 0);
    retryAt = Math.max(now, Math.ceil(retryAt));
  }
  const fullAt = cur > 0 ? ws + 2 * windowMs : prev > 0 ? ws + windowMs : now;
  return { allowed, limit, remaining, resetAt: remaining > 0 ? fullAt : retryAt, retryAt, windowSeconds: Math.round(windowMs / 1000) };
}

/** Moves a slot to the window containing `now`: the current window becomes the previous one. */
export function roll(s: Slot, now: number): void {
  const ws = Math.floor(now / s.windowMs) * s.windowMs;
  if (ws === s.ws) return;
  if (ws === s.ws + s.windowMs) {
    s.prev = s.cur + s.inflight + s.pending;
    s.prevPending += s.pending;
    s.prevOwn = s.own;
  } else {
    s.prev = 0;
    s.prevPending = 0;
    s.prevOwn = 0;
    s.readAt = 0;
  }
  s.own = 0;
  s.prevKnown = false;
  s.ws = ws;
  s.cur = 0;
  s.pending = 0;
  s.inflight = 0;
}

export function allowHere(s: Slot, cost: number): void {
  s.pending += cost;
  s.own += cost;
}

/** A reply from Redis for window `ws`: the global count after this instance's `n` hits were added. */
export function acknowledge(s: Slot, ws: number, n: number, global: number): void {
  if (s.ws === ws) {
    s.inflight = Math.max(0, s.inflight - n);
    // Counts only grow, so the reply is at least what was known plus what was added.
    s.cur = Math.max(s.cur + n, global);
    s.readAt = Date.now();
  } else if (s.ws === ws + s.windowMs) {
    s.prev = Math.max(s.prev, global);
  }
}
