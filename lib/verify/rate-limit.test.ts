import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { MAX_SLOTS, RateLimiter, type RateLimitMode } from "./rate-limit";
import { log } from "../log";

const REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether something listens at the Redis address (CI guarantees it; a laptop may not have Redis). */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
const redisUp = await reachable(REDIS);
if (!redisUp) console.warn(`[test] no Redis at ${REDIS}: the shared rate-limit tests are skipped`);
const ready = (l: RateLimiter) => vi.waitFor(() => expect(l.state()).toBe("shared"), { timeout: 5000 });
const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 86_400_000;

describe("rate limits on one instance", () => {
  const W = 60_000;
  const t0 = 1_700_000_040_000; // a window start (multiple of 60 s)

  it("more limits in use than it keeps: the least recently used go, the busy ones keep their counts", async () => {
    const l = new RateLimiter();
    for (let i = 0; i < 3; i++) await l.consume("busy", 3, W, t0 + 1000);
    expect((await l.consume("busy", 3, W, t0 + 1000)).allowed).toBe(false);
    // A spray of other limits, each used once, while "busy" keeps being used.
    for (let i = 0; i < MAX_SLOTS + 5000; i++) {
      await l.consume(`spray-${i}`, 10, W, t0 + 2000 + Math.floor(i / 1000));
      if (i % 5000 === 0) await l.consume("busy", 3, W, t0 + 2000 + Math.floor(i / 1000));
    }
    expect(l.slotCount()).toBeLessThanOrEqual(MAX_SLOTS);
    // Forgetting everything would have let "busy" through again within its window.
    expect((await l.consume("busy", 3, W, t0 + 3000)).allowed).toBe(false);
    // The oldest of the spray were forgotten: it starts counting again.
    expect(await l.consume("spray-0", 10, W, t0 + 3000)).toMatchObject({ allowed: true, remaining: 9 });
  });

  it("without Redis: exact within the instance", async () => {
    const l = new RateLimiter();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await l.consume("k", 3, W, t0 + 1000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[0]).toMatchObject({ limit: 3, remaining: 2, windowSeconds: 60, resetAt: t0 + 2 * W });
  });

  it("slides: a burst straddling a window boundary never passes more than the limit", async () => {
    const l = new RateLimiter();
    let allowed = 0;
    for (let i = 0; i < 10; i++) if ((await l.consume("k", 10, W, t0 + W - 100)).allowed) allowed++; // the last 100 ms of a window
    for (let i = 0; i < 10; i++) if ((await l.consume("k", 10, W, t0 + W + 100)).allowed) allowed++; // the first 100 ms of the next
    expect(allowed).toBe(10); // a fixed window would have let 20 through
    const denied = await l.consume("k", 10, W, t0 + W + 100);
    // 10·(1 − e/60 s) + 0 + 1 ≤ 10 once e ≥ 6 s: Retry-After is truthful for the sliding window.
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAt: t0 + W + 6000, resetAt: t0 + W + 6000 });
    // Half way through the next window, half the previous window's count has slid out.
    let later = 0;
    for (let i = 0; i < 10; i++) if ((await l.consume("k", 10, W, t0 + W + W / 2)).allowed) later++;
    expect(later).toBe(5);
  });

  it("starts over after a window without traffic", async () => {
    const l = new RateLimiter();
    for (let i = 0; i < 4; i++) await l.consume("k", 3, W, t0);
    expect((await l.consume("k", 3, W, t0 + 3 * W)).allowed).toBe(true);
  });
});

/** `count` requests spread round-robin over the limiters, `concurrency` at a time; the number allowed. */
async function drive(limiters: RateLimiter[], key: string, limit: number, count: number, opts: { concurrency: number; pauseMs?: number }) {
  let allowed = 0;
  let i = 0;
  while (i < count) {
    const batch = [];
    for (let c = 0; c < opts.concurrency && i < count; c++, i++) batch.push(limiters[i % limiters.length].consume(key, limit, DAY, Date.now()));
    for (const d of await Promise.all(batch)) if (d.allowed) allowed++;
    if (opts.pauseMs) await sleep(opts.pauseMs);
    else await tick();
  }
  return allowed;
}

