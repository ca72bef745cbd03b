// Owns resolving a token hash to everything verification needs (key, owner's role, parsed rules and allowlist).
import { and, eq, or, sql } from "drizzle-orm";
import { apiKeys, getDb, memberships, type ApiKey, type Role } from "../db";
import { parseRules, type RuleSet } from "../keys/rules";
import { compileAllowlist } from "../keys/ip-allowlist";
import { cacheGet, cacheSet } from "./cache";
import { effectivePermissions } from "../keys/caps";
import type { MaybePromise } from "../maybe-promise";

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

// Built and prepared once per process (per database client): a cache miss only executes it.
const PREPARED = Symbol.for("latchkey.verify.lookup");
const preparedStore = globalThis as unknown as { [PREPARED]?: { db: unknown; query: ReturnType<typeof prepare> } };
function prepare() {
  const hash = sql.placeholder("hash");
  return getDb()
    .select({ key: apiKeys, ownerRole: memberships.role })
    .from(apiKeys)
    .leftJoin(memberships, and(eq(memberships.organizationId, apiKeys.organizationId), eq(memberships.userId, apiKeys.ownerId)))
    .where(or(eq(apiKeys.hash, hash), eq(apiKeys.previousHash, hash)))
    .limit(1)
    .prepare("latchkey_lookup_key");
}
function lookupQuery() {
  const db = getDb();
  if (preparedStore[PREPARED]?.db !== db) preparedStore[PREPARED] = { db, query: prepare() };
  return preparedStore[PREPARED]!.query;
}

/** Finds the key whose current or previous token has this hash (from the database). */
async function loadKeyRecord(hash: string): Promise<KeyRecord | null> {
  const [row] = await lookupQuery().execute({ hash });
  if (!row) return null;
  const viaPreviousToken = row.key.hash !== hash;
  let rules: RuleSet;
  try {
    rules = parseRules(row.key.rules);
  } catch {
    rules = { rules: [], hasAllow: true }; // stored rules were validated; a bad row denies everything
  }
  return { key: row.key, ownerRole: row.ownerRole, effectivePermissions: effectivePermissions(row.key.permissions, row.ownerRole), rules, ipAllowed: compileAllowlist(row.key.ipAllowlist), viaPreviousToken };
}

/**
 * The key for a presented token's hash, through the in-process cache: its current token, or its
 * previous token while the roll's grace period lasts (checked on every call, not only on load).
 * Synchronous on a cache hit; a promise only when the database must be asked.
 */
export function lookupKeyByHash(hash: string, t: number): MaybePromise<KeyRecord | null> {
  const entry = cacheGet(hash, t);
  if (entry) return usableFor(entry.rec, hash, t);
  return loadKeyRecord(hash).then((rec) => {
    cacheSet(hash, rec, t);
    return usableFor(rec, hash, t);
  });
}

function usableFor(rec: KeyRecord | null, hash: string, t: number): KeyRecord | null {
  if (rec?.viaPreviousToken && !(rec.key.previousHash === hash && rec.key.previousHashExpiresAt && rec.key.previousHashExpiresAt.getTime() > t)) return null;
  return rec;
}
