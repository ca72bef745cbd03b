// Owns rate limits: sliding windows (the two-window weighted estimate), decided from this instance's
// own counters at once and reconciled with Redis asynchronously (local-first), or with one atomic
// Redis round trip per request (RATE_LIMIT_MODE=exact). Without Redis, or while it is down, each
// instance counts on its own, exactly; hits counted meanwhile are added to Redis when it returns.
// A request may be subject to several limits (a key's named limits and its customer's, each with a
// cost): all are checked first, and only when every one allows it is the cost taken from each, so a
// request one limit refuses consumes nothing from the others (locally, and atomically in Redis).
import Redis from "ioredis";
import { env } from "../env";
import { log } from "../log";
import { after, type MaybePromise } from "../maybe-promise";
import { HIT_SCRIPT, type HitRedis } from "./rate-limit-script";
import { acknowledge, allowHere, decisionFor, needOf, prevWeight, roll, windowKey, type RateDecision, type Slot } from "./sliding-window";

export type { RateDecision } from "./sliding-window";

export type RateLimitMode = "local-first" | "exact";

/** One limit a request is checked against: `counter` names the shared count (holder, name and window). */
export type LimitCheck = { counter: string; limit: number; windowMs: number; cost: number };

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
export const MAX_SLOTS = 100_000;
const EPOCH_KEY = "latchkey:rl:epoch";

export class RateLimiter {
  private slots = new Map<string, Slot>();
  private pruneAt = MAX_SLOTS;
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
    redis.defineCommand("latchkeyHit", { lua: HIT_SCRIPT }); // the number of keys comes first (one pair per check)
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

