// Owns deleting expired keys KEY_PURGE_AFTER_DAYS after they expired (hourly, one instance at a time).
import { and, inArray, isNotNull, lt } from "drizzle-orm";
import { apiKeys, dbKind, getDb } from "../db";
import { recordAudit } from "../audit/audit";
import { auditView } from "./access";
import { publishKeyChange } from "../verify/invalidation";

export const PURGE_LOCK = 726_451_902;

/** Deletes keys whose expiry is more than `afterDays` ago, writing one audit event per key. */
export async function purgeExpiredKeys(afterDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - afterDays * 86_400_000);
  const purged = await getDb().transaction(async (tx) => {
    if (dbKind() === "postgres") {
      // Several instances run this job: whoever holds the lock does it, the others skip this round.
      const res = (await tx.execute(`select pg_try_advisory_xact_lock(${PURGE_LOCK}) as locked`)) as unknown as { locked: boolean }[] | { rows: { locked: boolean }[] };
      const row = Array.isArray(res) ? res[0] : res.rows[0];
      if (!row?.locked) return [];
    }
    const expired = await tx
      .select()
      .from(apiKeys)
      .where(and(isNotNull(apiKeys.expiresAt), lt(apiKeys.expiresAt, cutoff)))
      .limit(5000)
      .for("update", { skipLocked: true });
    if (!expired.length) return [];
    await tx.delete(apiKeys).where(inArray(apiKeys.id, expired.map((k) => k.id)));
    for (const key of expired) {
      await recordAudit(tx, {
        organizationId: key.organizationId,
        actor: { userId: null, label: "Latchkey (automatic purge)", ip: null },
        action: "key.purged",
        target: { type: "key", id: key.id, label: key.name },
        before: auditView(key),
        after: { reason: `expired more than ${afterDays} days ago` },
      });
    }
    return expired.map((k) => k.id);
  });
  if (purged.length) await publishKeyChange({ keyIds: purged });
  return purged.length;
}

