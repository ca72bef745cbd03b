// Owns resolving a token hash to everything verification needs (key, owner's role, parsed rules and allowlist).
import { and, eq, or, sql } from "drizzle-orm";
import { apiKeys, customers, getDb, memberships, type ApiKey, type Customer, type Role } from "../db";
import { parseRules, type RuleSet } from "../keys/rules";
import { compileAllowlist } from "../keys/ip-allowlist";
import { cacheGeneration, cacheGet, cacheSet } from "./cache";
import type { KeyRecord, RecordLimit } from "./key-record";
import { appliedLimits } from "../limits/named-limits";
import { effectivePermissions } from "../keys/caps";
import type { MaybePromise } from "../maybe-promise";

export type { KeyRecord } from "./key-record";

// Built and prepared once per process (per database client): a cache miss only executes it.
const PREPARED = Symbol.for("latchkey.verify.lookup");
const preparedStore = globalThis as unknown as { [PREPARED]?: { db: unknown; query: ReturnType<typeof prepare> } };
function prepare() {
  const hashes = sql.placeholder("hashes");
  return getDb()
    .select({ key: apiKeys, ownerRole: memberships.role, customer: customers })
    .from(apiKeys)
    .leftJoin(memberships, and(eq(memberships.organizationId, apiKeys.organizationId), eq(memberships.userId, apiKeys.ownerId)))
    .leftJoin(customers, eq(customers.id, apiKeys.customerId))
    .where(or(sql`${apiKeys.hash} = any(${hashes}::text[])`, sql`${apiKeys.previousHash} = any(${hashes}::text[])`))
    .prepare("latchkey_lookup_keys");
}
function lookupQuery() {
  const db = getDb();
  if (preparedStore[PREPARED]?.db !== db) preparedStore[PREPARED] = { db, query: prepare() };
  return preparedStore[PREPARED]!.query;
}

export type KeyRow = { key: ApiKey; ownerRole: Role | null; customer?: Customer | null };
type Row = KeyRow;

// Shared pieces: thousands of keys hold the same permissions, no rules and no allowlist.
const NO_RULES: RuleSet = { rules: [], hasAllow: false };
const ALLOW_ALL = () => true;
const SHARED = Symbol.for("latchkey.verify.shared");
const sharedStore = globalThis as unknown as { [SHARED]?: Map<string, unknown> };
const shared = (sharedStore[SHARED] ??= new Map());
function share<T>(id: string, make: () => T): T {
  let v = shared.get(id) as T | undefined;
  if (v === undefined) {
    if (shared.size >= 20_000) shared.clear(); // bounded; records already built keep their pieces
    v = make();
    shared.set(id, v);
  }
  return v;
}

/** The compact record for a row found by `hash` (its current or previous token). */
export function toRecord(row: Row, hash: string): KeyRecord {
  const k = row.key;
  let rules = NO_RULES;
  if (k.rules && k.rules.trim()) {
    const text = k.rules;
    rules = share(`r\0${text}`, () => {
      try {
        return parseRules(text);
      } catch {
        return { rules: [], hasAllow: true }; // stored rules were validated; a bad row denies everything
      }
    });
  }
  const permissions = share(`p\0${row.ownerRole}\0${k.permissions.join("\0")}`, () => Object.freeze(effectivePermissions(k.permissions, row.ownerRole)));
  const organizationId = share(`o\0${k.organizationId}`, () => k.organizationId);
  const identity = {
    keyId: k.id,
    organizationId,
    ownerId: k.ownerId,
    name: k.name,
    type: k.type,
    environment: k.environment,
    permissions,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    externalId: k.externalId,
    metadata: k.metadata,
    customer: row.customer ? { id: row.customer.id, externalId: row.customer.externalId, name: row.customer.name, metadata: row.customer.metadata } : null,
  };
  // Credits: the key's own, else its customer's (shared by all the customer's keys).
  const creditSource = k.creditsRemaining !== null ? { kind: "key" as const, row: k } : row.customer && row.customer.creditsRemaining !== null ? { kind: "customer" as const, row: row.customer } : null;
  return {
    id: k.id,
    organizationId,
    type: k.type,
    environment: k.environment,
    customerId: k.customerId,
    status: k.status,
    expiresAtMs: k.expiresAt?.getTime() ?? 0,
    limits: recordLimits(k, row.customer ?? null),
    ownerActive: row.ownerRole !== null,
    effectivePermissions: permissions,
    rules,
    ipAllowed: k.ipAllowlist.length === 0 ? ALLOW_ALL : share(`a\0${k.ipAllowlist.join("\0")}`, () => compileAllowlist(k.ipAllowlist)),
    graceUntilMs: k.hash === hash ? -1 : (k.previousHashExpiresAt?.getTime() ?? 0),
    credits: creditSource ? { kind: creditSource.kind, id: creditSource.row.id, refillInterval: creditSource.row.creditsRefillInterval, refillDay: creditSource.row.creditsRefillDay, version: creditSource.row.updatedAt.getTime() } : null,
    // Flattened into one sequential string (a slice would keep its parent and cost an indirection per answer).
    identityJson: flat(JSON.stringify(identity).slice(1, -1)),
    cachedUntil: 0,
    used: false,
  };
}

