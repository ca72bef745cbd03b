import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { createKey } from "@/lib/keys/lifecycle";
import { makeTeam, uniq } from "@/test/factories";
import { flushUsage, MAX_BUFFERED, recordUsage, usageStats, type UsageEntry } from "./usage";
import { listRequestLog, usageLast24h } from "./usage-queries";
import { keyUsageSeries } from "@/lib/analytics/verifications";
import { listRequestLogPartitions, maintainUsageStorage } from "./usage-partitions";

const DAY = 86_400_000;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await getDb().execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(res) ? res : res.rows;
}

/** "key|bucket|code" → count, from the raw log and from a rollup table, for the given keys. */
async function rawVsRollup(keyIds: string[], unit: "minute" | "hour" | "day" | "week") {
  const ids = sql.join(keyIds.map((k) => sql`${k}`), sql`, `);
  const raw = await rows<{ k: string; b: string; c: string; n: string }>(
    sql`select key_id as k, to_char(date_trunc(${unit}, at, 'UTC') at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as b, code as c, count(*)::text as n
        from key_request_log where key_id in (${ids}) group by 1, 2, 3`,
  );
  const table = sql.raw(`key_usage_${unit}`);
  const col = sql.raw(unit);
  const rolled = await rows<{ k: string; b: string; c: string; n: string }>(
    sql`select key_id as k, to_char(${unit === "day" || unit === "week" ? col : sql`${col} at time zone 'UTC'`}, 'YYYY-MM-DD HH24:MI') as b, code as c, count::text as n from ${table} where key_id in (${ids})`,
  );
  const asMap = (xs: typeof raw) => Object.fromEntries(xs.map((r) => [`${r.k}|${r.b}|${r.c}`, Number(r.n)]));
  return { raw: asMap(raw), rolled: asMap(rolled) };
}

/** "bucket|environment|code" → count for an organization: from the raw log (joined to its keys) and from its org_usage_* rollup. */
async function orgRaw(orgId: string, unit: "minute" | "hour" | "day") {
  const raw = await rows<{ b: string; e: string; c: string; n: string }>(
    sql`select to_char(date_trunc(${unit}, l.at, 'UTC') at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as b, k.environment as e, l.code as c, count(*)::text as n
        from key_request_log l join api_key k on k.id = l.key_id where l.organization_id = ${orgId} group by 1, 2, 3`,
  );
  return Object.fromEntries(raw.map((r) => [`${r.b}|${r.e}|${r.c}`, Number(r.n)]));
}
async function orgRollup(orgId: string, unit: "minute" | "hour" | "day") {
  const col = sql.raw(unit);
  const rolled = await rows<{ b: string; e: string; c: string; n: string }>(
    sql`select to_char(${unit === "day" ? col : sql`${col} at time zone 'UTC'`}, 'YYYY-MM-DD HH24:MI') as b, environment as e, code as c, count::text as n
        from ${sql.raw(`org_usage_${unit}`)} where organization_id = ${orgId}`,
  );
  return Object.fromEntries(rolled.map((r) => [`${r.b}|${r.e}|${r.c}`, Number(r.n)]));
}

async function twoKeys() {
  const { ctx } = await makeTeam();
  const c = await ctx("owner");
  const a = (await createKey(c, { name: `a ${uniq()}`, environment: "production", permissions: ["keys:read", "keys:write"] })).key;
  const b = (await createKey(c, { name: `b ${uniq()}`, environment: "staging", permissions: ["keys:read", "keys:write"] })).key;
  return { c, keys: [a, b] };
}

/** Makes the rollup statement fail for this key only (other test files may share the database); returns the undo. */
async function failRollupsFor(keyId: string): Promise<() => Promise<void>> {
  const fn = `fail_${keyId.replace(/\W/g, "_").toLowerCase()}`;
  await getDb().execute(
    sql.raw(`create function ${fn}() returns trigger language plpgsql as $$ begin if new.key_id = '${keyId}' then raise exception 'injected failure'; end if; return new; end $$`),
  );
  await getDb().execute(sql.raw(`create trigger ${fn} before insert on key_usage_hour for each row execute function ${fn}()`));
  return async () => {
    await getDb().execute(sql.raw(`drop trigger ${fn} on key_usage_hour`));
    await getDb().execute(sql.raw(`drop function ${fn}()`));
  };
}

const entry = (key: { id: string; organizationId: string; environment: string }, atMs: number, code: string, permissions?: string[]): UsageEntry => ({
  keyId: key.id,
  organizationId: key.organizationId,
  environment: key.environment,
  atMs,
  code,
  permissions,
  ip: "192.0.2.7",
  method: "GET",
  path: "/v1/x",
});

