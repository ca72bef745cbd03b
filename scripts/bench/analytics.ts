// `npm run bench:analytics`: usage analytics at volume. A fresh PostgreSQL database
// (latchkey_bench_<random>, dropped at the end unless --keep) gets one organization with 10,000 keys,
// 1,000 of which have 20,000,000 request-log rows over 90 days between them (one hot key with a
// quarter of them), loaded in bulk (INSERT … SELECT generate_series, a few days at a time) together
// with the rollups the usage writer would have written for them (the same tables, buckets and
// columns — per key with its organization, environment and customer, and per organization —
// aggregated from the loaded rows). Then p50/p95 of repeated runs of the real functions the
// pages and the API call, the time the real retention job takes to drop one day's partition, and the
// usage writer's rate with rollups on, through its real path (recordUsage + flush). Not a test: it
// prints figures for the README. Options (defaults in brackets):
//   --rows [20000000] --keys [1000] --org-keys [10000] --days [90] --runs [20]
//   --writer-rows [200000] --keep   (BENCH_DATABASE_URL / DATABASE_URL: the server to use)
//   --db latchkey_bench_xxxx: time again against a database kept by --keep (no seeding; kept again)
// A quick run: npm run bench:analytics -- --rows 2000000 --runs 10
import os from "node:os";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "20000000" },
    keys: { type: "string", default: "1000" },
    "org-keys": { type: "string", default: "10000" },
    days: { type: "string", default: "90" },
    runs: { type: "string", default: "20" },
    "writer-rows": { type: "string", default: "200000" },
    keep: { type: "boolean", default: false },
    db: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const HOT_ROWS = Math.floor(ROWS / 4);