describe.skipIf(!redisUp)("rate limits shared through Redis", () => {
  const limiters: RateLimiter[] = [];
  const make = async (n: number, mode: RateLimitMode = "local-first") => {
    const made = Array.from({ length: n }, () => new RateLimiter(REDIS, mode));
    limiters.push(...made);
    for (const l of made) await ready(l);
    return made;
  };
  afterAll(() => Promise.all(limiters.map((l) => l.close())));
  const key = () => `test-${randomBytes(6).toString("hex")}`;

  it("one instance alone is exact", async () => {
    const [a] = await make(1);
    expect(await drive([a], key(), 1000, 3000, { concurrency: 50 })).toBe(1000);
  });

  it.each([2, 3])("%i instances stay within 10 percent of the limit at a high rate", async (n) => {
    const ls = await make(n);
    const allowed = await drive(ls, key(), 2000, 6000, { concurrency: 60 });
    expect(allowed).toBeGreaterThanOrEqual(2000);
    expect(allowed).toBeLessThanOrEqual(2200);
  });

  it.each([2, 3])("%i instances stay within 10 percent of the limit at a trickle", async (n) => {
    const ls = await make(n);
    const allowed = await drive(ls, key(), 100, 160, { concurrency: 1, pauseMs: 7 });
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(110);
  });

  it("most decisions are local: the count reaches Redis in batches", async () => {
    const [a, b] = await make(2);
    const k = key();
    for (let i = 0; i < 500; i++) {
      const d = (i % 2 ? a : b).consume(k, 100_000, DAY, Date.now());
      if (i > 10) expect(d).not.toBeInstanceOf(Promise); // synchronous once each instance has read the count
      await d;
    }
    await sleep(150);
    expect(a.stats().unconfirmed + b.stats().unconfirmed).toBe(0);
  });

  it("RATE_LIMIT_MODE=exact decides every request in Redis: exact across instances", async () => {
    const ls = await make(3, "exact");
    expect(await drive(ls, key(), 500, 1500, { concurrency: 60 })).toBe(500);
  });

  it.each(["exact", "local-first"] as const)("several limits across instances (%s): a request one limit refuses takes nothing from the others", async (mode) => {
    const ls = await make(2, mode);
    const a = key();
    const b = key();
    // b (40) runs out long before a (1000): the requests b refuses must not count in a.
    const checks = [
      { counter: a, limit: 1000, windowMs: DAY, cost: 2 },
      { counter: b, limit: 40, windowMs: DAY, cost: 1 },
    ];
    let allowed = 0;
    for (let i = 0; i < 200; i += 20) {
      const batch = Array.from({ length: 20 }, (_, j) => ls[(i + j) % 2].consumeAll(checks, Date.now()));
      for (const d of await Promise.all(batch)) if (d.every((x) => x.allowed)) allowed++;
    }
    expect(allowed).toBe(40);
    await sleep(150); // local-first: the last hits reach Redis
    const [only] = await ls[0].consumeAll([{ counter: a, limit: 1000, windowMs: DAY, cost: 0 }], Date.now());
    expect(only.remaining).toBe(1000 - 2 * 40);
  });

  it("falls back to local counts (and says so) when Redis does not answer", async () => {
    const warn = vi.spyOn(log(), "warn").mockImplementation(() => {});
    const l = new RateLimiter("redis://127.0.0.1:6399"); // nothing listens there
    limiters.push(l);
    const now = Date.now();
    const r = [await l.consume("k", 1, 60_000, now), await l.consume("k", 1, 60_000, now)];
    expect(r.map((x) => x.allowed)).toEqual([true, false]);
    expect(l.state()).toBe("local-fallback");
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining("Redis unavailable")));
    warn.mockRestore();
  });
});

const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;

describe.skipIf(!hasRedisServer)("Redis outage", () => {
  it("falls back while Redis is down; when it returns (empty) the counts resume without a burst over the limit", async () => {
    const port = 6390 + Math.floor(Math.random() * 8);
    const start = () => spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const info = vi.spyOn(log(), "info").mockImplementation(() => {});
    const warn = vi.spyOn(log(), "warn").mockImplementation(() => {});
    let server: ChildProcess = start();
    const ls = [new RateLimiter(`redis://127.0.0.1:${port}`), new RateLimiter(`redis://127.0.0.1:${port}`)];
    const k = `outage-${randomBytes(4).toString("hex")}`;
    try {
      for (const l of ls) await ready(l);
      let allowed = await drive(ls, k, 200, 100, { concurrency: 10 });
      await sleep(150); // synced
      server.kill("SIGKILL");
      await vi.waitFor(() => expect(ls.every((l) => l.state() === "local-fallback")).toBe(true), { timeout: 5000 });
      allowed += await drive(ls, k, 200, 60, { concurrency: 10 }); // still answers, locally
      server = start(); // a new Redis without the counts
      for (const l of ls) await ready(l);
      expect(info).toHaveBeenCalledWith(expect.stringContaining("Redis is back"));
      allowed += await drive(ls, k, 200, 300, { concurrency: 10 });
      expect(allowed).toBeGreaterThanOrEqual(200);
      expect(allowed).toBeLessThanOrEqual(220);
    } finally {
      await Promise.all(ls.map((l) => l.close()));
      server.kill("SIGKILL");
      info.mockRestore();
      warn.mockRestore();
    }
  }, 30_000);
});
