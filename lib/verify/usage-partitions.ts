// Owns the request log's storage over time (the hourly job): one partition per UTC day created ahead,
// whole days past USAGE_RETENTION_DAYS dropped (never a DELETE over millions of rows), and rollups
// past ROLLUP_RETENTION_DAYS deleted (found through BRIN indexes on their time columns). Same SQL on
// PostgreSQL and PGlite; on PostgreSQL one instance at a time does it (advisory lock), the others
// skip the round.
import { sql } from "drizzle-orm";
import { dbKind, getDb, type Tx } from "../db";

export const USAGE_STORAGE_LOCK = 726_451_903;
const DAY = 86_400_000;
export const PARTITION_PREFIX = "key_request_log_p";

export type UsageStorageReport = { created: string[]; dropped: string[]; rollupRowsDeleted: number; skipped?: boolean };

const utcDay = (ms: number) => new Date(ms - (ms % DAY));
const partitionName = (day: Date) => `${PARTITION_PREFIX}${day.toISOString().slice(0, 10).replaceAll("-", "")}`;
/** The UTC day a partition named key_request_log_pYYYYMMDD holds, or null for any other table. */
export function partitionDay(name: string): Date | null {
  const m = /^key_request_log_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

async function rows<T>(tx: Tx, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await tx.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(res) ? res : res.rows;
}

export async function listRequestLogPartitions(tx: Tx | ReturnType<typeof getDb> = getDb()): Promise<string[]> {
  const res = (await tx.execute(sql`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'key_request_log'::regclass order by c.relname`)) as unknown as { name: string }[] | { rows: { name: string }[] };
  return (Array.isArray(res) ? res : res.rows).map((r) => r.name);
}

/**
 * Creates the partitions of today and the next `daysAhead` days, drops those whose whole day is
 * older than `retentionDays`, and deletes rollups older than `rollupRetentionDays`. Rows that landed
 * in the default partition (a day that had no partition yet) move into their day's new partition.
 */
export async function maintainUsageStorage(opts: { retentionDays: number; rollupRetentionDays: number; now?: Date; daysAhead?: number }): Promise<UsageStorageReport> {
  const now = (opts.now ?? new Date()).getTime();
  const daysAhead = opts.daysAhead ?? 3;
  return getDb().transaction(async (tx) => {
    if (dbKind() === "postgres") {
      const [row] = await rows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${USAGE_STORAGE_LOCK}) as locked`);
      if (!row?.locked) return { created: [], dropped: [], rollupRowsDeleted: 0, skipped: true };
      // DDL on a partition locks the parent briefly; never queue behind a long query for long.
      await tx.execute(sql`set local lock_timeout = '10s'`);
    }
    const existing = new Set(await listRequestLogPartitions(tx));
    const created: string[] = [];
    for (let i = 0; i <= daysAhead; i++) {
      const day = utcDay(now + i * DAY);
      const name = partitionName(day);
      if (existing.has(name)) continue;
      const from = day.toISOString();
      const to = new Date(day.getTime() + DAY).toISOString();
      // A day without a partition had its rows caught by the default partition: a new partition
      // over them would be refused, so they move over first (rare: the job was not running).
      await tx.execute(sql.raw(`create table ${name} (like key_request_log including defaults)`));
      await tx.execute(
        sql.raw(`with moved as (delete from key_request_log_default where at >= '${from}' and at < '${to}' returning id, key_id, organization_id, at, code, ip, method, path)
          insert into ${name} (id, key_id, organization_id, at, code, ip, method, path) select * from moved`),
      );
      await tx.execute(sql.raw(`alter table key_request_log attach partition ${name} for values from ('${from}') to ('${to}')`));
      created.push(name);
    }
    // A day is dropped once all of it is past retention: rows live between N and N+1 days.
    const cutoff = now - opts.retentionDays * DAY;
    const dropped: string[] = [];
    for (const name of existing) {
      const day = partitionDay(name);
      if (day && day.getTime() + DAY <= cutoff) {
        await tx.execute(sql.raw(`drop table ${name}`));
        dropped.push(name);
      }
    }
    await tx.execute(sql`delete from key_request_log_default where at < ${new Date(cutoff).toISOString()}::timestamptz`);
    // Rollups: buckets that start before the cutoff (a week once all of it is). Each DELETE finds its rows
    // through the table's BRIN index on time (migration 0011), reading only the block ranges that
    // hold old buckets: a few pages when there are none, an hour of buckets in a steady hourly run.
    // For a large catch-up the planner would rather walk the whole (organization_id, minute) btree
    // (2.6 s against 0.6 s through BRIN for a day of 1,000 keys' minutes), so plain index scans are off
    // for the rest of this transaction, which only deletes.
    await tx.execute(sql`set local enable_indexscan = off`);
    const rollupCutoff = new Date(now - opts.rollupRetentionDays * DAY).toISOString();
    const cutoffDay = rollupCutoff.slice(0, 10);
    const weekCutoff = new Date(now - opts.rollupRetentionDays * DAY - 7 * DAY).toISOString().slice(0, 10);
    const deleted = await rows<{ n: number }>(
      tx,
      sql`with m as (delete from key_usage_minute where minute < ${rollupCutoff}::timestamptz returning 1),
        h as (delete from key_usage_hour where hour < ${rollupCutoff}::timestamptz returning 1),
        d as (delete from key_usage_day where day < ${cutoffDay}::date returning 1),
        w as (delete from key_usage_week where week <= ${weekCutoff}::date returning 1),
        p as (delete from key_permission_usage_day where day < ${cutoffDay}::date returning 1),
        om as (delete from org_usage_minute where minute < ${rollupCutoff}::timestamptz returning 1),
        oh as (delete from org_usage_hour where hour < ${rollupCutoff}::timestamptz returning 1),
        od as (delete from org_usage_day where day < ${cutoffDay}::date returning 1)
        select ((select count(*) from m) + (select count(*) from h) + (select count(*) from d) + (select count(*) from w)
          + (select count(*) from p) + (select count(*) from om) + (select count(*) from oh) + (select count(*) from od))::int as n`,
    );
    return { created, dropped, rollupRowsDeleted: Number(deleted[0]?.n ?? 0) };
  });
}
