// Owns the key vocabularies shared by the schema, validation and the UI (client-safe: no node imports).
export const KEY_TYPES = ["secret", "public"] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const KEY_ENVIRONMENTS = ["production", "staging", "development"] as const;
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];
/** Displayed statuses: the stored ones plus "expired" (from the expiry date) and "owner_inactive" (the owner left the org). */
export const KEY_STATUSES = ["active", "suspended", "revoked", "expired", "owner_inactive"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export const BUILTIN_PERMISSIONS = ["keys:read", "keys:write", "keys:verify", "audit:read", "analytics:read"] as const;

/** Public keys may be embedded in apps, so they can only hold read-only or public permissions. */
export const isPublicSafePermission = (p: string) => p.endsWith(":read") || p.endsWith(":public");

export const ENV_LABELS: Record<KeyEnvironment, string> = { production: "Production", staging: "Staging", development: "Development" };
