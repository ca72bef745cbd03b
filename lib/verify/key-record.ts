// Owns the shape of a verifiable key as the cache holds it (no imports of the cache or the lookup).
import type { ApiKey, Role } from "../db";
import type { RuleSet } from "../keys/rules";

export type KeyRecord = {
  key: ApiKey;
  /** The owner's current role in the key's organization; null when they left it. */
  ownerRole: Role | null;
  /** The key's permissions capped by its owner's role, computed once when the record is loaded. */
  effectivePermissions: string[];
  rules: RuleSet;
  ipAllowed: (ip: string | null | undefined) => boolean;
  /** True when the presented token is the previous one, still inside its roll grace period. */
  viaPreviousToken: boolean;
};
