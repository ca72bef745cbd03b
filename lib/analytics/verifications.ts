// Owns verification analytics for an organization, read from the usage rollups only (never raw
// rows): counts by time bucket and outcome (the analytics API), and the org dashboard's figures.
// Every query is scoped to ctx.org. Who may read: every member role — owner, admin, member and
// viewer — since each of them may already read every key of the organization and its usage.
import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { id } from "../primitives";
import { apiKeys, customers, getDb, keyUsageDay, keyUsageHour, keyUsageMinute, keyUsageWeek, orgUsageDay, orgUsageHour, orgUsageMinute } from "../db";
import type { OrgContext } from "../context";
import { KEY_ENVIRONMENTS, type KeyEnvironment } from "../keys/key-names";
import { VERIFY_CODES } from "../verify/codes";
import { rollupTiles, type TileUnit } from "./rollup-tiles";

/** The permission a key needs for GET /api/v1/analytics/verifications. */
export const ANALYTICS_PERMISSION = "analytics:read";

export const GRANULARITIES = ["minute", "hour", "day"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
export const MAX_RANGE_DAYS = 400;
/** Minute granularity reaches 7 days (the contract); hour and day reach the whole 400 days. */
export const MAX_MINUTE_RANGE_DAYS = 7;

const BUCKET_MS: Record<Granularity, number> = { minute: MINUTE, hour: HOUR, day: DAY };

/**
 * Query of GET /api/v1/analytics/verifications. `from` and `to` are ISO date-times; `to` defaults to
 * now and `from` to 24 hours before `to`. Errors name the parameter (`from`, `to`, `granularity`, …).
 */
/** The query's parameters (the OpenAPI document lists them); the schema below checks them together. */
export const verificationAnalyticsParams = z.object({
  from: z.iso.datetime({ offset: true, error: "from must be an ISO 8601 date-time" }).optional(),
  to: z.iso.datetime({ offset: true, error: "to must be an ISO 8601 date-time" }).optional(),
  granularity: z.enum(GRANULARITIES, { error: "granularity must be minute, hour or day" }).default("hour"),
  keyId: id("key").optional(),
  customerId: id("cus").optional(),
  environment: z.enum(KEY_ENVIRONMENTS, { error: `environment must be one of ${KEY_ENVIRONMENTS.join(", ")}` }).optional(),
  outcome: z.enum(VERIFY_CODES, { error: "outcome must be a verification code such as VALID or RATE_LIMITED" }).optional(),
});

export const verificationAnalyticsQuerySchema = verificationAnalyticsParams
  .transform((q, ctx) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY);
    if (from.getTime() >= to.getTime()) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
    else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) ctx.addIssue({ code: "custom", path: ["from"], message: `from and to may be at most ${MAX_RANGE_DAYS} days apart` });
    else if (q.granularity === "minute" && to.getTime() - from.getTime() > MAX_MINUTE_RANGE_DAYS * DAY)
      ctx.addIssue({ code: "custom", path: ["granularity"], message: `minute granularity covers at most ${MAX_MINUTE_RANGE_DAYS} days; use hour or day` });
    return { from, to, bucket: q.granularity, keyId: q.keyId, customerId: q.customerId, environment: q.environment, outcome: q.outcome };
  });
export type VerificationAnalyticsQuery = z.output<typeof verificationAnalyticsQuerySchema>;

export type VerificationCount = { time: string; outcome: string; count: number };

type Filters = { from: Date; to: Date; keyId?: string; customerId?: string; environment?: KeyEnvironment; outcome?: string };

function floorTo(ms: number, step: number): Date {
  return new Date(ms - (((ms % step) + step) % step));
}

type KeyRollup = typeof keyUsageMinute | typeof keyUsageHour | typeof keyUsageDay | typeof keyUsageWeek;
type Rollup = KeyRollup | typeof orgUsageMinute | typeof orgUsageHour | typeof orgUsageDay;

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** The table's buckets that start in [from, to). */
function timeRange(table: Rollup, from: Date, to: Date): SQL {
  if ("week" in table) return and(gte(table.week, isoDate(from)), lt(table.week, isoDate(to)))!;
  if ("day" in table) return and(gte(table.day, isoDate(from)), lt(table.day, isoDate(to)))!;
  if ("hour" in table) return and(gte(table.hour, from), lt(table.hour, to))!;
  return and(gte(table.minute, from), lt(table.minute, to))!;
}

/**
 * Conditions on one rollup table: the org always, the buckets in [f.from, f.to) (or in any of
 * `ranges`), then the optional filters (key and customer: per-key tables only).
 */
