// Owns reading and pruning the request log.
import { and, count, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { getDb, keyRequestLog, type KeyRequestLogRow } from "../db";

/** Deletes request-log rows older than `days` (the hourly job; USAGE_RETENTION_DAYS). */
export async function purgeRequestLogs(days: number, now = new Date()): Promise<number> {
  const rows = await getDb()
    .delete(keyRequestLog)
    .where(lt(keyRequestLog.at, new Date(now.getTime() - days * 86_400_000)))
    .returning({ id: keyRequestLog.id });
  return rows.length;
}

export async function listRequestLog(keyId: string, q: { page: number; perPage: number; code?: string; since?: Date }): Promise<{ rows: KeyRequestLogRow[]; total: number }> {
  const where = and(eq(keyRequestLog.keyId, keyId), q.code ? eq(keyRequestLog.code, q.code) : undefined, q.since ? gte(keyRequestLog.at, q.since) : undefined);
  const db = getDb();
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(keyRequestLog).where(where).orderBy(desc(keyRequestLog.at), desc(keyRequestLog.id)).limit(q.perPage).offset((q.page - 1) * q.perPage),
    db.select({ total: count() }).from(keyRequestLog).where(where),
  ]);
  return { rows, total };
}

/** Verifications per hour and outcome since `since`. */
export async function usageByHour(keyId: string, since: Date): Promise<{ hour: string; code: string; n: number }[]> {
  const hour = sql<string>`to_char(date_trunc('hour', ${keyRequestLog.at} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"')`;
  const rows = await getDb()
    .select({ hour, code: keyRequestLog.code, n: count() })
    .from(keyRequestLog)
    .where(and(eq(keyRequestLog.keyId, keyId), gte(keyRequestLog.at, since)))
    .groupBy(hour, keyRequestLog.code)
    .orderBy(hour);
  return rows;
}

/** Verifications in the last 24 h per key (the keys tables' usage column). */
export async function usageLast24h(keyIds: string[], now = new Date()): Promise<Map<string, number>> {
  if (!keyIds.length) return new Map();
  const rows = await getDb()
    .select({ keyId: keyRequestLog.keyId, n: count() })
    .from(keyRequestLog)
    .where(and(gte(keyRequestLog.at, new Date(now.getTime() - 86_400_000)), inArray(keyRequestLog.keyId, keyIds)))
    .groupBy(keyRequestLog.keyId);
  return new Map(rows.map((r) => [r.keyId, r.n]));
}
