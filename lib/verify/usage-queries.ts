// Owns reading usage: the raw request log (the log view only) and, for every count and chart, the
// rollups (key_usage_hour / key_usage_minute), never raw rows. Pruning is usage-partitions.ts.
import { and, count, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { getDb, keyRequestLog, keyUsageHour, keyUsageMinute, type KeyRequestLogRow } from "../db";
import { listRequestLogPartitions, partitionDay } from "./usage-partitions";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A page of a key's raw request log, newest first; the total comes from the rollups. */
export async function listRequestLog(keyId: string, q: { page: number; perPage: number; code?: string; since?: Date }): Promise<{ rows: KeyRequestLogRow[]; total: number }> {
  const where = and(eq(keyRequestLog.keyId, keyId), q.code ? eq(keyRequestLog.code, q.code) : undefined, q.since ? gte(keyRequestLog.at, q.since) : undefined);
  const [rows, total] = await Promise.all([
    getDb().select().from(keyRequestLog).where(where).orderBy(desc(keyRequestLog.at), desc(keyRequestLog.id)).limit(q.perPage).offset((q.page - 1) * q.perPage),
    countRequests(keyId, q),
  ]);
  return { rows, total };
}

/**
 * How many raw rows `listRequestLog` can page through, without counting millions of them: raw rows
 * for the part-minute at the start, then minute rollups up to the next whole hour, then hourly
 * rollups. Exact, because a batch's rows and rollups are written in one transaction; the start is
 * never before the oldest raw day still kept (rollups outlive the raw log).
 */
async function countRequests(keyId: string, q: { code?: string; since?: Date }): Promise<number> {
  const db = getDb();
  const oldest = await oldestRawRow(keyId);
  const startMs = Math.max(q.since?.getTime() ?? 0, oldest?.getTime() ?? 0);
  const start = new Date(startMs);
  const minuteEdge = new Date(Math.ceil(startMs / MINUTE) * MINUTE);
  const hourEdge = new Date(Math.ceil(startMs / HOUR) * HOUR);
  const [[raw], [minutes], [hours]] = await Promise.all([
    minuteEdge > start
      ? db
          .select({ n: count() })
          .from(keyRequestLog)
          .where(and(eq(keyRequestLog.keyId, keyId), q.code ? eq(keyRequestLog.code, q.code) : undefined, gte(keyRequestLog.at, start), lt(keyRequestLog.at, minuteEdge)))
      : [{ n: 0 }],
    db
      .select({ n: sql<string | null>`sum(${keyUsageMinute.count})` })
      .from(keyUsageMinute)
      .where(and(eq(keyUsageMinute.keyId, keyId), q.code ? eq(keyUsageMinute.code, q.code) : undefined, gte(keyUsageMinute.minute, minuteEdge), lt(keyUsageMinute.minute, hourEdge))),
    db
      .select({ n: sql<string | null>`sum(${keyUsageHour.count})` })
      .from(keyUsageHour)
      .where(and(eq(keyUsageHour.keyId, keyId), q.code ? eq(keyUsageHour.code, q.code) : undefined, gte(keyUsageHour.hour, hourEdge))),
  ]);
  return Number(raw.n) + Number(minutes.n ?? 0) + Number(hours.n ?? 0);
}

/**
 * Where the key's raw rows may start: the oldest day partition still kept, or an older row of the
 * key that waits in the default partition (a day that had no partition yet). Null: no limit known.
 */
async function oldestRawRow(keyId: string): Promise<Date | null> {
  const [days, [inDefault]] = await Promise.all([
    listRequestLogPartitions(),
    getDb().execute(sql`select min(at) as at from key_request_log_default where key_id = ${keyId}`).then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: { at: string | Date | null }[] }).rows) as { at: string | Date | null }[]),
  ]);
  const starts = days.map(partitionDay).filter((d): d is Date => d !== null).map((d) => d.getTime());
  if (inDefault?.at) starts.push(new Date(inDefault.at).getTime());
  return starts.length ? new Date(Math.min(...starts)) : null;
}

/** Verifications per hour and outcome, for the hours from the one containing `since` (rollups). */
export async function usageByHour(keyId: string, since: Date): Promise<{ hour: string; code: string; n: number }[]> {
  const from = new Date(since.getTime() - (since.getTime() % HOUR));
  const rows = await getDb()
    .select({ hour: keyUsageHour.hour, code: keyUsageHour.code, n: keyUsageHour.count })
    .from(keyUsageHour)
    .where(and(eq(keyUsageHour.keyId, keyId), gte(keyUsageHour.hour, from)))
    .orderBy(keyUsageHour.hour);
  return rows.map((r) => ({ hour: r.hour.toISOString().slice(0, 13) + ":00:00Z", code: r.code, n: Number(r.n) }));
}

/**
 * Verifications in the last 24 h per key (the keys tables' usage column): whole hours from the
 * hourly rollup, the partial hour at the start from the minute rollup — at most 24 + 60 rows a key.
 */
export async function usageLast24h(keyIds: string[], now = new Date()): Promise<Map<string, number>> {
  if (!keyIds.length) return new Map();
  const start = now.getTime() - 24 * HOUR;
  const startMinute = new Date(start - (start % MINUTE));
  const firstFullHour = new Date(Math.ceil(start / HOUR) * HOUR);
  const db = getDb();
  const [hours, minutes] = await Promise.all([
    db
      .select({ keyId: keyUsageHour.keyId, n: sql<string>`sum(${keyUsageHour.count})` })
      .from(keyUsageHour)
      .where(and(inArray(keyUsageHour.keyId, keyIds), gte(keyUsageHour.hour, firstFullHour)))
      .groupBy(keyUsageHour.keyId),
    db
      .select({ keyId: keyUsageMinute.keyId, n: sql<string>`sum(${keyUsageMinute.count})` })
      .from(keyUsageMinute)
      .where(and(inArray(keyUsageMinute.keyId, keyIds), gte(keyUsageMinute.minute, startMinute), lt(keyUsageMinute.minute, firstFullHour)))
      .groupBy(keyUsageMinute.keyId),
  ]);
  const out = new Map<string, number>();
  for (const r of [...hours, ...minutes]) out.set(r.keyId, (out.get(r.keyId) ?? 0) + Number(r.n));
  return out;
}