describe("usage rollups", () => {
  it("equal the raw log's counts per minute, hour, day and week after random batches, and count each named permission the key holds", async () => {
    const { c, keys } = await twoKeys();
    const codes = ["VALID", "VALID", "VALID", "RATE_LIMITED", "INSUFFICIENT_PERMISSIONS"];
    const perms = ["keys:read", "keys:write", "audit:read"]; // audit:read is not granted: never counted
    const now = Date.now();
    const named: Record<string, number> = {};
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let batch = 0; batch < 5; batch++) {
      const size = 1 + rand(3000);
      for (let i = 0; i < size; i++) {
        const key = keys[rand(2)];
        const p = rand(3) === 0 ? [perms[rand(3)], perms[rand(3)]] : undefined; // sometimes the same one twice
        if (p) for (const name of new Set(p)) if (name !== "audit:read") named[`${key.id}|${name}`] = (named[`${key.id}|${name}`] ?? 0) + 1;
        // Mostly the last 30 hours (over a UTC day boundary), some as far back as 20 days (over weeks).
        recordUsage(entry(key, now - (rand(5) ? rand(30 * 3600_000) : rand(20 * DAY)), codes[rand(codes.length)], p));
      }
      await flushUsage();
    }
    for (const unit of ["minute", "hour", "day", "week"] as const) {
      const { raw, rolled } = await rawVsRollup(keys.map((k) => k.id), unit);
      expect(Object.keys(raw).length).toBeGreaterThan(unit === "week" ? 1 : 0);
      expect(rolled).toEqual(raw);
      if (unit !== "week") expect(await orgRollup(keys[0].organizationId, unit)).toEqual(await orgRaw(keys[0].organizationId, unit));
    }
    const perm = await rows<{ k: string; p: string; n: string; e: string }>(
      sql`select key_id as k, permission as p, sum(count)::text as n from key_permission_usage_day where key_id in (${keys[0].id}, ${keys[1].id}) group by 1, 2`,
    );
    expect(Object.fromEntries(perm.map((r) => [`${r.k}|${r.p}`, Number(r.n)]))).toEqual(named);
    // The rollups carry each key's organization and environment.
    const env = await rows<{ k: string; e: string; o: string }>(sql`select distinct key_id as k, environment::text as e, organization_id as o from key_usage_hour where key_id in (${keys[0].id}, ${keys[1].id}) order by 2`);
    expect(env.map((r) => [r.k, r.e, r.o])).toEqual([
      [keys[0].id, "production", keys[0].organizationId],
      [keys[1].id, "staging", keys[1].organizationId],
    ]);
    // What the pages read agrees with the raw rows.
    const total = (await listRequestLog(keys[0].id, { page: 1, perPage: 1 })).total;
    const [{ n: rawTotal }] = await rows<{ n: string }>(sql`select count(*)::text as n from key_request_log where key_id = ${keys[0].id}`);
    expect(total).toBe(Number(rawTotal));
    // The key page's 30-day chart (per day) holds every row (all within 20 days).
    const chart = await keyUsageSeries(c, keys[0].id, "30d");
    expect(chart.series.reduce((n, b) => n + Object.values(b.counts).reduce((m, x) => m + x, 0), 0)).toBe(Number(rawTotal));
    const [{ n: raw7d }] = await rows<{ n: string }>(sql`select count(*)::text as n from key_request_log where key_id = ${keys[0].id} and at >= ${new Date(now - 7 * DAY).toISOString()}::timestamptz`);
    expect((await listRequestLog(keys[0].id, { page: 1, perPage: 1, since: new Date(now - 7 * DAY) })).total).toBe(Number(raw7d));
    const [{ n: raw24h }] = await rows<{ n: string }>(sql`select count(*)::text as n from key_request_log where key_id = ${keys[0].id} and at >= ${new Date(Date.now() - 86_400_000 - 60_000).toISOString()}::timestamptz`);
    const last24h = (await usageLast24h([keys[0].id])).get(keys[0].id);
    // Minute precision at the start of the 24 h: between the rows of the last 24 h and those of 24 h + 1 min.
    expect(last24h).toBeLessThanOrEqual(Number(raw24h));
    expect(last24h).toBeGreaterThan(0);
    const since = new Date(now - 90 * 60_000 - 12_345); // not on a minute: the edge comes from raw rows
    const [{ n: rawSince }] = await rows<{ n: string }>(sql`select count(*)::text as n from key_request_log where key_id = ${keys[0].id} and at >= ${since.toISOString()}::timestamptz and code = 'VALID'`);
    expect((await listRequestLog(keys[0].id, { page: 1, perPage: 1, since, code: "VALID" })).total).toBe(Number(rawSince));
  });

  it("does not count a batch twice when it is retried after a database error", async () => {
    const { keys } = await twoKeys();
    const [key] = keys;
    const healed = await failRollupsFor(key.id);
    try {
      for (let i = 0; i < 250; i++) recordUsage(entry(key, Date.now(), i % 5 ? "VALID" : "RULE_DENIED"));
      await flushUsage();
      expect(usageStats().failing).toBe(true);
      // Nothing of the failed batch was kept: not the raw rows (COPY ran first) and not the minutes.
      expect((await rows<{ n: string }>(sql`select count(*)::text as n from key_request_log where key_id = ${key.id}`))[0].n).toBe("0");
      expect((await rows<{ n: string }>(sql`select count(*)::text as n from key_usage_minute where key_id = ${key.id}`))[0].n).toBe("0");
    } finally {
      await healed();
    }
    await flushUsage();
    expect(usageStats().failing).toBe(false);
    const { raw, rolled } = await rawVsRollup([key.id], "hour");
    expect(Object.values(raw).reduce((a, b) => a + b, 0)).toBe(250);
    expect(rolled).toEqual(raw);
    expect((await rawVsRollup([key.id], "minute")).rolled).toEqual((await rawVsRollup([key.id], "minute")).raw);
    expect(await orgRollup(key.organizationId, "hour")).toEqual(await orgRaw(key.organizationId, "hour"));
  });

  it("keeps at most MAX_BUFFERED entries while the database refuses them, counts the ones it drops, and writes every kept one once it is back", async () => {
    const { keys } = await twoKeys();
    const [key] = keys;
    const healed = await failRollupsFor(key.id);
    const droppedBefore = usageStats().dropped;
    const atMs = Date.now();
    try {
      for (let i = 0; i < MAX_BUFFERED + 10; i++) recordUsage({ ...entry(key, atMs + (i % 1000), i % 7 ? "VALID" : "RATE_LIMITED"), path: `/v1/${i}` });
      await flushUsage();
      expect(usageStats()).toMatchObject({ failing: true, buffered: MAX_BUFFERED, dropped: droppedBefore + 10 });
    } finally {
      await healed();
    }
    await flushUsage();
    expect(usageStats()).toMatchObject({ failing: false, buffered: 0 });
    const [{ n, paths }] = await rows<{ n: string; paths: string }>(sql`select count(*)::text as n, count(distinct path)::text as paths from key_request_log where key_id = ${key.id}`);
    expect([Number(n), Number(paths)]).toEqual([MAX_BUFFERED, MAX_BUFFERED]);
    const { raw, rolled } = await rawVsRollup([key.id], "minute");
    expect(rolled).toEqual(raw);
  }, 60_000);
});

