// Owns the in-process cache of token hash → KeyRecord: compact records (see lookup.ts), a TTL
// backstop, short negative caching, and second-chance eviction (a hit only sets a flag, so the hot
// path never reorders the map). One per process, shared through globalThis by server.ts and Next's bundle.
import type { KeyRecord } from "./key-record";

export const CACHE_TTL_MS = 30_000;
export const NEGATIVE_TTL_MS = 2_000;
export const MAX_ENTRIES = 100_000;

type CacheState = {
  /** A record, or for an unknown hash the time its negative entry expires. */
  byHash: Map<string, KeyRecord | number>;
  /** Key id → its cached hash(es): the current token's, and the previous one's during a roll's grace period. */
  hashesByKey: Map<string, string | string[]>;
  /** Bumped by every eviction: a lookup that started before one must not cache what it read. */
  generation: number;
  hits: number;
  misses: number;
  evictions: number;
};

const KEY = Symbol.for("latchkey.verify.cache.v2");
const store = globalThis as unknown as { [KEY]?: CacheState };
const state: CacheState = (store[KEY] ??= { byHash: new Map(), hashesByKey: new Map(), generation: 0, hits: 0, misses: 0, evictions: 0 });

/** The cached answer for a hash: a record, null (known unknown), or undefined (ask the database). */
export function cacheGet(hash: string, now: number): KeyRecord | null | undefined {
  const e = state.byHash.get(hash);
  if (e === undefined) {
    state.misses++;
    return undefined;
  }
  if (typeof e === "number") {
    if (e > now) {
      state.hits++;
      return null;
    }
  } else if (e.cachedUntil > now) {
    e.used = true;
    state.hits++;
    return e;
  } else unindex(e, hash);
  state.byHash.delete(hash);
  state.misses++;
  return undefined;
}

export function cacheSet(hash: string, rec: KeyRecord | null, now: number): void {
  const old = state.byHash.get(hash);
  if (old !== undefined && typeof old !== "number") unindex(old, hash);
  if (rec) {
    rec.cachedUntil = now + CACHE_TTL_MS;
    state.byHash.set(hash, rec);
    const hashes = state.hashesByKey.get(rec.id);
    if (hashes === undefined) state.hashesByKey.set(rec.id, hash);
    else if (typeof hashes === "string") {
      if (hashes !== hash) state.hashesByKey.set(rec.id, [hashes, hash]);
    } else if (!hashes.includes(hash)) hashes.push(hash);
  } else state.byHash.set(hash, now + NEGATIVE_TTL_MS);
  if (state.byHash.size > MAX_ENTRIES) makeRoom();
}

/** Second chance: the oldest entries go, except records used since they last came round, which move to the back once. */
function makeRoom(): void {
  let guard = state.byHash.size * 2;
  for (const [hash, e] of state.byHash) {
    if (state.byHash.size <= MAX_ENTRIES || guard-- <= 0) break;
    state.byHash.delete(hash);
    if (typeof e !== "number" && e.used) {
      e.used = false;
      state.byHash.set(hash, e);
    } else {
      if (typeof e !== "number") unindex(e, hash);
      state.evictions++;
    }
  }
}

function unindex(rec: KeyRecord, hash: string): void {
  const hashes = state.hashesByKey.get(rec.id);
  if (hashes === hash) state.hashesByKey.delete(rec.id);
  else if (Array.isArray(hashes)) {
    const rest = hashes.filter((h) => h !== hash);
    if (rest.length === 0) state.hashesByKey.delete(rec.id);
    else state.hashesByKey.set(rec.id, rest.length === 1 ? rest[0] : rest);
  }
}

export type KeyChange = { keyIds?: string[]; organizationIds?: string[]; hashes?: string[] };

export function cacheGeneration(): number {
  return state.generation;
}

export function evict(change: KeyChange): void {
  state.generation++;
  for (const h of change.hashes ?? []) {
    const e = state.byHash.get(h);
    state.byHash.delete(h);
    if (e !== undefined && typeof e !== "number") unindex(e, h);
  }
  for (const id of change.keyIds ?? []) {
    const hashes = state.hashesByKey.get(id);
    if (hashes === undefined) continue;
    for (const h of typeof hashes === "string" ? [hashes] : hashes) state.byHash.delete(h);
    state.hashesByKey.delete(id);
  }
  // An organization-wide change (an owner's role, a member leaving) is rare: a scan is cheaper than an index per key.
  if (change.organizationIds?.length) {
    const orgs = new Set(change.organizationIds);
    for (const [h, e] of state.byHash) {
      if (typeof e !== "number" && orgs.has(e.organizationId)) {
        state.byHash.delete(h);
        unindex(e, h);
      }
    }
  }
}

export function clearCache(): void {
  state.generation++;
  state.byHash.clear();
  state.hashesByKey.clear();
}

export function cacheSize(): number {
  return state.byHash.size;
}

/** For /metrics: hits, misses (including expired entries) and capacity evictions since start. */
export function cacheStats(): { size: number; hits: number; misses: number; evictions: number } {
  return { size: state.byHash.size, hits: state.hits, misses: state.misses, evictions: state.evictions };
}
