// Owns per-key rate limits: sliding windows (the two-window weighted estimate), decided from this
// instance's own counters at once and reconciled with Redis asynchronously (local-first), or with one
// atomic Redis round trip per request (RATE_LIMIT_MODE=exact). Without Redis, or while it is down,
// each instance counts on its own, exactly; hits counted meanwhile are added to Redis when it returns.
import Redis from "ioredis";
import { env } from "../env";
import { log } from "../log";
import type { MaybePromise } from "../maybe-promise";

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

export type RateLimitMode = "local-first" | "exact";

/** Share of the limit an instance may allow without hearing back from Redis (below 50: every allow is confirmed in Redis). */
export const UNCONFIRMED_SHARE = 0.02;
/** Within this last share of the limit, every allow is confirmed in Redis (one atomic round trip). */
export const RESERVE_SHARE = 0.1;
/** Unconfirmed hits are sent at least this often. */
export const SYNC_INTERVAL_MS = 50;
/** A key decided here within this time has its global count read back on every sync. */
const ACTIVE_MS = 1000;
/** A view of the global count older than this is not trusted for a local allow. */
const FRESH_MS = 250;
const MAX_SLOTS = 100_000;
const EPOCH_KEY = "latchkey:rl:epoch";

/** One key's limit on this instance: what Redis said plus what this instance has not confirmed yet. */
type Slot = {
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

const HIT_SCRIPT = `
local add = tonumber(ARGV[1])
local cur
if add > 0 then
  cur = redis.call('INCRBY', KEYS[1], add)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
else
  cur = tonumber(redis.call('GET', KEYS[1]) or '0')
end
local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
local ok = 0
local want = tonumber(ARGV[2])
if want > 0 and prev * tonumber(ARGV[4]) + cur + want <= tonumber(ARGV[3]) then
  cur = redis.call('INCRBY', KEYS[1], want)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  ok = 1
end
return {cur, prev, ok}`;

type HitRedis = Redis & {
  latchkeyHit(cur: string, prev: string, add: number, want: number, limit: number, weight: string, ttl: number): Promise<[number, number, number]>;
};

function windowKey(slot: Slot, ws: number): string {
  return `${slot.redisKey}:${ws}`;
}

/** Share of the previous window still inside the sliding window ending now. */
function prevWeight(ws: number, windowMs: number, now: number): number {
  return Math.max(0, 1 - (now - ws) / windowMs);
}

/** The decision for a window whose counts (after this request, when allowed) are prev and cur. */
function decisionFor(allowed: boolean, s: Slot, prev: number, cur: number, now: number): RateDecision {
  const { limit, windowMs, ws } = s;
  const est = prev * prevWeight(ws, windowMs, now) + cur;
  const remaining = Math.max(0, Math.floor(limit - est));
  let retryAt = now;
  if (est + 1 > limit) {
    // Assuming no further hits: when does prev·w(t) + cur + 1 fit again?
    if (cur + 1 <= limit && prev > 0) retryAt = ws + windowMs * (1 - (limit - 1 - cur) / prev);
    else retryAt = ws + windowMs + (cur > 0 ? windowMs * Math.max(0, 1 - (limit - 1) / cur) : 0);
    retryAt = Math.max(now, Math.ceil(retryAt));
  }
  const fullAt = cur > 0 ? ws + 2 * windowMs : prev > 0 ? ws + windowMs : now;
  return { allowed, limit, remaining, resetAt: remaining > 0 ? fullAt : retryAt, retryAt, windowSeconds: Math.round(windowMs / 1000) };
}

export class RateLimiter {
  private slots = new Map<string, Slot>();
  private redis: HitRedis | null = null;
  private degraded = false;
  private timer: NodeJS.Timeout | null = null;
  private syncing = false;
  private again = false;
  private soon = false;
  private lastSyncAt = 0;
  /** Requests decided in Redis (one round trip each) rather than locally. */
  private confirms = 0;
  /** Redis's epoch marker as this instance last saw it: a new one means Redis restarted empty. */
  private epoch: string | null = null;
  private epochChecked = false;
  readonly mode: RateLimitMode;

  constructor(redisUrl?: string, mode: RateLimitMode = "local-first") {
    this.mode = mode;
    if (!redisUrl) return;
    const redis = new Redis(redisUrl, {
      enableOfflineQueue: false, // fail at once while disconnected: the fallback answers instead
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 2000),
    });
    redis.defineCommand("latchkeyHit", { numberOfKeys: 2, lua: HIT_SCRIPT });
    this.redis = redis as HitRedis;
    redis.on("error", (e) => this.fallBack(e));
    redis.on("ready", () => void this.reconnected());
    this.timer = setInterval(() => this.sync(), SYNC_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Redis (re)connected. Views from before are stale: the next hit of each key asks Redis, and hits
   * counted here meanwhile are added on the next sync. When Redis came back empty (a new epoch
   * marker), every hit this instance allowed in the live windows is sent again, so the shared count
   * resumes where it was instead of starting over (which would allow a burst over the limit).
   */
  private async reconnected(): Promise<void> {
    this.epochChecked = false;
    let epoch: string | null;
    try {
      await this.redis!.set(EPOCH_KEY, `${Date.now()}-${Math.random().toString(36).slice(2)}`, "NX");
      epoch = await this.redis!.get(EPOCH_KEY);
    } catch (e) {
      this.fallBack(e);
      return;
    }
    const lost = this.epoch !== null && epoch !== this.epoch;
    this.epoch = epoch;
    for (const s of this.slots.values()) {
      s.readAt = 0;
      s.prevKnown = false;
      if (lost) {
        s.cur = 0;
        s.prev = 0;
        s.pending = s.own;
        s.inflight = 0;
        s.prevPending = s.prevOwn;
      }
    }
    if (this.degraded) log().info(`Redis is back${lost ? " (restarted empty: this instance's counts were sent again)" : ""}: rate limits are shared across instances again`);
    this.degraded = false;
    this.epochChecked = true;
    this.sync();
  }

  private fallBack(e: unknown) {
    if (!this.degraded) log().warn(`Redis unavailable (${(e as Error)?.message ?? e}); rate limits fall back to this instance's own counts`);
    this.degraded = true;
  }

  private shared(): boolean {
    // Decisions may use Redis as soon as it answers; syncs wait for the epoch check (see reconnected).
    return this.redis !== null && this.redis.status === "ready";
  }

  private slot(keyId: string, limit: number, windowMs: number, now: number): Slot {
    const id = `${keyId}:${windowMs}`;
    let s = this.slots.get(id);
    if (!s) {
      if (this.slots.size >= MAX_SLOTS) this.prune(now);
      s = { redisKey: `latchkey:rl:{${id}}`, windowMs, limit, ws: Math.floor(now / windowMs) * windowMs, cur: 0, prev: 0, prevKnown: false, pending: 0, inflight: 0, prevPending: 0, own: 0, prevOwn: 0, readAt: 0, usedAt: now };
      this.slots.set(id, s);
    }
    s.limit = limit;
    s.usedAt = now;
    roll(s, now);
    return s;
  }

  private prune(now: number) {
    // Without Redis nothing is ever sent, so pending hits are only counts: idle slots can go.
    for (const [id, s] of this.slots) if (s.usedAt + 2 * s.windowMs < now && (!this.redis || s.pending + s.prevPending + s.inflight === 0)) this.slots.delete(id);
    if (this.slots.size >= MAX_SLOTS) this.slots.clear(); // only under key spraying: forget rather than grow
  }

  /** Counts one request for `keyId` and says whether it is within the limit (synchronous unless Redis must confirm it). */
  consume(keyId: string, limit: number, windowMs: number, now: number): MaybePromise<RateDecision> {
    const s = this.slot(keyId, limit, windowMs, now);
    const w = prevWeight(s.ws, windowMs, now);
    const mine = s.inflight + s.pending;
    const est = s.prev * w + s.cur + mine;
    // Counts only grow within a window, so a view over the limit is right without asking anyone.
    if (est + 1 > limit) return decisionFor(false, s, s.prev, s.cur + mine, now);
    if (!this.shared()) {
      // (Before the first connection, decisions are local without a warning.)
      if (this.redis && !this.degraded && this.epoch !== null && this.redis.status !== "ready") this.fallBack(new Error(`connection ${this.redis.status}`));
      allowHere(s);
      return decisionFor(true, s, s.prev, s.cur + mine + 1, now);
    }
    const unconfirmed = Math.floor(limit * UNCONFIRMED_SHARE);
    if (this.mode === "local-first" && mine < unconfirmed && est + 1 <= limit * (1 - RESERVE_SHARE) && Date.now() - s.readAt <= FRESH_MS) {
      allowHere(s);
      if (s.pending >= Math.max(1, unconfirmed >> 1)) this.syncSoon();
      return decisionFor(true, s, s.prev, s.cur + mine + 1, now);
    }
    return this.confirm(s, now);
  }

  /** One atomic round trip: sends this instance's unconfirmed hits and decides this request in Redis. */
  private confirm(s: Slot, now: number): Promise<RateDecision> {
    this.confirms++;
    const add = s.pending;
    const ws = s.ws;
    s.pending = 0;
    s.inflight += add;
    const weight = prevWeight(ws, s.windowMs, now).toFixed(6);
    return this.redis!.latchkeyHit(windowKey(s, ws), windowKey(s, ws - s.windowMs), add, 1, s.limit, weight, 2 * s.windowMs + 1000).then(
      ([cur, prev, ok]) => {
        acknowledge(s, ws, add, Number(cur));
        if (s.ws === ws) {
          s.prev = Math.max(s.prev, Number(prev));
          s.prevKnown = true;
          if (ok === 1) s.own++;
        }
        return decisionFor(ok === 1, s, Number(prev), Number(cur), now);
      },
      (e: unknown) => {
        this.fallBack(e ?? new Error("no reply"));
        if (s.ws === ws) {
          const back = Math.min(add, s.inflight);
          s.inflight -= back;
          s.pending += back;
        }
        const mine = s.inflight + s.pending;
        const allowed = s.prev * prevWeight(s.ws, s.windowMs, now) + s.cur + mine + 1 <= s.limit;
        if (allowed) allowHere(s);
        return decisionFor(allowed, s, s.prev, s.cur + mine + (allowed ? 1 : 0), now);
      },
    );
  }

  private syncSoon() {
    if (this.soon) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      this.sync();
    });
  }

  /** Sends every unconfirmed hit (one pipelined INCRBY per key and window) and reads back the global counts of active keys. */
  sync(): void {
    if (!this.redis || !this.shared() || !this.epochChecked) return;
    if (this.syncing) {
      this.again = true;
      return;
    }
    const now = Date.now();
    const pipe = this.redis.pipeline();
    const onReply: ((value: unknown) => void)[] = [];
    const sent: [Slot, number, number, "cur" | "prev"][] = [];
    for (const [id, s] of this.slots) {
      roll(s, now);
      const prevKey = windowKey(s, s.ws - s.windowMs);
      const ttl = 2 * s.windowMs + 1000;
      const ws = s.ws;
      if (s.prevPending > 0) {
        pipe.incrby(prevKey, s.prevPending).pexpire(prevKey, ttl);
        sent.push([s, ws, s.prevPending, "prev"]);
        s.prevPending = 0;
        onReply.push((v) => s.ws === ws && ((s.prev = Math.max(s.prev, Number(v))), (s.prevKnown = true)), () => {});
      } else if (!s.prevKnown) {
        pipe.get(prevKey);
        onReply.push((v) => s.ws === ws && ((s.prev = Math.max(s.prev, Number(v ?? 0))), (s.prevKnown = true)));
      }
      const curKey = windowKey(s, ws);
      if (s.pending > 0) {
        const n = s.pending;
        s.pending = 0;
        s.inflight += n;
        pipe.incrby(curKey, n).pexpire(curKey, ttl);
        sent.push([s, ws, n, "cur"]);
        onReply.push((v) => acknowledge(s, ws, n, Number(v)), () => {});
      } else if (now - s.usedAt <= ACTIVE_MS) {
        pipe.get(curKey);
        onReply.push((v) => acknowledge(s, ws, 0, Number(v ?? 0)));
      } else if (s.usedAt + 2 * s.windowMs < now && s.inflight === 0) {
        this.slots.delete(id);
      }
    }
    if (onReply.length === 0) {
      this.lastSyncAt = now;
      return;
    }
    this.syncing = true;
    pipe
      .exec()
      .then((results) => {
        if (!results) throw new Error("no reply");
        results.forEach(([err, value], i) => {
          if (err) throw err;
          onReply[i](value);
        });
        this.lastSyncAt = Date.now();
      })
      .catch((e: unknown) => {
        this.fallBack(e);
        // Not confirmed: count them again as pending, to be sent once Redis answers (at worst counted twice: stricter, never looser).
        for (const [s, ws, n, which] of sent) {
          if (s.ws !== ws) continue;
          if (which === "prev") s.prevPending += n;
          else {
            const back = Math.min(n, s.inflight);
            s.inflight -= back;
            s.pending += back;
          }
        }
      })
      .finally(() => {
        this.syncing = false;
        if (this.again) {
          this.again = false;
          this.sync();
        }
      });
  }

  state(): "not-configured" | "shared" | "local-fallback" {
    if (!this.redis) return "not-configured";
    return this.redis.status === "ready" && !this.degraded && this.epochChecked ? "shared" : "local-fallback";
  }

  /** For /metrics: how long since Redis last confirmed this instance's counts, and how many hits wait. */
  stats(): { state: ReturnType<RateLimiter["state"]>; mode: RateLimitMode; syncLagMs: number; unconfirmed: number; keys: number; redisDecisions: number } {
    let unconfirmed = 0;
    if (this.redis) for (const s of this.slots.values()) unconfirmed += s.pending + s.prevPending + s.inflight;
    return { state: this.state(), mode: this.mode, syncLagMs: this.redis && this.lastSyncAt ? Date.now() - this.lastSyncAt : 0, unconfirmed, keys: this.slots.size, redisDecisions: this.confirms };
  }

  resetLocal(): void {
    this.slots.clear();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.redis) return;
    this.sync(); // last unconfirmed hits, best effort
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/** Moves a slot to the window containing `now`: the current window becomes the previous one. */
function roll(s: Slot, now: number): void {
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

function allowHere(s: Slot): void {
  s.pending++;
  s.own++;
}

/** A reply from Redis for window `ws`: the global count after this instance's `n` hits were added. */
function acknowledge(s: Slot, ws: number, n: number, global: number): void {
  if (s.ws === ws) {
    s.inflight = Math.max(0, s.inflight - n);
    // Counts only grow, so the reply is at least what was known plus what was added.
    s.cur = Math.max(s.cur + n, global);
    s.readAt = Date.now();
  } else if (s.ws === ws + s.windowMs) {
    s.prev = Math.max(s.prev, global);
  }
}

// One limiter per process, shared by server.ts and Next's bundle.
const KEY = Symbol.for("latchkey.verify.ratelimiter");
const store = globalThis as unknown as { [KEY]?: RateLimiter };

export function rateLimiter(): RateLimiter {
  store[KEY] ??= new RateLimiter(env().REDIS_URL, env().RATE_LIMIT_MODE);
  return store[KEY];
}
