// Owns roll grace periods: how long an old token keeps working after a roll.
export const GRACE_PERIODS = ["now", "1h", "12h", "24h", "7d"] as const;
export type GracePeriod = (typeof GRACE_PERIODS)[number];

export const GRACE_LABELS: Record<GracePeriod, string> = {
  now: "Immediately invalid",
  "1h": "1 hour",
  "12h": "12 hours",
  "24h": "24 hours",
  "7d": "7 days",
};

const GRACE_MS: Record<GracePeriod, number> = { now: 0, "1h": 3600_000, "12h": 12 * 3600_000, "24h": 24 * 3600_000, "7d": 7 * 24 * 3600_000 };

/**
 * When the old token stops working: now + grace, never past the key's own expiry.
 * Returns null when the old token must stop at once.
 */
export function graceEndsAt(grace: GracePeriod, now: Date, keyExpiresAt: Date | null): Date | null {
  if (grace === "now") return null;
  let end = now.getTime() + GRACE_MS[grace];
  if (keyExpiresAt) end = Math.min(end, keyExpiresAt.getTime());
  return end > now.getTime() ? new Date(end) : null;
}