  private slot(id: string, limit: number, windowMs: number, now: number): Slot {
    let s = this.slots.get(id);
    if (!s) {
      if (this.slots.size >= this.pruneAt) {
        this.prune(now);
        // When nothing could go (every slot has hits Redis has not confirmed yet), try again a tenth later.
        this.pruneAt = Math.max(MAX_SLOTS, this.slots.size + MAX_SLOTS / 10);
      }
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
    const synced = (s: Slot) => !this.redis || s.pending + s.prevPending + s.inflight === 0;
    for (const [id, s] of this.slots) if (s.usedAt + 2 * s.windowMs < now && synced(s)) this.slots.delete(id);
    if (this.slots.size < MAX_SLOTS) return;
    // Still full (more limits in use at once than MAX_SLOTS): the least recently used tenth goes, so the
    // limits in use keep their counts. With Redis only slots whose hits Redis already has (they are
    // read back from it when next used); without Redis those limits start counting again.
    const oldest = [...this.slots].filter(([, s]) => synced(s)).sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (let i = 0; i < Math.min(oldest.length, MAX_SLOTS / 10); i++) this.slots.delete(oldest[i][0]);
  }

  /** Limits this instance is counting (for tests and /metrics). */
  slotCount(): number {
    return this.slots.size;
  }

  /** Counts one request of `cost` against one limit (see consumeAll). */
  consume(counter: string, limit: number, windowMs: number, now: number, cost = 1): MaybePromise<RateDecision> {
    return after(this.consumeAll([{ counter, limit, windowMs, cost }], now), (d) => d[0]);
  }

  /**
   * Checks a request against every limit in `checks`, and only when all of them allow it takes each
   * one's cost: a request one limit refuses consumes nothing from the others. One decision per check,
   * in order (`allowed` says whether that limit alone allowed it). Synchronous unless Redis must
   * confirm the request.
   */
  consumeAll(checks: readonly LimitCheck[], now: number): MaybePromise<RateDecision[]> {
    const n = checks.length;
    const slots: Slot[] = new Array(n);
    let denied = false;
    let local = this.mode === "local-first";
    const t = Date.now();
    for (let i = 0; i < n; i++) {
      const c = checks[i];
      const s = (slots[i] = this.slot(c.counter, c.limit, c.windowMs, now));
      const need = needOf(c.cost);
      const mine = s.inflight + s.pending;
      const est = s.prev * prevWeight(s.ws, s.windowMs, now) + s.cur + mine;
      // Counts only grow within a window, so a view over the limit is right without asking anyone.
      if (est + need > c.limit) denied = true;
      else if (local && !(mine + c.cost <= Math.floor(c.limit * UNCONFIRMED_SHARE) && est + need <= c.limit * (1 - RESERVE_SHARE) && t - s.readAt <= FRESH_MS)) local = false;
    }
    if (denied) return this.decideHere(slots, checks, now, false);
    if (!this.shared()) {
      // (Before the first connection, decisions are local without a warning.)
      if (this.redis && !this.degraded && this.epoch !== null && this.redis.status !== "ready") this.fallBack(new Error(`connection ${this.redis.status}`));
      return this.decideHere(slots, checks, now, true);
    }
    if (local) {
      const out = this.decideHere(slots, checks, now, true);
      for (let i = 0; i < n; i++) if (slots[i].pending >= Math.max(1, Math.floor(checks[i].limit * UNCONFIRMED_SHARE) >> 1)) this.syncSoon();
      return out;
    }
    return this.confirm(slots, checks, now);
  }

  /** Decides from this instance's counts: when `take` and every limit allows it, takes each cost here. */
  private decideHere(slots: Slot[], checks: readonly LimitCheck[], now: number, take: boolean): RateDecision[] {
    const fits = slots.map((s, i) => s.prev * prevWeight(s.ws, s.windowMs, now) + s.cur + s.inflight + s.pending + needOf(checks[i].cost) <= checks[i].limit);
    const all = take && fits.every(Boolean);
    return slots.map((s, i) => {
      if (all) allowHere(s, checks[i].cost);
      return decisionFor(fits[i], s, s.prev, s.cur + s.inflight + s.pending, now, needOf(checks[i].cost));
    });
  }

  /** One atomic round trip: sends this instance's unconfirmed hits and decides this request in Redis. */
  private confirm(slots: Slot[], checks: readonly LimitCheck[], now: number): Promise<RateDecision[]> {
    this.confirms++;
    const n = slots.length;
    const keys: string[] = [];
    const args: (string | number)[] = [];
    const adds: number[] = [];
    const windows: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = slots[i];
      const add = s.pending;
      s.pending = 0;
      s.inflight += add;
      adds.push(add);
      windows.push(s.ws);
      keys.push(windowKey(s, s.ws), windowKey(s, s.ws - s.windowMs));
      args.push(add, checks[i].cost, needOf(checks[i].cost), s.limit, prevWeight(s.ws, s.windowMs, now).toFixed(6), 2 * s.windowMs + 1000);
    }
    return this.redis!.latchkeyHit(keys.length, ...keys, ...args).then(
      (reply) => {
        const ok = Number(reply[0]) === 1;
        const out = slots.map((s, i) => {
          const cur = Number(reply[1 + 2 * i]);
          const prev = Number(reply[2 + 2 * i]);
          acknowledge(s, windows[i], adds[i], cur);
          if (s.ws === windows[i]) {
            s.prev = Math.max(s.prev, prev);
            s.prevKnown = true;
            if (ok) s.own += checks[i].cost;
          }
          const need = needOf(checks[i].cost);
          // Allowed: counts include this request. Refused: whether this limit alone had room.
          const fits = ok || prev * prevWeight(windows[i], s.windowMs, now) + cur + need <= s.limit;
          return decisionFor(fits, s, prev, cur, now, need);
        });
        // Redis refused it (its weight is rounded): some decision must say so.
        if (!ok && out.every((d) => d.allowed)) out.reduce((a, d) => (d.remaining < a.remaining ? d : a)).allowed = false;
        return out;
      },
      (e: unknown) => {
        this.fallBack(e ?? new Error("no reply"));
        for (let i = 0; i < n; i++) {
          const s = slots[i];
          if (s.ws !== windows[i]) continue;
          const back = Math.min(adds[i], s.inflight);
          s.inflight -= back;
          s.pending += back;
        }
        return this.decideHere(slots, checks, now, true);
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

// One limiter per process, shared by server.ts and Next's bundle.
const KEY = Symbol.for("latchkey.verify.ratelimiter");
const store = globalThis as unknown as { [KEY]?: RateLimiter };

export function rateLimiter(): RateLimiter {
  store[KEY] ??= new RateLimiter(env().REDIS_URL, env().RATE_LIMIT_MODE);
  return store[KEY];
}