const QUIET_ROWS = ROWS - HOT_ROWS;
const ACTIVE_KEYS = Number(values.keys); // the hot key included
const ORG_KEYS = Math.max(Number(values["org-keys"]), ACTIVE_KEYS);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);
const WRITER_ROWS = Number(values["writer-rows"]);
const CUSTOMERS = 100;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const reuse = values.db;
if (reuse !== undefined && !/^latchkey_bench_[0-9a-f]{8}$/.test(reuse)) throw new Error("--db takes a database kept by --keep (latchkey_bench_xxxxxxxx)");
const dbName = reuse ?? `latchkey_bench_${randomBytes(4).toString("hex")}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
if (!reuse) await admin.unsafe(`create database ${dbName}`);
const url = new URL(base);
url.pathname = `/${dbName}`;
process.env.DATABASE_URL = url.toString();

// Imported after DATABASE_URL points at the new database (the db module reads it on first use).
const { and, eq } = await import("drizzle-orm");
const { apiKeys, closeDb, customers, getDb, postgresClient } = await import("../../lib/db");
const { migrateDatabase } = await import("../../lib/db/migrate");
const { signUp } = await import("../../lib/auth/accounts");
const { resolveOrgContext, listOrganizationsForUser } = await import("../../lib/orgs/organizations");
const { createKey } = await import("../../lib/keys/lifecycle");
const { generateToken, hashToken, parseToken } = await import("../../lib/keys/token");
const { newId } = await import("../../lib/ids");
const { listKeysOp } = await import("../../lib/keys/operations");
const { keyPermissionUsage } = await import("../../lib/keys/permission-usage");
const { listRequestLog, usageLast24h } = await import("../../lib/verify/usage-queries");
const { maintainUsageStorage } = await import("../../lib/verify/usage-partitions");
const { flushUsage, recordUsage } = await import("../../lib/verify/usage");
const { analyticsKeyOptions, customerUsage, keyUsageSeries, orgAnalytics } = await import("../../lib/analytics/verifications");
const { verificationAnalyticsOp } = await import("../../lib/analytics/operations");
const { restRoute } = await import("../../lib/api/with-api-key");
const { parsePageQuery } = await import("../../lib/ops/operation");

const log = (s: string) => console.log(`[bench:analytics] ${s}`);
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
const results: { label: string; p50: number; p95: number; target?: string; met?: boolean }[] = [];
try {
  await migrateDatabase();
  const db = getDb();
  const sql = postgresClient()!;
  const ENVS = ["production", "staging", "development"] as const;
  type QuietKey = { id: string; environment: (typeof ENVS)[number]; customerId: string | null };
  const email = "analytics-bench@example.com";
  const { org, ctx, hot, quiet, customerIds } = reuse ? await reopen() : await seed();
  const reader = await createKey(ctx, { name: `analytics reader ${randomBytes(3).toString("hex")}`, permissions: ["analytics:read"] });

  /** The kept database's organization and keys, as seed() left them. */
  async function reopen() {
    log(`database ${dbName} (kept earlier: timings only)`);
    const [u] = await sql<{ id: string }[]>`select id from "user" where email = ${email}`;
    const [org] = await listOrganizationsForUser(u.id);
    const ctx = await resolveOrgContext({ userId: u.id, label: email, ip: null }, org.slug);
    const [hot] = await db.select().from(apiKeys).where(and(eq(apiKeys.organizationId, org.id), eq(apiKeys.name, "busy integration")));
    const quiet = await sql<QuietKey[]>`select id, environment, customer_id as "customerId" from api_key where organization_id = ${org.id} and name like 'key %' and last_used_at is not null order by name`;
    const customerIds = (await sql<{ id: string }[]>`select id from customer where organization_id = ${org.id} order by name`).map((r) => r.id);
    return { org, ctx, hot, quiet, customerIds };
  }

  async function seed() {
  log(`database ${dbName}: ${ROWS.toLocaleString()} rows over ${DAYS} days, ${ACTIVE_KEYS} keys with traffic of ${ORG_KEYS} in the organization`);
  const user = await signUp({ name: "Analytics Bench", email, password: "bench-password-123" }, null);
  const [org] = await listOrganizationsForUser(user.id);
  const ctx = await resolveOrgContext({ userId: user.id, label: email, ip: null }, org.slug);

  // Customers, then the keys: the hot one and an analytics:read key through the domain, the rest in bulk
  // (as scripts/bench/seed-tokens.ts does). Keys 0..ACTIVE_KEYS-2 have traffic; two in three have a customer.
  const customerIds = Array.from({ length: CUSTOMERS }, () => newId("cus"));
  await db.insert(customers).values(customerIds.map((id, i) => ({ id, organizationId: org.id, externalId: `ext-${i}`, name: `Customer ${String(i).padStart(3, "0")}` })));
  const hot = (await createKey(ctx, { name: "busy integration", permissions: ["keys:read", "keys:verify"], customerId: customerIds[0] })).key;
  const quiet: QuietKey[] = [];
  const bulk = ORG_KEYS - 2;
  for (let i = 0; i < bulk; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(bulk, i + 1000); j++) {
      const environment = ENVS[j % 3];
      const token = generateToken("secret", environment);
      const p = parseToken(token)!;
      const customerId = j % 3 === 2 ? null : customerIds[j % CUSTOMERS];
      const row = { id: newId("key"), organizationId: org.id, ownerId: user.id, createdById: user.id, name: `key ${String(j).padStart(5, "0")}`, type: "secret" as const, environment, prefix: p.prefix, last4: p.last4, hash: hashToken(token), permissions: ["keys:read"], customerId };
      rows.push(row);
      if (j < ACTIVE_KEYS - 1) quiet.push(row);
    }
    await db.insert(apiKeys).values(rows);
  }
  log(`${ORG_KEYS} keys, ${CUSTOMERS} customers (${elapsed()})`);

  // A partition for every day of the data (the hourly job makes them as the days come).
  await maintainUsageStorage({ retentionDays: 3650, rollupRetentionDays: 3650, now: new Date(Date.now() - (DAYS + 1) * DAY), daysAhead: DAYS + 4 });
  // The bulk load, a few days at a time. The raw log's two indexes are built after the load (faster
  // than maintaining them row by row) under the names and definitions of migration 0005.
  await sql.unsafe(`alter table key_request_log drop constraint key_request_log_id_at_pk`);
  await sql.unsafe(`drop index key_request_log_key_at_idx`);
  const nowIso = new Date().toISOString();
  const quietIds = `array[${quiet.map((k) => `'${k.id}'`).join(",")}]`;
  const CHUNK_DAYS = 10;
  for (let d = 0; d < DAYS; d += CHUNK_DAYS) {
    const span = Math.min(CHUNK_DAYS, DAYS - d);
    // Row i of n lies i/n of the way back from now over the whole period; this chunk takes its share.
    const chunk = (n: number) => [Math.floor((n * d) / DAYS) + 1, Math.floor((n * (d + span)) / DAYS)];
    const [h1, h2] = chunk(HOT_ROWS);
    const [q1, q2] = chunk(QUIET_ROWS);
    await sql.begin(async (tx) => {
      await tx.unsafe(`set local synchronous_commit = off`);
      await tx.unsafe(`
        insert into key_request_log (key_id, organization_id, at, code, ip, method, path)
        select '${hot.id}', '${org.id}', '${nowIso}'::timestamptz - (i * interval '${DAYS} days' / ${HOT_ROWS}),
          case when i % 50 = 0 then 'RATE_LIMITED' when i % 97 = 0 then 'INSUFFICIENT_PERMISSIONS' else 'VALID' end,
          '203.0.113.' || (i % 200), 'GET', '/v1/customers/' || (i % 1000)
        from generate_series(${h1}::bigint, ${h2}) i`);
      if (quiet.length)
        await tx.unsafe(`
        insert into key_request_log (key_id, organization_id, at, code, ip, method, path)
        select (${quietIds})[1 + (i * 7919) % ${quiet.length}], '${org.id}', '${nowIso}'::timestamptz - (i * interval '${DAYS} days' / ${QUIET_ROWS}),
          case when i % 13 = 0 then 'RULE_DENIED' when i % 31 = 0 then 'EXPIRED' when i % 37 = 0 then 'USAGE_EXCEEDED' else 'VALID' end,
          '198.51.100.' || (i % 250), 'POST', '/v1/orders'
        from generate_series(${q1}::bigint, ${q2}) i`);
    });
    log(`raw rows: days ${d}–${d + span} of ${DAYS} loaded (${elapsed()})`);
  }
  await sql.unsafe(`alter table key_request_log add constraint key_request_log_id_at_pk primary key (id, at)`);
  await sql.unsafe(`create index key_request_log_key_at_idx on key_request_log using btree (key_id, at)`);
  log(`raw log indexed (${elapsed()})`);

  // The rollups the writer would have written beside them: per minute with the key's organization,
  // environment and customer (lib/verify/usage-rollups.ts), hours and days from the minutes. Rows go
  // in time order, as the writer adds them: a bulk load in hash order would scatter one hour's rows
  // over the whole table, which the writer never does (that alone made the 24 h queries 5x slower).
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local work_mem = '256MB'`);
    await tx.unsafe(`set local synchronous_commit = off`);
    for (let d = 0; d < DAYS + 1; d += CHUNK_DAYS) {
      const from = `'${nowIso}'::timestamptz - interval '${DAYS + 1 - d} days'`;
      const to = `'${nowIso}'::timestamptz - interval '${Math.max(0, DAYS + 1 - d - CHUNK_DAYS)} days'`;
      // Chunk edges fall on whole minutes so no minute is split between two chunks.
      await tx.unsafe(`
        insert into key_usage_minute (minute, key_id, code, organization_id, environment, customer_id, count)
        select date_trunc('minute', l.at, 'UTC'), l.key_id, l.code, l.organization_id, k.environment, k.customer_id, count(*)
        from key_request_log l join api_key k on k.id = l.key_id
        where l.at >= date_trunc('minute', ${from}, 'UTC') and l.at < ${d + CHUNK_DAYS >= DAYS + 1 ? "'infinity'" : `date_trunc('minute', ${to}, 'UTC')`}
        group by 1, 2, 3, 4, 5, 6 order by 1`);
      log(`minute rollups: days ${d}–${Math.min(DAYS + 1, d + CHUNK_DAYS)} (${elapsed()})`);
    }
    await tx.unsafe(`
      insert into key_usage_hour (hour, key_id, code, organization_id, environment, customer_id, count)
      select date_trunc('hour', minute, 'UTC'), key_id, code, organization_id, environment, customer_id, sum(count) from key_usage_minute group by 1, 2, 3, 4, 5, 6 order by 1`);
    await tx.unsafe(`
      insert into key_usage_day (day, key_id, code, organization_id, environment, customer_id, count)
      select (hour at time zone 'UTC')::date, key_id, code, organization_id, environment, customer_id, sum(count) from key_usage_hour group by 1, 2, 3, 4, 5, 6 order by 1`);
    await tx.unsafe(`
      insert into key_usage_week (week, key_id, code, organization_id, environment, customer_id, count)
      select date_trunc('week', day::timestamp)::date, key_id, code, organization_id, environment, customer_id, sum(count) from key_usage_day group by 1, 2, 3, 4, 5, 6 order by 1`);
    // The per-organization rollups beside them (the writer's org_usage_* upserts).
    for (const unit of ["minute", "hour", "day"])
      await tx.unsafe(`
        insert into org_usage_${unit} (${unit}, organization_id, environment, code, count)
        select ${unit}, organization_id, environment, code, sum(count) from key_usage_${unit} group by 1, 2, 3, 4 order by 1`);
    // One verification of the hot key in three named keys:read (the permission panel).
    await tx.unsafe(`
      insert into key_permission_usage_day (key_id, day, permission, organization_id, count, last_used_at)
      select key_id, (at at time zone 'UTC')::date, 'keys:read', organization_id, count(*) filter (where id % 3 = 0), max(at)
      from key_request_log where key_id = '${hot.id}' group by 1, 2, 4`);
    // Last used, as the writer's once-a-second update leaves it.
    await tx.unsafe(`
      update api_key set last_used_at = u.at, last_used_ip = '198.51.100.1'
      from (select key_id, max(minute) + interval '59 seconds' as at from key_usage_minute group by key_id) u where api_key.id = u.key_id`);
  });
  await sql.unsafe(`vacuum analyze`);
  const [sizes] = await sql<{ raw: string; minutes: string; hours: string; days: string; size: string }[]>`
    select (select count(*) from key_request_log)::text as raw, (select count(*) from key_usage_minute)::text as minutes,
      (select count(*) from key_usage_hour)::text as hours, (select count(*) from key_usage_day)::text as days,
      pg_size_pretty(pg_database_size(current_database())) as size`;
  log(`loaded and analyzed (${elapsed()}): ${Number(sizes.raw).toLocaleString()} raw rows; rollups ${Number(sizes.minutes).toLocaleString()} minute, ${Number(sizes.hours).toLocaleString()} hour, ${Number(sizes.days).toLocaleString()} day rows; ${sizes.size}`);
  return { org, ctx, hot, quiet, customerIds };
  }

  async function time(label: string, fn: () => Promise<unknown>, target = 100) {
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
    results.push({ label, p50, p95, target: `p95 ≤ ${target} ms`, met: p95 <= target });
    log(`${label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms${p95 > target ? "  (over target)" : ""}`);
  }

  // The key page as its page runs it: the usage chart (per hour up to 7 days, per day beyond), a page
  // of its log with the total, and the permission panel.
  const keyPage = (keyId: string, range: "24h" | "7d" | "30d" | "90d", hours: number) => {
    const now = new Date();
    const since = new Date(now.getTime() - hours * HOUR);
    return Promise.all([keyUsageSeries(ctx, keyId, range, now), listRequestLog(keyId, { page: 1, perPage: 25, since })]);
  };
  for (const [range, hours] of [["24h", 24], ["7d", 168], ["30d", 720], ["90d", 2160]] as const) {
    await time(`key page ${range}, hot key: chart + log page + total`, () => keyPage(hot.id, range, hours));
  }
  await time("key page 30d, a quiet key: chart + log page + total", () => keyPage(quiet[0].id, "30d", 720));
  await time("key page: permissions used in 30 days", () => keyPermissionUsage(ctx, hot.id, new Date()));

  // The keys table as its page runs it: the list operation, then the 24 h column for that page.
  const keysPage = async (raw: Record<string, string>) => {
    const query = parsePageQuery(listKeysOp.input.query, raw);
    const { rows } = await listKeysOp.handler(ctx, { query, params: {}, body: {} });
    return usageLast24h(rows.map((r) => r.id));
  };
  await time(`keys table (${ORG_KEYS.toLocaleString()} keys): first page + 24 h column`, () => keysPage({}));
  await time(`keys table (${ORG_KEYS.toLocaleString()} keys): sorted by last used + 24 h column`, () => keysPage({ sort: "lastUsedAt", dir: "desc" }));
  await time(`keys table: 100 per page, sorted by last used + 24 h column`, () => keysPage({ sort: "lastUsedAt", dir: "desc", perPage: "100" }));

  // The org dashboard (everything the analytics page awaits).
  for (const range of ["24h", "7d", "30d", "90d"] as const) await time(`analytics page ${range}`, () => Promise.all([orgAnalytics(ctx, { range }), analyticsKeyOptions(ctx)]));
  await time("analytics page 30d, hot key", () => Promise.all([orgAnalytics(ctx, { range: "30d", key: hot.id }), analyticsKeyOptions(ctx, hot.id)]));
  await time("analytics page 7d, staging", () => Promise.all([orgAnalytics(ctx, { range: "7d", environment: "staging" }), analyticsKeyOptions(ctx)]));
  await time("analytics page 7d, one customer", () => Promise.all([orgAnalytics(ctx, { range: "7d", customer: customerIds[1] }), analyticsKeyOptions(ctx)]));
  await time("customer page: usage (24 h, 30 d by day)", () => customerUsage(ctx, customerIds[1]));
  await time("customer page: usage of the hot key's customer", () => customerUsage(ctx, customerIds[0]));

  // The analytics API through its REST binding (key verification, parsing, the query, JSON).
  const api = restRoute(verificationAnalyticsOp);
  const call = async (query: string) => {
    const res = await api(new Request(`http://latchkey.bench/api/v1/analytics/verifications?${query}`, { headers: { authorization: `Bearer ${reader.token}` } }), { params: Promise.resolve({}) });
    if (res.status !== 200) throw new Error(`analytics API answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  await time("analytics API: organization, 24 h by hour", () => call(""));
  // Large answers: 1,440 buckets (24 hours by minute, 60 days by hour), and the largest the API
  // allows, 10,080 minutes (7 days by minute) × each outcome.
  await time("analytics API: hot key, 24 h by minute", () => call(`granularity=minute&keyId=${hot.id}`));
  await time("analytics API: organization, 24 h by minute", () => call(`granularity=minute`));
  await time("analytics API: organization, 60 d by hour", () => call(`granularity=hour&from=${iso(Date.now() - 60 * DAY + 60_000)}`));
  await time("analytics API: hot key, 7 d by minute", () => call(`granularity=minute&keyId=${hot.id}&from=${iso(Date.now() - 7 * DAY + 60_000)}`));
  await time("analytics API: organization, 7 d by minute", () => call(`granularity=minute&from=${iso(Date.now() - 7 * DAY + 60_000)}`));
  await time("analytics API: organization, 90 d by day", () => call(`granularity=day&from=${iso(Date.now() - 90 * DAY)}`));
  await time("analytics API: one customer, 30 d by hour", () => call(`customerId=${customerIds[1]}&from=${iso(Date.now() - 30 * DAY)}`));

  // Retention through the hourly job's function: each call drops the oldest day's partition.
  const drops: number[] = [];
  for (let i = 0; i < 5; i++) {
    const retentionDays = DAYS - 1 - i;
    const t = performance.now();
    const report = await maintainUsageStorage({ retentionDays, rollupRetentionDays: 400 });
    drops.push(performance.now() - t);
    log(`retention (${retentionDays} days) dropped ${report.dropped.join(", ") || "nothing"} in ${drops.at(-1)!.toFixed(1)} ms`);
  }
  drops.sort((a, b) => a - b);
  results.push({ label: "retention job: drop one day's partition (5 runs)", p50: drops[2], p95: drops[4], target: "≤ 1,000 ms", met: drops[4] <= 1000 });

  // The usage writer with rollups on: entries for every active key, flushed by the real path
  // (COPY + rollup upsert per batch of up to 50,000 in one transaction). Three rounds.
  const writerKeys = [hot, ...quiet].map((k) => ({ id: k.id, environment: k.environment, customerId: k.customerId ?? null }));
  const rates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const start = Date.now();
    for (let i = 0; i < WRITER_ROWS; i++) {
      const k = writerKeys[i % 4 === 0 ? 0 : 1 + (i % (writerKeys.length - 1 || 1))] ?? writerKeys[0];
      recordUsage({ keyId: k.id, organizationId: org.id, environment: k.environment, customerId: k.customerId, atMs: start + Math.floor(i / 30), code: i % 10 ? "VALID" : "RATE_LIMITED", permissions: i % 3 ? null : ["keys:read"], ip: "192.0.2.1", method: "GET", path: `/v1/x/${i % 100}` });
    }
    const w = performance.now();
    await flushUsage();
    const s = (performance.now() - w) / 1000;
    rates.push(WRITER_ROWS / s);
    log(`usage writer with rollups: ${WRITER_ROWS.toLocaleString()} rows over ${writerKeys.length} keys in ${s.toFixed(2)} s = ${Math.round(WRITER_ROWS / s).toLocaleString()} rows/s`);
  }
  rates.sort((a, b) => a - b);

  console.log(`\n${ROWS.toLocaleString()} raw rows over ${DAYS} days, ${ACTIVE_KEYS} keys with traffic (hot key ${HOT_ROWS.toLocaleString()}), ${ORG_KEYS.toLocaleString()} keys in the organization; ${RUNS} runs each`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; ${new Date().toISOString().slice(0, 10)}`);
  console.log("\n| what | p50 | p95 | target |\n|---|---:|---:|---|");
  for (const r of results) console.log(`| ${r.label} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.target}${r.met ? "" : " — **unmet**"} |`);
  const minRate = rates[0];
  console.log(`| usage writer with rollups, rows/s (3 rounds: min / median / max) | ${Math.round(rates[1]).toLocaleString()} | min ${Math.round(minRate).toLocaleString()}, max ${Math.round(rates[2]).toLocaleString()} | ≥ 30,000 rows/s${rates[1] >= 30_000 ? "" : " — **unmet**"} |`);
} finally {
  await closeDb();
  if (!values.keep && !reuse) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  else log(`kept ${dbName}`);
  await admin.end();
}
