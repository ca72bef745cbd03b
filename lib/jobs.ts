// Owns the server's periodic jobs (hourly): purging expired keys, request-log partitions and rollups
// past retention (and creating the next days' partitions), idempotency records past 24 h, sessions idle
// for 30 days and unanswered passkey challenges. Started once per process by server.ts.
import { env } from "./env";
import { purgeExpiredKeys } from "./keys/purge";
import { maintainUsageStorage } from "./verify/usage-partitions";
import { purgeIdempotencyRecords } from "./api/idempotency";
import { purgeIdleSessions } from "./auth/sessions";
import { purgeExpiredChallenges } from "./auth/passkeys";

const HOUR = 3_600_000;

export async function runHourlyJobs(): Promise<void> {
  try {
    const purged = await purgeExpiredKeys(env().KEY_PURGE_AFTER_DAYS);
    if (purged) console.log(`[latchkey] purged ${purged} expired key(s)`);
    await runUsageStorageJob();
    await purgeIdempotencyRecords();
    await purgeIdleSessions();
    await purgeExpiredChallenges();
  } catch (e) {
    console.error("[latchkey] hourly jobs failed:", (e as Error).message);
  }
}

async function runUsageStorageJob(): Promise<void> {
  const { USAGE_RETENTION_DAYS, ROLLUP_RETENTION_DAYS } = env();
  const r = await maintainUsageStorage({ retentionDays: USAGE_RETENTION_DAYS, rollupRetentionDays: ROLLUP_RETENTION_DAYS });
  if (r.dropped.length) console.log(`[latchkey] dropped request-log partitions older than ${USAGE_RETENTION_DAYS} days: ${r.dropped.join(", ")}`);
  if (r.rollupRowsDeleted) console.log(`[latchkey] deleted ${r.rollupRowsDeleted} usage rollup rows older than ${ROLLUP_RETENTION_DAYS} days`);
}

/** Runs the jobs shortly after start and then every hour; returns a function that stops them. */
export function startHourlyJobs(): () => void {
  // Today's request-log partition at once (rows of a day without one wait in the default partition).
  void runUsageStorageJob().catch((e) => console.error("[latchkey] usage storage job failed:", (e as Error).message));
  const first = setTimeout(() => void runHourlyJobs(), 30_000);
  const every = setInterval(() => void runHourlyJobs(), HOUR);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
