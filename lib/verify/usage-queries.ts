// Owns reading a key's usage: the raw request log (the log view only) and, for its total and the keys
// tables' 24-hour column, the rollups, never raw rows. Charts are lib/analytics/verifications.ts;
// pruning is usage-partitions.ts.
import { and, count, desc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import { getDb, keyRequestLog, keyUsageDay, keyUsageHour, keyUsageMinute, keyUsageWeek, type KeyRequestLogRow } from "../db";
import { rollupTiles, type TileUnit } from "../analytics/rollup-tiles";
import { listRequestLogPartitions, partitionDay } from "./usage-partitions";

const DAY = 86_400_000;
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
 * for the part-minute at the start, then minute rollups up to the next whole hour, hourly ones up to
 * the next whole day, then daily ones (90 days of a key: 90 rows an outcome, not 2,160). Exact,
 * because a batch's rows and rollups are written in one transaction; the start is never before the
 * oldest raw day still kept (rollups outlive the raw log).
 */
async function countRequests(keyId: string, q: { code?: string; since?: Date }): Promise<number> {
  const db = getDb();
  const oldest = await oldestRawRow(keyId);
  const startMs = Math.max(q.since?.getTime() ?? 0, oldest?.getTime() ?? 0);
  const start = new Date(startMs);
  const minuteEdge = new Date(Math.ceil(startMs / MINUTE) * MINUTE);
  const hourEdge = new Date(Math.ceil(startMs / HOUR) * HOUR);
  const dayEdge = new Date(Math.ceil(startMs / DAY) * DAY);
  const [[raw], [minutes], [hours], [days]] = await Promise.all([
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
      .where(and(eq(keyUsageHour.keyId, keyId), q.code ? eq(keyUsageHour.code, q.code) : undefined, gte(keyUsageHour.hour, hourEdge), lt(keyUsageHour.hour, dayEdge))),
    db
      .select({ n: sql<string | null>`sum(${keyUsageDay.count})` })
      .from(keyUsageDay)
      .where(and(eq(keyUsageDay.keyId, keyId), q.code ? eq(keyUsageDay.code, q.code) : undefined, gte(keyUsageDay.day, dayEdge.toISOString().slice(0, 10)))),
  ]);
  return Number(raw.n) + Number(minutes.n ?? 0) + Number(hours.n ?? 0) + Number(days.n ?? 0);
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

/**
 * Verifications in the last 24 h per key (the keys tables' usage column): the partial hour at the
 * start from the minute rollup, the whole hours since as the fewest hour, day and week rows
 * (rollupTiles: about 7 rows a key and outcome rather than 24).
 */
export async function usageLast24h(keyIds: string[], now = new Date()): Promise<Map<string, number>> {
  if (!keyIds.length) return new Map();
  const nowMs = now.getTime();
  const start = nowMs - 24 * HOUR;
  const startMinute = new Date(start - (start % MINUTE));
  const firstFullHour = Math.ceil(start / HOUR) * HOUR;
  const db = getDb();
  const groups = new Map<string, { unit: TileUnit; sign: 1 | -1; ranges: [number, number][] }>();
  for (const t of rollupTiles(firstFullHour, nowMs - (nowMs % HOUR) + HOUR, nowMs)) {
    const g = groups.get(`${t.unit}${t.sign}`) ?? { unit: t.unit, sign: t.sign, ranges: [] };
    g.ranges.push([t.from, t.to]);
    groups.set(`${t.unit}${t.sign}`, g);
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const parts = [...groups.values()].map(async ({ unit, sign, ranges }) => {
    const [table, range] =
      unit === "week"
        ? [keyUsageWeek, (a: number, b: number) => and(gte(keyUsageWeek.week, day(a)), lt(keyUsageWeek.week, day(b)))]
        : unit === "day"
          ? [keyUsageDay, (a: number, b: number) => and(gte(keyUsageDay.day, day(a)), lt(keyUsageDay.day, day(b)))]
          : [keyUsageHour, (a: number, b: number) => and(gte(keyUsageHour.hour, new Date(a)), lt(keyUsageHour.hour, new Date(b)))];
    const rows = await db
      .select({ keyId: table.keyId, n: sql<string>`sum(${table.count})` })
      .from(table)
      .where(and(inArray(table.keyId, keyIds), or(...ranges.map(([a, b]) => range(a, b)))))
      .groupBy(table.keyId);
    return rows.map((r) => ({ keyId: r.keyId, n: sign * Number(r.n) }));
  });
  parts.push(
    db
      .select({ keyId: keyUsageMinute.keyId, n: sql<string>`sum(${keyUsageMinute.count})` })
      .from(keyUsageMinute)
      .where(and(inArray(keyUsageMinute.keyId, keyIds), gte(keyUsageMinute.minute, startMinute), lt(keyUsageMinute.minute, new Date(firstFullHour))))
      .groupBy(keyUsageMinute.keyId)
      .then((rows) => rows.map((r) => ({ keyId: r.keyId, n: Number(r.n) }))),
  );
  const out = new Map<string, number>();
  for (const r of (await Promise.all(parts)).flat()) out.set(r.keyId, (out.get(r.keyId) ?? 0) + r.n);
  return out;
}
