// `npm run seed:usage`: a throwaway PostgreSQL database with one busy key (5,000,000 request-log
// rows over 29 days by default) and 24 quieter keys, the matching rollups filled by INSERT…SELECT
// (what the usage writer would have written), then p50/p95 of the queries behind the key page, the
// keys table and the analytics page, the time to drop one day's partition, and the usage writer's
// rate with rollups on. Not a test: it prints figures for the README. Options:
//   --rows 5000000 --days 29 --runs 20 --keep   (SEED_DATABASE_URL / DATABASE_URL: the server to use)
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "5000000" }, days: { type: "string", default: "29" }, runs: { type: "string", default: "20" }, keep: { type: "boolean", default: false } },
});
const ROWS = Number(values.rows);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);
const DAY = 86_400_000;
const base = process.env.SEED_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `latchkey_seed_usage_${randomBytes(4).toString("hex")}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const url = new URL(base);
url.pathname = `/${dbName}`;
process.env.DATABASE_URL = url.toString();

// Imported after DATABASE_URL points at the new database (the db module reads it on first use).
const { closeDb, postgresClient } = await import("../lib/db");
const { migrateDatabase } = await import("../lib/db/migrate");
const { signUp } = await import("../lib/auth/accounts");
const { resolveOrgContext, listOrganizationsForUser } = await import("../lib/orgs/organizations");
const { createKey } = await import("../lib/keys/lifecycle");
const { keyListQuerySchema, listKeys } = await import("../lib/keys/queries");
const { keyPermissionUsage } = await import("../lib/keys/permission-usage");
const { listRequestLog, usageLast24h } = await import("../lib/verify/usage-queries");
const { maintainUsageStorage } = await import("../lib/verify/usage-partitions");
const { flushUsage, recordUsage } = await import("../lib/verify/usage");
const { keyUsageSeries, orgAnalytics, verificationAnalytics } = await import("../lib/analytics/verifications");

const log = (s: string) => console.log(`[seed:usage] ${s}`);
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
try {
  log(`database ${dbName}`);
  await migrateDatabase();
  const user = await signUp({ name: "Usage Seed", email: "usage-seed@example.com", password: "seed-password-123" }, null);
  const [org] = await listOrganizationsForUser(user.id);
  const ctx = await resolveOrgContext({ userId: user.id, label: "usage-seed@example.com", ip: null }, org.slug);
  const hot = (await createKey(ctx, { name: "busy integration", permissions: ["keys:read", "keys:verify"] })).key;
  const others = [];
  for (let i = 0; i < 24; i++) others.push((await createKey(ctx, { name: `quiet ${i}`, environment: i % 2 ? "staging" : "production" })).key);

  // A partition for every day of the data (the hourly job would have made them as the days came).
  await maintainUsageStorage({ retentionDays: 3650, rollupRetentionDays: 3650, now: new Date(Date.now() - (DAYS + 1) * DAY), daysAhead: DAYS + 4 });
  const sql = postgresClient()!;
  await sql.unsafe(`
    insert into key_request_log (key_id, organization_id, at, code, ip, method, path)
    select '${hot.id}', '${org.id}', now() - (i * interval '${DAYS} days' / ${ROWS}),
      case when i % 50 = 0 then 'RATE_LIMITED' when i % 97 = 0 then 'INSUFFICIENT_PERMISSIONS' else 'VALID' end,
      '203.0.113.' || (i % 200), 'GET', '/v1/customers/' || (i % 1000)
    from generate_series(1, ${ROWS}) i`);
  await sql.unsafe(`
    insert into key_request_log (key_id, organization_id, at, code)
    select (array[${others.map((k) => `'${k.id}'`).join(",")}])[1 + i % 24], '${org.id}', now() - (i * interval '${DAYS} days' / 200000), case when i % 7 = 0 then 'RULE_DENIED' else 'VALID' end
    from generate_series(1, 200000) i`);
  log(`${ROWS + 200_000} raw rows in ${elapsed()}`);
  // The rollups the writer would have written beside them (same tables, same UTC buckets).
  await sql.unsafe(`
    insert into key_usage_minute (minute, key_id, code, organization_id, environment, count)
    select date_trunc('minute', l.at, 'UTC'), l.key_id, l.code, l.organization_id, k.environment, count(*)
    from key_request_log l join api_key k on k.id = l.key_id group by 1, 2, 3, 4, 5`);
  await sql.unsafe(`
    insert into key_usage_hour (hour, key_id, code, organization_id, environment, count)
    select date_trunc('hour', minute, 'UTC'), key_id, code, organization_id, environment, sum(count) from key_usage_minute group by 1, 2, 3, 4, 5`);
  await sql.unsafe(`
    insert into key_usage_day (day, key_id, code, organization_id, environment, count)
    select (hour at time zone 'UTC')::date, key_id, code, organization_id, environment, sum(count) from key_usage_hour group by 1, 2, 3, 4, 5`);
  await sql.unsafe(`
    insert into key_usage_week (week, key_id, code, organization_id, environment, count)
    select date_trunc('week', day::timestamp)::date, key_id, code, organization_id, environment, sum(count) from key_usage_day group by 1, 2, 3, 4, 5`);
  for (const unit of ["minute", "hour", "day"])
    await sql.unsafe(`
    insert into org_usage_${unit} (${unit}, organization_id, environment, code, count)
    select ${unit}, organization_id, environment, code, sum(count) from key_usage_${unit} group by 1, 2, 3, 4`);
  // One verification in three named keys:read.
  await sql.unsafe(`
    insert into key_permission_usage_day (key_id, day, permission, organization_id, count, last_used_at)
    select key_id, (at at time zone 'UTC')::date, 'keys:read', organization_id, count(*) filter (where id % 3 = 0), max(at)
    from key_request_log where key_id = '${hot.id}' group by 1, 2, 4`);
  await sql.unsafe(`vacuum analyze`);
  log(`rollups filled and analyzed, ${elapsed()}`);
  const [{ minutes, hours, days }] = await sql<{ minutes: string; hours: string; days: string }[]>`select (select count(*) from key_usage_minute) as minutes, (select count(*) from key_usage_hour) as hours, (select count(*) from key_usage_day) as days`;
  log(`rollup rows: ${minutes} per minute, ${hours} per hour, ${days} per day`);

  const timings: [string, number, number][] = [];
  async function time(label: string, fn: () => Promise<unknown>) {
    await fn(); // warm up
    const ms: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    const p50 = ms[Math.floor(RUNS * 0.5)];
    const p95 = ms[Math.min(RUNS - 1, Math.ceil(RUNS * 0.95) - 1)];
    timings.push([label, p50, p95]);
    log(`${label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
  }
  const now = () => new Date();
  for (const [range, hoursBack] of [["24h", 24], ["7d", 168], ["30d", 720]] as const) {
    // What the key page runs for its usage card: the chart, a page of the raw log and its total.
    await time(`key page ${range}: chart + log page + total`, () => {
      const since = new Date(Date.now() - hoursBack * 3600_000);
      return Promise.all([keyUsageSeries(ctx, hot.id, range), listRequestLog(hot.id, { page: 1, perPage: 25, since })]);
    });
  }
  await time("key page: permissions used in 30 days", () => keyPermissionUsage(ctx, hot.id, now()));
  await time("keys table: 25 keys + 24 h usage column", async () => {
    const { rows } = await listKeys(ctx, keyListQuerySchema.parse({}));
    return usageLast24h(rows.map((r) => r.id));
  });
  await time("keys table: sorted by last used + 24 h usage column", async () => {
    const { rows } = await listKeys(ctx, keyListQuerySchema.parse({ sort: "lastUsedAt" }));
    return usageLast24h(rows.map((r) => r.id));
  });
  for (const range of ["24h", "7d", "30d", "90d"] as const) await time(`analytics page ${range}`, () => orgAnalytics(ctx, { range }));
  await time("analytics page 30d, one key", () => orgAnalytics(ctx, { range: "30d", key: hot.id }));
  await time("analytics API: one key, 24 h by minute", () => verificationAnalytics(ctx, { from: new Date(Date.now() - DAY), to: now(), bucket: "minute", keyId: hot.id }));
  await time("analytics API: org, 90 d by day", () => verificationAnalytics(ctx, { from: new Date(Date.now() - 90 * DAY), to: now(), bucket: "day" }));

  // Retention: the oldest days (the first one partial, the next one whole) go as one DROP TABLE each.
  const retentionDays = DAYS - 2;
  const cutoffDay = new Date(Date.now() - retentionDays * DAY - DAY).toISOString().slice(0, 10);
  const [{ n: doomed }] = await sql<{ n: string }[]>`select count(*)::text as n from key_request_log where at < ${cutoffDay}::date + 1`;
  const t = performance.now();
  const dropped = await maintainUsageStorage({ retentionDays, rollupRetentionDays: 400 });
  log(`retention dropped ${dropped.dropped.join(", ")} (${doomed} rows) in ${(performance.now() - t).toFixed(1)} ms`);

  // The usage writer with rollups on: 200,000 entries over 50 keys, flushed in batches of 5,000.
  const keys = [hot, ...others];
  const N = 200_000;
  const start = Date.now();
  for (let i = 0; i < N; i++) {
    const k = keys[i % keys.length];
    recordUsage({ keyId: k.id, organizationId: k.organizationId, environment: k.environment, atMs: start + Math.floor(i / 20), code: i % 10 ? "VALID" : "RATE_LIMITED", permissions: i % 3 ? null : ["keys:read"], ip: "192.0.2.1", method: "GET", path: `/v1/x/${i % 100}` });
  }
  const w = performance.now();
  await flushUsage();
  const s = (performance.now() - w) / 1000;
  log(`usage writer with rollups: ${N} rows in ${s.toFixed(2)} s = ${Math.round(N / s)} rows/s`);
  console.log("\n| query | p50 | p95 |\n|---|---:|---:|");
  for (const [label, p50, p95] of timings) console.log(`| ${label} | ${p50.toFixed(1)} ms | ${p95.toFixed(1)} ms |`);
} finally {
  await closeDb();
  if (!values.keep) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  else log(`kept ${dbName}`);
  await admin.end();
}
