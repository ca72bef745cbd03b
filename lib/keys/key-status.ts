// Owns the order in which a key's status is decided — revoked, expired, suspended, owner
// inactive, active — once for the pages, the management API and verification.
import type { KeyStatus } from "./key-names";

/**
 * The status a key has at `now` (a Date or epoch milliseconds): the order verification checks it.
 * `ownerIsMember` is false once the key's owner has left the organization.
 */
export function effectiveStatus(key: { status: string; expiresAt: Date | null }, now: Date | number = Date.now(), ownerIsMember = true): KeyStatus {
  return statusAt(key.status, key.expiresAt ? key.expiresAt.getTime() : 0, ownerIsMember, typeof now === "number" ? now : now.getTime());
}

/** The same order on plain numbers (verification's hot path): `expiresAtMs` 0 means never. */
export function statusAt(status: string, expiresAtMs: number, ownerIsMember: boolean, nowMs: number): KeyStatus {
  if (status === "revoked") return "revoked";
  if (expiresAtMs && expiresAtMs <= nowMs) return "expired";
  if (status === "suspended") return "suspended";
  return ownerIsMember ? "active" : "owner_inactive";
}
