import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { RateLimiter } from "./rate-limit";

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
if (!redisUp) console.warn(`[test] no Redis at ${REDIS}: the shared rate-limit test is skipped`);
const ready = (l: RateLimiter) => vi.waitFor(() => expect(l.state()).toBe("shared"), { timeout: 5000 });

describe("rate limits", () => {
  const limiters: RateLimiter[] = [];
  const make = (url?: string) => {
    const l = new RateLimiter(url);
    limiters.push(l);
    return l;
  };
  afterAll(() => Promise.all(limiters.map((l) => l.close())));

  it("without Redis: exact within the instance, in clock-aligned windows", async () => {
    const l = make();
    const t = 1_700_000_000_000;
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await l.consume("k", 3, 60_000, t));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[0]).toMatchObject({ limit: 3, remaining: 2, windowSeconds: 60, resetAt: Math.ceil(t / 60_000) * 60_000 });
    expect((await l.consume("k", 3, 60_000, t + 60_000)).allowed).toBe(true); // the next window
  });

  it.skipIf(!redisUp)("two instances sharing Redis stay within the limit together", async () => {
    const a = make(REDIS);
    const b = make(REDIS);
    await ready(a);
    await ready(b);
    const key = `shared-${randomBytes(4).toString("hex")}`;
    const now = Date.now();
    let allowed = 0;
    for (let i = 0; i < 60; i++) if ((await (i % 2 ? a : b).consume(key, 20, 60_000, now)).allowed) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(20);
    expect(allowed).toBeLessThanOrEqual(22); // within 10% of the limit
  });

  it("falls back to local counts (and says so) when Redis does not answer", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const l = make("redis://127.0.0.1:6399"); // nothing listens there
    const now = Date.now();
    const r = [await l.consume("k", 1, 60_000, now), await l.consume("k", 1, 60_000, now)];
    expect(r.map((x) => x.allowed)).toEqual([true, false]);
    expect(l.state()).toBe("local-fallback");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("Redis unavailable"));
    warn.mockRestore();
  });
});

const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;

describe.skipIf(!hasRedisServer)("Redis outage", () => {
  it("falls back while Redis is down and shares counts again when it returns", async () => {
    const port = 6300 + Math.floor(Math.random() * 80);
    const start = () => spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let server: ChildProcess = start();
    const l = new RateLimiter(`redis://127.0.0.1:${port}`);
    try {
      await ready(l);
      server.kill("SIGKILL");
      await vi.waitFor(() => expect(l.state()).toBe("local-fallback"), { timeout: 5000 });
      expect((await l.consume("k", 5, 60_000, Date.now())).allowed).toBe(true); // still answers, locally
      server = start();
      await ready(l);
      expect(log).toHaveBeenCalledWith(expect.stringContaining("Redis is back"));
    } finally {
      await l.close();
      server.kill("SIGKILL");
      log.mockRestore();
      warn.mockRestore();
    }
  }, 20_000);
});
