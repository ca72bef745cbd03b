// Owns GET /metrics (Prometheus text format, prom-client): one registry per process, served by
// server.ts like the verify fast path and never bundled into Next. Labels are bounded (outcome codes,
// states): never a key id, an address or a token.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sql } from "drizzle-orm";
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from "prom-client";
import { VERIFY_CODES } from "./codes";
import { cacheStats } from "./cache";
import { rateLimiter } from "./rate-limit";
import { usageStats } from "./usage";
import { dbKind, getDb } from "../db";
import { env } from "../env";

export const METRICS_PATH = "/metrics";
/** What a verify answer was: its code, or why there was none. */
export const OUTCOMES = [...VERIFY_CODES, "bad_request", "too_many_failures", "unavailable"] as const;
export type Outcome = (typeof OUTCOMES)[number];

// Counted on the hot path as plain integers; prom-client reads them only when scraped.
const counts: Record<string, number> = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "latchkey_" });

/** A counter that reports a cumulative number kept elsewhere (adds what grew since the last scrape). */
function mirroredCounter(name: string, help: string, read: () => number) {
  let reported = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > reported) this.inc(now - reported);
      reported = Math.max(reported, now);
    },
  });
}

const reportedOutcomes: Record<string, number> = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
new Counter({
  name: "latchkey_verifications_total",
  help: "Verify answers by outcome (a verify code, or bad_request, too_many_failures, unavailable).",
  labelNames: ["outcome"],
  registers: [registry],
  collect() {
    for (const o of OUTCOMES) {
      const grew = counts[o] - reportedOutcomes[o];
      if (grew > 0) this.inc({ outcome: o }, grew);
      else if (reportedOutcomes[o] === 0) this.inc({ outcome: o }, 0); // every series exists from the start
      reportedOutcomes[o] = counts[o];
    }
  },
});

// The latency histogram is counted on the hot path as plain numbers too (prom-client's
// Histogram#observe costs about a microsecond a call: label hashing, validation) and handed to
// the registry, cumulative per bucket as the text format wants, only when scraped.
const LATENCY = "latchkey_verify_duration_seconds";
const LATENCY_HELP = "Time from a verify request's body being read to its answer being written (door 2, server.ts).";
const BOUNDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const latencyCounts = new Float64Array(BOUNDS.length + 1); // the last one: above every bound
let latencySum = 0;
registry.registerMetric({
  name: LATENCY,
  help: LATENCY_HELP,
  type: "histogram",
  aggregator: "sum",
  reset() {
    latencyCounts.fill(0);
    latencySum = 0;
  },
  get() {
    let cumulative = 0;
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = BOUNDS.map((le, i) => ({ metricName: `${LATENCY}_bucket`, labels: { le }, value: (cumulative += latencyCounts[i]) }));
    cumulative += latencyCounts[BOUNDS.length];
    values.push({ metricName: `${LATENCY}_bucket`, labels: { le: "+Inf" }, value: cumulative });
    values.push({ metricName: `${LATENCY}_sum`, labels: {}, value: latencySum });
    values.push({ metricName: `${LATENCY}_count`, labels: {}, value: cumulative });
    return Promise.resolve({ name: LATENCY, help: LATENCY_HELP, type: "histogram", aggregator: "sum", values });
  },
} as unknown as Metric);

mirroredCounter("latchkey_key_cache_hits_total", "Verify key cache hits (including known-unknown tokens).", () => cacheStats().hits);
mirroredCounter("latchkey_key_cache_misses_total", "Verify key cache misses (looked up in the database).", () => cacheStats().misses);
mirroredCounter("latchkey_key_cache_evictions_total", "Keys evicted from the verify cache to stay within its capacity.", () => cacheStats().evictions);
new Gauge({ name: "latchkey_key_cache_entries", help: "Tokens in the verify cache.", registers: [registry], collect() { this.set(cacheStats().size); } });

new Gauge({
  name: "latchkey_ratelimit_fallback",
  help: "1 while REDIS_URL is set but Redis is unreachable (each instance counts on its own), else 0.",
  registers: [registry],
  collect() {
    this.set(rateLimiter().state() === "local-fallback" ? 1 : 0);
  },
});
new Gauge({
  name: "latchkey_ratelimit_sync_lag_seconds",
  help: "Time since Redis last confirmed this instance's rate-limit counts (0 without Redis).",
  registers: [registry],
  collect() {
    this.set(rateLimiter().stats().syncLagMs / 1000);
  },
});
new Gauge({
  name: "latchkey_ratelimit_unconfirmed_hits",
  help: "Requests this instance allowed that Redis has not confirmed yet.",
  registers: [registry],
  collect() {
    this.set(rateLimiter().stats().unconfirmed);
  },
});

mirroredCounter(
  "latchkey_ratelimit_redis_decisions_total",
  "Rate-limited requests that waited for one Redis round trip (exact mode, near the limit, a stale view) instead of being decided locally.",
  () => rateLimiter().stats().redisDecisions,
);

new Gauge({ name: "latchkey_usage_buffered", help: "Request-log entries waiting to be written.", registers: [registry], collect() { this.set(usageStats().buffered); } });
mirroredCounter("latchkey_usage_dropped_total", "Request-log entries dropped (buffer full while the database was failing).", () => usageStats().dropped);

const APP_NAME = `latchkey:${process.pid}`;
new Gauge({
  name: "latchkey_db_connections",
  help: "This process's PostgreSQL connections (state: in_use, open), from pg_stat_activity; absent on PGlite.",
  labelNames: ["state"],
  registers: [registry],
  async collect() {
    if (dbKind() !== "postgres") return;
    try {
      const rows = (await getDb().execute(
        sql`select count(*)::int as open, count(*) filter (where state <> 'idle')::int as in_use from pg_stat_activity where application_name = ${APP_NAME}`,
      )) as unknown as { open: number; in_use: number }[];
      // This very query holds one connection: it is not "in use" by the application.
      this.set({ state: "in_use" }, Math.max(0, Number(rows[0]?.in_use ?? 0) - 1));
      this.set({ state: "open" }, Number(rows[0]?.open ?? 0));
    } catch {
      /* database down: /api/health says so; the gauge keeps its last values */
    }
  },
});

/** Counts one verify answer and how long it took (seconds). */
export function observeVerify(outcome: Outcome, seconds: number): void {
  counts[outcome]++;
  let i = 0;
  while (i < BOUNDS.length && seconds > BOUNDS[i]) i++;
  latencyCounts[i]++;
  latencySum += seconds;
}

export function isMetricsRequest(req: IncomingMessage): boolean {
  return req.method === "GET" && (req.url === METRICS_PATH || req.url?.startsWith(`${METRICS_PATH}?`) === true);
}

function authorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!m) return false;
  const [a, b] = [Buffer.from(m[1]), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export function handleMetrics(req: IncomingMessage, res: ServerResponse): void {
  const token = env().METRICS_TOKEN;
  if (token && !authorized(req.headers.authorization, token)) {
    res.writeHead(401, { "Content-Type": "text/plain", "WWW-Authenticate": 'Bearer realm="metrics"' });
    res.end("Send Authorization: Bearer <METRICS_TOKEN>.\n");
    return;
  }
  registry.metrics().then(
    (text) => {
      res.writeHead(200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" });
      res.end(text);
    },
    (e: unknown) => {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`metrics failed: ${(e as Error).message}\n`);
    },
  );
}

export function metricsRegistry(): Registry {
  return registry;
}
