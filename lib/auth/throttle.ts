// Owns slowing and then refusing repeated failed sign-ins, per email and per client address.
import { eq, inArray, sql } from "drizzle-orm";
import { authThrottle, type DbOrTx } from "../db";
import { RateLimitError } from "../errors";

export const THROTTLE = {
  windowMs: 15 * 60_000,
  slowAfter: 3,
  lockAfterPerEmail: 10,
  lockAfterPerIp: 50,
  lockMs: 15 * 60_000,
  maxDelayMs: 2_000,
};

export function throttleKeys(email: string, ip: string | null): string[] {
  const keys = [`email:${email.toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

/** Throws RateLimitError while locked; otherwise returns how long to stall this attempt. */
export async function checkThrottle(db: DbOrTx, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.select().from(authThrottle).where(inArray(authThrottle.key, keys));
  let failures = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now) {
      const seconds = Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
      const minutes = Math.ceil(seconds / 60);
      throw new RateLimitError(
        `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        seconds,
      );
    }
    if (now.getTime() - row.windowStartedAt.getTime() < THROTTLE.windowMs) failures = Math.max(failures, row.failures);
  }
  if (failures < THROTTLE.slowAfter) return 0;
  return Math.min(THROTTLE.maxDelayMs, 250 * 2 ** (failures - THROTTLE.slowAfter));
}

export async function recordFailure(db: DbOrTx, keys: string[], now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  for (const key of keys) {
    const limit = key.startsWith("ip:") ? THROTTLE.lockAfterPerIp : THROTTLE.lockAfterPerEmail;
    const fresh = sql`${authThrottle.windowStartedAt} < ${windowStart.toISOString()}::timestamptz`;
    const next = sql`case when ${fresh} then 1 else ${authThrottle.failures} + 1 end`;
    await db
      .insert(authThrottle)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          failures: next,
          windowStartedAt: sql`case when ${fresh} then ${now.toISOString()}::timestamptz else ${authThrottle.windowStartedAt} end`,
          lockedUntil: sql`case when ${next} >= ${limit} then ${lockUntil.toISOString()}::timestamptz else null end`,
        },
      });
  }
}

export async function clearFailures(db: DbOrTx, email: string): Promise<void> {
  await db.delete(authThrottle).where(eq(authThrottle.key, `email:${email.toLowerCase()}`));
}
