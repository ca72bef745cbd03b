import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey } from "@/lib/keys/lifecycle";
import { generateToken } from "@/lib/keys/token";
import { makeTeam } from "@/test/factories";
import { handleVerify, isVerifyRequest } from "./node-door";
import { handleMetrics, isMetricsRequest } from "./metrics";

const TOKEN = "metrics-token-for-the-test";
process.env.METRICS_TOKEN = TOKEN; // read lazily, on the first request

let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (isVerifyRequest(req)) return handleVerify(req, res, "198.51.100.20");
    if (isMetricsRequest(req)) return handleMetrics(req, res);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const verify = (body: string) => fetch(`${base}/api/v1/keys/verify`, { method: "POST", headers: { "content-type": "application/json" }, body });
const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);

describe("GET /metrics", () => {
  it("asks for the bearer token when METRICS_TOKEN is set", async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
  });

  it("reports verifications by outcome, latency, cache, rate limits, usage buffer and the database pool, without key ids or tokens", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "metered" });
    for (let i = 0; i < 3; i++) await verify(JSON.stringify({ key: token }));
    await verify(JSON.stringify({ key: generateToken("secret", "production") }));
    await verify("not json");
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(value(text, 'latchkey_verifications_total{outcome="VALID"}')).toBe(3);
    expect(value(text, 'latchkey_verifications_total{outcome="NOT_FOUND"}')).toBe(1);
    expect(value(text, 'latchkey_verifications_total{outcome="bad_request"}')).toBe(1);
    expect(value(text, "latchkey_verify_duration_seconds_count")).toBe(5);
    // Buckets are cumulative and end with +Inf = the count (the Prometheus histogram format).
    const buckets = [...text.matchAll(/^latchkey_verify_duration_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(buckets.length).toBe(13);
    expect(buckets.at(-1)).toEqual(["+Inf", 5]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i][1]).toBeGreaterThanOrEqual(buckets[i - 1][1]);
    expect(value(text, "latchkey_verify_duration_seconds_sum")).toBeGreaterThan(0);
    expect(text).toContain("# TYPE latchkey_verify_duration_seconds histogram");
    expect(value(text, "latchkey_key_cache_hits_total")).toBeGreaterThanOrEqual(2);
    expect(value(text, "latchkey_key_cache_misses_total")).toBeGreaterThanOrEqual(2);
    for (const name of ["latchkey_key_cache_evictions_total", "latchkey_key_cache_entries", "latchkey_ratelimit_fallback", "latchkey_ratelimit_sync_lag_seconds", "latchkey_usage_buffered", "latchkey_usage_dropped_total", "latchkey_process_resident_memory_bytes"]) {
      expect(text).toMatch(new RegExp(`^${name} `, "m"));
    }
    if (process.env.DATABASE_URL) expect(text).toMatch(/^latchkey_db_connections\{state="open"\} [1-9]/m);
    expect(text).not.toContain(key.id);
    expect(text).not.toContain(token);
  });
});