function rollupWhere(table: Rollup, ctx: OrgContext, f: Filters, ranges?: { from: Date; to: Date }[]): SQL {
  const range = ranges ? or(...ranges.map((r) => timeRange(table, r.from, r.to))) : timeRange(table, f.from, f.to);
  return and(
    eq(table.organizationId, ctx.org.id),
    range,
    f.keyId && "keyId" in table ? eq(table.keyId, f.keyId) : undefined,
    f.customerId && "customerId" in table ? eq(table.customerId, f.customerId) : undefined,
    f.environment ? eq(table.environment, f.environment) : undefined,
    f.outcome ? eq(table.code, f.outcome) : undefined,
  )!;
}

const isoTime = (v: Date | string) => new Date(v).toISOString();
const isoDay = (v: Date | string) => `${String(v).slice(0, 10)}T00:00:00.000Z`;

/** The smallest per-key rollup that answers buckets of this size: minutes, hours, or days. */
function keyRollupFor(bucket: Granularity) {
  if (bucket === "minute") return { table: keyUsageMinute, time: keyUsageMinute.minute, iso: isoTime };
  if (bucket === "hour") return { table: keyUsageHour, time: keyUsageHour.hour, iso: isoTime };
  return { table: keyUsageDay, time: keyUsageDay.day, iso: isoDay };
}

/**
 * The rollup for these filters: per organization (a few rows a bucket, however many keys) unless a
 * key or a customer is asked for, which only the per-key rollups know.
 */
function rollupFor(bucket: Granularity, f: { keyId?: string; customerId?: string }) {
  if (f.keyId || f.customerId) return keyRollupFor(bucket);
  if (bucket === "minute") return { table: orgUsageMinute, time: orgUsageMinute.minute, iso: isoTime };
  if (bucket === "hour") return { table: orgUsageHour, time: orgUsageHour.hour, iso: isoTime };
  return { table: orgUsageDay, time: orgUsageDay.day, iso: isoDay };
}

/**
 * Verifications by time bucket and outcome for every bucket that overlaps [from, to) (`from` rounded
 * down, `to` up, to whole buckets), oldest first; buckets without verifications are left out. Minute buckets read the minute rollup, hour
 * and day buckets the hourly one (days are UTC).
 */
export async function verificationAnalytics(
  ctx: OrgContext,
  q: { from: Date; to: Date; bucket: Granularity; keyId?: string; customerId?: string; environment?: KeyEnvironment; outcome?: string },
): Promise<VerificationCount[]> {
  const step = BUCKET_MS[q.bucket];
  const f: Filters = { ...q, from: floorTo(q.from.getTime(), step), to: floorTo(q.to.getTime() + step - 1, step) };
  const { table, time, iso } = rollupFor(q.bucket, q);
  const rows = await getDb()
    .select({ time, outcome: table.code, count: sql<string>`sum(${table.count})` })
    .from(table)
    .where(rollupWhere(table, ctx, f))
    .groupBy(time, table.code)
    .orderBy(asc(time), asc(table.code));
  return rows.map((r) => ({ time: iso(r.time), outcome: r.outcome, count: Number(r.count) }));
}

// ---- The org dashboard ----

export const ANALYTICS_RANGES = { "24h": { days: 1, bucket: "hour" }, "7d": { days: 7, bucket: "hour" }, "30d": { days: 30, bucket: "day" }, "90d": { days: 90, bucket: "day" } } as const;
export type AnalyticsRange = keyof typeof ANALYTICS_RANGES;
export const ANALYTICS_RANGE_NAMES = Object.keys(ANALYTICS_RANGES) as [AnalyticsRange, ...AnalyticsRange[]];

/** The dashboard's state as it lives in the URL (parsePageQuery: anything invalid shows the default). */
export const analyticsPageQuerySchema = z.object({
  range: z.enum(ANALYTICS_RANGE_NAMES).default("7d"),
  key: id("key").optional(),
  environment: z.enum(KEY_ENVIRONMENTS).optional(),
  customer: id("cus").optional(),
});
export type AnalyticsPageQuery = z.infer<typeof analyticsPageQuerySchema>;

export type KeyVolume = { keyId: string; name: string | null; total: number; denied: number; mainFailure: string | null };
/** A chart over a range: every bucket of it, oldest first (zero-filled), with counts per outcome. */
export type UsageSeries = {
  from: string;
  to: string;
  bucket: Granularity;
  series: { time: string; counts: Record<string, number> }[];
  /** The outcomes present, in VERIFY_CODES order. */
  outcomes: string[];
};
export type OrgAnalytics = UsageSeries & {
  totals: { total: number; valid: number; denied: number };
  topKeys: KeyVolume[];
  mostDenied: KeyVolume[];
  environments: { environment: KeyEnvironment; total: number; denied: number }[];
};

