// Owns resolving a token hash to everything verification needs (key, owner's role, parsed rules and allowlist).
import { and, eq, or } from "drizzle-orm";
import { apiKeys, getDb, memberships, type ApiKey, type Role } from "../db";
import { parseRules, type RuleSet } from "../keys/rules";
import { compileAllowlist } from "../keys/ip-allowlist";

export type KeyRecord = {
  key: ApiKey;
  /** The owner's current role in the key's organization; null when they left it. */
  ownerRole: Role | null;
  rules: RuleSet;
  ipAllowed: (ip: string | null | undefined) => boolean;
  /** True when the presented token is the previous one, still inside its roll grace period. */
  viaPreviousToken: boolean;
};

/** Finds the key whose current token, or previous token within its grace period, has this hash. */
export async function lookupKeyByHash(hash: string, now: Date): Promise<KeyRecord | null> {
  const [row] = await getDb()
    .select({ key: apiKeys, ownerRole: memberships.role })
    .from(apiKeys)
    .leftJoin(memberships, and(eq(memberships.organizationId, apiKeys.organizationId), eq(memberships.userId, apiKeys.ownerId)))
    .where(or(eq(apiKeys.hash, hash), eq(apiKeys.previousHash, hash)))
    .limit(1);
  if (!row) return null;
  const viaPreviousToken = row.key.hash !== hash;
  if (viaPreviousToken && !(row.key.previousHashExpiresAt && row.key.previousHashExpiresAt > now)) return null;
  let rules: RuleSet;
  try {
    rules = parseRules(row.key.rules);
  } catch {
    rules = { rules: [], hasAllow: true }; // stored rules were validated; a bad row denies everything
  }
  return { key: row.key, ownerRole: row.ownerRole, rules, ipAllowed: compileAllowlist(row.key.ipAllowlist), viaPreviousToken };
}
