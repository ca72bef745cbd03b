// Owns the words of credits (client-safe: no database).
export const REFILL_INTERVALS = ["daily", "monthly"] as const;
export type RefillInterval = (typeof REFILL_INTERVALS)[number];

/** A holder's credits as stored and shown: null `remaining` means no credit limit. */
export type CreditSettings = {
  remaining: number;
  refill: { amount: number; interval: RefillInterval; refillDay: number | null } | null;
  lowThreshold: number | null;
};

/**
 * The next refill boundary strictly after `now` (UTC): the next midnight for daily refills; for
 * monthly ones, the next `refillDay` at midnight (the month's last day when it is shorter).
 */
export function nextRefillAt(interval: RefillInterval, refillDay: number | null, now: Date): Date {
  if (interval === "daily") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const day = Math.min(Math.max(refillDay ?? 1, 1), 31);
  const at = (y: number, m: number) => new Date(Date.UTC(y, m, Math.min(day, new Date(Date.UTC(y, m + 1, 0)).getUTCDate())));
  const thisMonth = at(now.getUTCFullYear(), now.getUTCMonth());
  return thisMonth.getTime() > now.getTime() ? thisMonth : at(now.getUTCFullYear(), now.getUTCMonth() + 1);
}
