// Owns the order in which a key's status is decided — revoked, expired, suspended, owner
// inactive, active — once for the pages, the management API and verification.
import type { KeyStatus } from "./key-names";

/**
 * The status a key has at `now` (a Date or epoch milliseconds): the order verification checks it.
 * `ownerIsMember` is false once the key's owner has left the organization.
 */
export function effectiveStatus(key: { status: string; expiresAt: Date | null }, now: Date | number = Date.now(), ownerIsMember = true): KeyStatus {
  if (key.status === "revoked") return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= (typeof now === "number" ? now : now.getTime())) return "expired";
  if (key.status === "suspended") return "suspended";
  return ownerIsMember ? "active" : "owner_inactive";
}
