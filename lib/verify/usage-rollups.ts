// Owns turning a request-log batch into rollup rows: counts per key × minute × outcome (and per hour, day and week,
// each row carrying the key's organization, environment and customer),
// and per key × UTC day × named permission, added to the tables by one statement that runs in the
// same transaction as the batch's raw rows (so a retried batch is never counted twice).
import { sql, type SQL } from "drizzle-orm";

/** What the rollups need of a verification (a subset of the usage writer's entry). */
export type RollupEntry = {
  keyId: string;
  organizationId: string;
  environment: string;
  /** The key's customer (null or absent: none). */
  customerId?: string | null;
  atMs: number;
  code: string;
  /** Permissions the verification named (each counts once for the least-privilege panel). */
  permissions?: readonly string[] | null;
};

const MINUTE = 60_000;
const DAY = 86_400_000;

type MinuteRow = { k: string; m: string; c: string; o: string; e: string; u: string | null; n: number };
type PermissionRow = { k: string; d: string; p: string; o: string; n: number; at: string; atMs: number };

/**
 * What the rollups read of a batch, column by column (the usage writer's buffer, usage.ts): entry
 * `i` of `n` is `keyId[i]`, `atMs[i]`, ….
 */
export type RollupColumns = {
  readonly n: number;
  readonly keyId: readonly string[];
  readonly organizationId: readonly string[];
  readonly environment: readonly string[];
  readonly customerId: readonly (string | null)[];
  readonly atMs: Float64Array;
  readonly code: readonly string[];
  readonly permissions: readonly (readonly string[] | null)[];
};

/**
 * Aggregates a batch in memory: the two JSON parameters of {@link ROLLUP_STATEMENT}. Runs on the
 * server's own (busiest) core, so per entry it only does map lookups by key id, then by a number
 * (minute × code); strings and dates are built once per rollup row.
 */
export function rollupParams(b: RollupColumns): [minutes: string, permissions: string] {
  const minutes = new Map<string, Map<number, MinuteRow>>();
  const codes = new Map<string, number>();
  const permissions = new Map<string, PermissionRow>();
  for (let i = 0; i < b.n; i++) {
    const keyId = b.keyId[i];
    const atMs = b.atMs[i];
    const minute = Math.floor(atMs / MINUTE);
    let code = codes.get(b.code[i]);
    if (code === undefined) codes.set(b.code[i], (code = codes.size));
    let perKey = minutes.get(keyId);
    if (!perKey) minutes.set(keyId, (perKey = new Map()));
    const mk = minute * 64 + code;
    const row = perKey.get(mk);
    if (row) {
      row.n++;
      row.u = b.customerId[i]; // a key moved to another customer mid-batch: the newest wins
    } else perKey.set(mk, { k: keyId, m: new Date(minute * MINUTE).toISOString(), c: b.code[i], o: b.organizationId[i], e: b.environment[i], u: b.customerId[i], n: 1 });
    const named = b.permissions[i];
    if (!named?.length) continue;
    const day = Math.floor(atMs / DAY);
    for (let j = 0; j < named.length; j++) {
      const p = named[j];
      if (named.indexOf(p) !== j) continue; // named twice in one request: counted once
      const pk = `${keyId}\t${day}\t${p}`;
      const prow = permissions.get(pk);
      if (!prow) permissions.set(pk, { k: keyId, d: new Date(day * DAY).toISOString().slice(0, 10), p, o: b.organizationId[i], n: 1, at: "", atMs });
      else {
        prow.n++;
        if (atMs > prow.atMs) prow.atMs = atMs;
      }
    }
  }
  const minuteRows: MinuteRow[] = [];
  for (const perKey of minutes.values()) for (const row of perKey.values()) minuteRows.push(row);
  const permissionRows = Array.from(permissions.values(), (r) => ({ k: r.k, d: r.d, p: r.p, o: r.o, n: r.n, at: new Date(r.atMs).toISOString() }));
  return [JSON.stringify(minuteRows), JSON.stringify(permissionRows)];
}