describe("request-log partitions", () => {
  it("creates days ahead, moves rows caught by the default partition, and drops whole days past retention", async () => {
    const { keys } = await twoKeys();
    const [key] = keys;
    const today = Date.now() - (Date.now() % DAY);
    // Today and the days ahead exist (the migration and the job create them).
    const report = await maintainUsageStorage({ retentionDays: 3650, rollupRetentionDays: 3650 });
    const names = await listRequestLogPartitions();
    for (let i = 0; i <= 3; i++) expect(names).toContain(`key_request_log_p${new Date(today + i * DAY).toISOString().slice(0, 10).replaceAll("-", "")}`);
    expect(report.dropped).toEqual([]);

    // A row for a day without a partition lands in the default partition...
    const old = today - 200 * DAY + 3600_000;
    recordUsage(entry(key, old, "VALID"));
    recordUsage(entry(key, Date.now(), "VALID"));
    await flushUsage();
    expect(usageStats().failing).toBe(false);
    const inDefault = async () => Number((await rows<{ n: string }>(sql`select count(*)::text as n from key_request_log_default where key_id = ${key.id}`))[0].n);
    expect(await inDefault()).toBe(1);
    // ...and moves into that day's partition when the job creates it.
    const oldName = `key_request_log_p${new Date(today - 200 * DAY).toISOString().slice(0, 10).replaceAll("-", "")}`;
    const created = await maintainUsageStorage({ retentionDays: 3650, rollupRetentionDays: 3650, now: new Date(old), daysAhead: 0 });
    expect(created.created).toEqual([oldName]);
    expect(await inDefault()).toBe(0);
    expect((await listRequestLog(key.id, { page: 1, perPage: 10 })).total).toBe(2);

    // Retention of 100 days drops that whole day (a DROP, not a DELETE) and keeps today's rows.
    const dropped = await maintainUsageStorage({ retentionDays: 100, rollupRetentionDays: 3650 });
    expect(dropped.dropped).toContain(oldName);
    expect(await listRequestLogPartitions()).not.toContain(oldName);
    expect((await listRequestLog(key.id, { page: 1, perPage: 10 })).rows).toHaveLength(1);
    // Rollups outlive the raw rows, until their own retention.
    expect((await rows<{ n: string }>(sql`select count(*)::text as n from key_usage_hour where key_id = ${key.id}`))[0].n).toBe("2");
    await maintainUsageStorage({ retentionDays: 100, rollupRetentionDays: 150 });
    expect((await rows<{ n: string }>(sql`select count(*)::text as n from key_usage_hour where key_id = ${key.id}`))[0].n).toBe("1");
  });
});
