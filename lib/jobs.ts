// Owns the server's periodic jobs (hourly): purging expired keys, old request logs and idempotency records past 24 h, sessions idle for 30 days, unanswered passkey challenges. Started once per process by server.ts.
import { env } from "./env";
import { purgeExpiredKeys } from "./keys/purge";
import { purgeRequestLogs } from "./verify/usage-queries";
import { purgeIdempotencyRecords } from "./api/idempotency";
import { purgeIdleSessions } from "./auth/sessions";
import { purgeExpiredChallenges } from "./auth/passkeys";

const HOUR = 3_600_000;

export async function runHourlyJobs(): Promise<void> {
  try {
    const purged = await purgeExpiredKeys(env().KEY_PURGE_AFTER_DAYS);
    if (purged) console.log(`[latchkey] purged ${purged} expired key(s)`);
    const logs = await purgeRequestLogs(env().USAGE_RETENTION_DAYS);
    if (logs) console.log(`[latchkey] pruned ${logs} request-log entries older than ${env().USAGE_RETENTION_DAYS} days`);
    await purgeIdempotencyRecords();
    await purgeIdleSessions();
    await purgeExpiredChallenges();
  } catch (e) {
    console.error("[latchkey] hourly jobs failed:", (e as Error).message);
  }
}

/** Runs the jobs shortly after start and then every hour; returns a function that stops them. */
export function startHourlyJobs(): () => void {
  const first = setTimeout(() => void runHourlyJobs(), 30_000);
  const every = setInterval(() => void runHourlyJobs(), HOUR);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