// One statement, eight upserts that add (per key: minutes, hours, days, weeks; per organization × environment:
// the same three; permissions). A row's customer is the key's as last written: a key moved to
// another customer takes the current minute, hour, day and week with it (a key's customer rarely changes;
// being part of the primary key would cost every upsert for that). Only permissions the key holds are counted: a request may
// name anything, and a public key's token is no secret, so names it does not hold would let anyone
// grow the table. Rows go in key order, so two instances writing the same
// keys take their row locks in the same order (no deadlock). Hours, days and weeks (from Monday) are UTC.
const PARTS = [
  `with v as (
  select * from jsonb_to_recordset(`,
  `::jsonb) as v(k text, m timestamptz, c text, o text, e key_environment, u text, n bigint)
), minutes as (
  insert into key_usage_minute as u (minute, key_id, code, organization_id, environment, customer_id, count)
  select m, k, c, o, e, v.u, n from v order by k, m, c
  on conflict (key_id, minute, code) do update set count = u.count + excluded.count, customer_id = excluded.customer_id
), hours as (
  insert into key_usage_hour as u (hour, key_id, code, organization_id, environment, customer_id, count)
  select date_trunc('hour', m, 'UTC') as h, k, c, max(o), max(e), max(v.u), sum(n) from v group by k, h, c order by k, h, c
  on conflict (key_id, hour, code) do update set count = u.count + excluded.count, customer_id = excluded.customer_id
), days as (
  insert into key_usage_day as u (day, key_id, code, organization_id, environment, customer_id, count)
  select (m at time zone 'UTC')::date as d, k, c, max(o), max(e), max(v.u), sum(n) from v group by k, d, c order by k, d, c
  on conflict (key_id, day, code) do update set count = u.count + excluded.count, customer_id = excluded.customer_id
), weeks as (
  insert into key_usage_week as u (week, key_id, code, organization_id, environment, customer_id, count)
  select date_trunc('week', m at time zone 'UTC')::date as w, k, c, max(o), max(e), max(v.u), sum(n) from v group by k, w, c order by k, w, c
  on conflict (key_id, week, code) do update set count = u.count + excluded.count, customer_id = excluded.customer_id
), org_minutes as (
  insert into org_usage_minute as u (minute, organization_id, environment, code, count)
  select m, o, e, c, sum(n) from v group by o, m, e, c order by o, m, e, c
  on conflict (organization_id, minute, environment, code) do update set count = u.count + excluded.count
), org_hours as (
  insert into org_usage_hour as u (hour, organization_id, environment, code, count)
  select date_trunc('hour', m, 'UTC') as h, o, e, c, sum(n) from v group by o, h, e, c order by o, h, e, c
  on conflict (organization_id, hour, environment, code) do update set count = u.count + excluded.count
), org_days as (
  insert into org_usage_day as u (day, organization_id, environment, code, count)
  select (m at time zone 'UTC')::date as d, o, e, c, sum(n) from v group by o, d, e, c order by o, d, e, c
  on conflict (organization_id, day, environment, code) do update set count = u.count + excluded.count
), permissions as (
  insert into key_permission_usage_day as u (key_id, day, permission, organization_id, count, last_used_at)
  select p.k, p.d, p.p, p.o, p.n, p.at from jsonb_to_recordset(`,
  `::jsonb) as p(k text, d date, p text, o text, n bigint, at timestamptz)
  join api_key on api_key.id = p.k and p.p = any(api_key.permissions)
  order by p.k, p.d, p.p
  on conflict (key_id, day, permission) do update set count = u.count + excluded.count, last_used_at = greatest(u.last_used_at, excluded.last_used_at)
)
select 1`,
] as const;

/** The rollup upsert as text with `$1`/`$2` (postgres.js `unsafe`). */
export const ROLLUP_STATEMENT = `${PARTS[0]}$1${PARTS[1]}$2${PARTS[2]}`;

/** The same statement for drizzle (PGlite). */
export function rollupSql([minutes, permissions]: [string, string]): SQL {
  return sql`${sql.raw(PARTS[0])}${minutes}${sql.raw(PARTS[1])}${permissions}${sql.raw(PARTS[2])}`;
}