/** The buckets a range shows at `now`: whole buckets, the one under way included (hours up to 7 days, days beyond). */
export function rangeWindow(range: AnalyticsRange, now: Date): { from: Date; to: Date; bucket: Granularity } {
  const { days, bucket } = ANALYTICS_RANGES[range];
  const step = BUCKET_MS[bucket];
  const to = floorTo(now.getTime(), step).getTime() + step;
  return { from: new Date(to - Math.round((days * DAY) / step) * step), to: new Date(to), bucket };
}

/** Sparse (time, outcome, count) rows as every bucket of [from, to). */
function denseSeries(rows: VerificationCount[], w: { from: Date; to: Date; bucket: Granularity }): UsageSeries {
  const step = BUCKET_MS[w.bucket];
  const buckets = new Map<string, Record<string, number>>();
  for (let t = w.from.getTime(); t < w.to.getTime(); t += step) buckets.set(new Date(t).toISOString(), {});
  for (const r of rows) {
    const b = buckets.get(r.time);
    if (b) b[r.outcome] = (b[r.outcome] ?? 0) + r.count;
  }
  return {
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    bucket: w.bucket,
    series: [...buckets].map(([time, counts]) => ({ time, counts })),
    outcomes: VERIFY_CODES.filter((c) => rows.some((r) => r.outcome === c)),
  };
}

/** A key's usage chart on its page: the dashboard's ranges and buckets, from that key's rollups. */
export async function keyUsageSeries(ctx: OrgContext, keyId: string, range: AnalyticsRange, now = new Date()): Promise<UsageSeries> {
  const w = rangeWindow(range, now);
  return denseSeries(await verificationAnalytics(ctx, { ...w, keyId }), w);
}

/** Everything the analytics page shows: hourly rollups for 24 h and 7 d, daily ones beyond (never raw rows). */
export async function orgAnalytics(ctx: OrgContext, q: AnalyticsPageQuery, now = new Date(), limit = 10): Promise<OrgAnalytics> {
  const w = rangeWindow(q.range, now);
  const f: Filters = { from: w.from, to: w.to, keyId: q.key, customerId: q.customer, environment: q.environment };
  const db = getDb();
  const { table: envTable } = rollupFor(w.bucket, f);
  const [series, perKey, perEnv] = await Promise.all([
    verificationAnalytics(ctx, { ...f, bucket: w.bucket }),
    perKeyCounts(ctx, f),
    db
      .select({ environment: envTable.environment, code: envTable.code, n: sql<string>`sum(${envTable.count})` })
      .from(envTable)
      .where(rollupWhere(envTable, ctx, f))
      .groupBy(envTable.environment, envTable.code),
  ]);

  // Per key and outcome (parts read whole and less a piece come with negative counts: add them all up first).
  const byKey = new Map<string, Map<string, number>>();
  for (const r of perKey) {
    const codes = byKey.get(r.keyId) ?? new Map<string, number>();
    codes.set(r.code, (codes.get(r.code) ?? 0) + Number(r.n));
    byKey.set(r.keyId, codes);
  }
  const keys = new Map<string, KeyVolume>();
  for (const [keyId, codes] of byKey) {
    const k: KeyVolume = { keyId, name: null, total: 0, denied: 0, mainFailure: null };
    let worst = 0;
    for (const [code, n] of codes) {
      k.total += n;
      if (code === "VALID" || n <= 0) continue;
      k.denied += n;
      if (n > worst || (n === worst && code < k.mainFailure!)) [worst, k.mainFailure] = [n, code];
    }
    if (k.total > 0) keys.set(keyId, k);
  }
  const topKeys = [...keys.values()].sort((a, b) => b.total - a.total || a.keyId.localeCompare(b.keyId)).slice(0, limit);
  const mostDenied = [...keys.values()]
    .filter((k) => k.denied > 0)
    .sort((a, b) => b.denied - a.denied || a.keyId.localeCompare(b.keyId))
    .slice(0, limit);
  const named = [...new Set([...topKeys, ...mostDenied].map((k) => k.keyId))];
  if (named.length) {
    const names = await db
      .select({ id: apiKeys.id, name: apiKeys.name })
      .from(apiKeys)
      .where(and(eq(apiKeys.organizationId, ctx.org.id), inArray(apiKeys.id, named)));
    const byId = new Map(names.map((n) => [n.id, n.name]));
    for (const k of keys.values()) k.name = byId.get(k.keyId) ?? null;
  }

  const envs = new Map<KeyEnvironment, { environment: KeyEnvironment; total: number; denied: number }>();
  for (const r of perEnv) {
    const e = envs.get(r.environment) ?? { environment: r.environment, total: 0, denied: 0 };
    e.total += Number(r.n);
    if (r.code !== "VALID") e.denied += Number(r.n);
    envs.set(r.environment, e);
  }
  const total = [...envs.values()].reduce((n, e) => n + e.total, 0);
  const denied = [...envs.values()].reduce((n, e) => n + e.denied, 0);
  return {
    ...denseSeries(series, w),
    totals: { total, valid: total - denied, denied },
    topKeys,
    mostDenied,
    environments: KEY_ENVIRONMENTS.map((e) => envs.get(e)).filter((e): e is NonNullable<typeof e> => !!e),
  };
}