const NO_LIMITS: readonly RecordLimit[] = Object.freeze([]);

/** The key's limits and its customer's (shared by every key of the customer that has no limits of its own). */
function recordLimits(k: ApiKey, customer: Customer | null): readonly RecordLimit[] {
  const applied = appliedLimits(k, customer);
  if (applied.length === 0) return NO_LIMITS;
  const build = () => Object.freeze(applied.map((l) => Object.freeze({ name: l.name, counter: `${l.holderId}:${l.name}:${l.window}`, limit: l.limit, windowMs: l.window * 1000, cost: 1 })));
  return k.ratelimits.length === 0 && customer ? share(`l\0${customer.id}\0${JSON.stringify(customer.ratelimits)}`, build) : build();
}

function flat(s: string): string {
  return Buffer.from(s, "utf8").toString("utf8");
}

// Cache misses that arrive together are looked up together: every hash missed during one turn of
// the event loop goes into one query, and a hash already being looked up is not asked twice. Under
// a burst of new keys this turns hundreds of queries a second into a few dozen batches.
const MAX_BATCH = 500;
type Waiter = { resolve: (rec: KeyRecord | null) => void; reject: (e: unknown) => void };
type Loader = { batch: Map<string, Waiter> | null; inFlight: Map<string, Promise<KeyRecord | null>> };
const LOADER = Symbol.for("latchkey.verify.loader");
const loaderStore = globalThis as unknown as { [LOADER]?: Loader };
const loader: Loader = (loaderStore[LOADER] ??= { batch: null, inFlight: new Map() });

/** The key whose current or previous token has this hash, from the database (then cached). */
function loadKeyRecord(hash: string): Promise<KeyRecord | null> {
  const pending = loader.inFlight.get(hash);
  if (pending) return pending;
  let batch = loader.batch;
  if (!batch) {
    const fresh = (batch = loader.batch = new Map());
    setImmediate(() => {
      if (loader.batch === fresh) loader.batch = null;
      void runBatch(fresh);
    });
  }
  const promise = new Promise<KeyRecord | null>((resolve, reject) => batch.set(hash, { resolve, reject }));
  loader.inFlight.set(hash, promise);
  if (batch.size >= MAX_BATCH) loader.batch = null; // full: later misses start the next batch
  return promise;
}

async function runBatch(batch: Map<string, Waiter>): Promise<void> {
  const hashes = [...batch.keys()];
  const generation = cacheGeneration(); // a change committed meanwhile must not be cached over
  try {
    const rows = await lookupQuery().execute({ hashes });
    const byHash = new Map<string, Row>();
    for (const row of rows) {
      byHash.set(row.key.hash, row);
      if (row.key.previousHash) byHash.set(row.key.previousHash, row);
    }
    const now = Date.now();
    for (const [hash, waiter] of batch) {
      const row = byHash.get(hash);
      const rec = row ? toRecord(row, hash) : null;
      if (cacheGeneration() === generation) cacheSet(hash, rec, now);
      loader.inFlight.delete(hash);
      waiter.resolve(rec);
    }
  } catch (e) {
    for (const [hash, waiter] of batch) {
      loader.inFlight.delete(hash);
      waiter.reject(e);
    }
  }
}

/**
 * The key for a presented token's hash, through the in-process cache: its current token, or its
 * previous token while the roll's grace period lasts (checked on every call, not only on load).
 * Synchronous on a cache hit; a promise only when the database must be asked.
 */
export function lookupKeyByHash(hash: string, t: number): MaybePromise<KeyRecord | null> {
  const rec = cacheGet(hash, t);
  if (rec !== undefined) return usableFor(rec, t);
  return loadKeyRecord(hash).then((rec) => usableFor(rec, t));
}

function usableFor(rec: KeyRecord | null, t: number): KeyRecord | null {
  return rec && rec.graceUntilMs >= 0 && rec.graceUntilMs <= t ? null : rec;
}