const TILE_TABLES: Record<TileUnit, KeyRollup> = { week: keyUsageWeek, day: keyUsageDay, hour: keyUsageHour };

/**
 * Verifications per key and outcome over [from, to) (hour-aligned), from the pieces rollupTiles
 * gives. Rows read per key and outcome, on average (most): 24 h 7.7 (15), 7 d 10 (19), 30 d 6.4 (8),
 * 90 d 15 (17), where days and edge hours took 23, 29, 30 and 90. One query per rollup and sign;
 * rows of one key and outcome repeat, some negative (the caller adds them up).
 */
function perKeyCounts(ctx: OrgContext, f: Filters): Promise<{ keyId: string; code: string; n: number }[]> {
  const groups = new Map<string, { unit: TileUnit; sign: 1 | -1; ranges: { from: Date; to: Date }[] }>();
  // The real clock, not the caller's `now`: whether anything can lie after the range is a fact about the data.
  for (const t of rollupTiles(f.from.getTime(), f.to.getTime(), Date.now())) {
    const g = groups.get(`${t.unit}${t.sign}`) ?? { unit: t.unit, sign: t.sign, ranges: [] };
    g.ranges.push({ from: new Date(t.from), to: new Date(t.to) });
    groups.set(`${t.unit}${t.sign}`, g);
  }
  const db = getDb();
  return Promise.all(
    [...groups.values()].map(async ({ unit, sign, ranges }) => {
      const table = TILE_TABLES[unit];
      const rows = await db
        .select({ keyId: table.keyId, code: table.code, n: sql<string>`sum(${table.count})` })
        .from(table)
        .where(rollupWhere(table, ctx, f, ranges))
        .groupBy(table.keyId, table.code);
      return rows.map((r) => ({ keyId: r.keyId, code: r.code, n: sign * Number(r.n) }));
    }),
  ).then((rows) => rows.flat());
}

/** The keys offered by the dashboard's key filter: the org's first `limit` by name, plus `selected` when it is further down. */
export async function analyticsKeyOptions(ctx: OrgContext, selected?: string, limit = 500): Promise<{ id: string; name: string }[]> {
  const db = getDb();
  const options = await db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.organizationId, ctx.org.id)).orderBy(asc(apiKeys.name)).limit(limit);
  if (selected && !options.some((o) => o.id === selected)) {
    const [key] = await db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(and(eq(apiKeys.organizationId, ctx.org.id), eq(apiKeys.id, selected)));
    if (key) options.push(key);
  }
  return options;
}

/** The customers offered by the dashboard's customer filter: the org's first `limit` by name, plus `selected` when it is further down. */
export async function analyticsCustomerOptions(ctx: OrgContext, selected?: string, limit = 500): Promise<{ id: string; name: string }[]> {
  const db = getDb();
  const options = await db.select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.organizationId, ctx.org.id)).orderBy(asc(customers.name)).limit(limit);
  if (selected && !options.some((o) => o.id === selected)) {
    const [customer] = await db
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(and(eq(customers.organizationId, ctx.org.id), eq(customers.id, selected)));
    if (customer) options.push(customer);
  }
  return options;
}

export type CustomerUsage = { last24h: { total: number; denied: number }; last30d: OrgAnalytics };

/**
 * A customer's usage for its page: verifications of its keys in the last 24 hours (hourly rollups)
 * and the last 30 days by day with its busiest and most-denied keys (daily rollups). Counts follow
 * the customer a key had when it was verified. The caller has checked that the customer is ctx.org's.
 */
export async function customerUsage(ctx: OrgContext, customerId: string, now = new Date()): Promise<CustomerUsage> {
  const [day, last30d] = await Promise.all([
    verificationAnalytics(ctx, { from: new Date(now.getTime() - DAY), to: now, bucket: "hour", customerId }),
    orgAnalytics(ctx, { range: "30d", customer: customerId }, now, 5),
  ]);
  const total = day.reduce((n, r) => n + r.count, 0);
  const denied = day.reduce((n, r) => n + (r.outcome === "VALID" ? 0 : r.count), 0);
  return { last24h: { total, denied }, last30d };
}
