// Owns the in-process cache of token hash → KeyRecord (LRU, TTL backstop, short negative caching).
// One per process, shared through globalThis by server.ts and Next's bundle.
import type { KeyRecord } from "./key-record";

export const CACHE_TTL_MS = 30_000;
export const NEGATIVE_TTL_MS = 2_000;
const MAX_ENTRIES = 100_000;

type Entry = { rec: KeyRecord | null; expiresAt: number };
type CacheState = {
  byHash: Map<string, Entry>;
  hashesByKey: Map<string, Set<string>>;
  hashesByOrg: Map<string, Set<string>>;
  /** Bumped by every eviction: a lookup that started before one must not cache what it read. */
  generation: number;
};

const KEY = Symbol.for("latchkey.verify.cache");
const store = globalThis as unknown as { [KEY]?: CacheState };
const state: CacheState = (store[KEY] ??= { byHash: new Map(), hashesByKey: new Map(), hashesByOrg: new Map(), generation: 0 });

function index(map: Map<string, Set<string>>, id: string, hash: string) {
  let set = map.get(id);
  if (!set) map.set(id, (set = new Set()));
  set.add(hash);
}

export function cacheGet(hash: string, now: number): Entry | undefined {
  const e = state.byHash.get(hash);
  if (!e) return undefined;
  if (e.expiresAt <= now) {
    state.byHash.delete(hash);
    return undefined;
  }
  // Refresh recency: Map keeps insertion order, so the first entry is the least recently used.
  state.byHash.delete(hash);
  state.byHash.set(hash, e);
  return e;
}

export function cacheSet(hash: string, rec: KeyRecord | null, now: number): void {
  state.byHash.set(hash, { rec, expiresAt: now + (rec ? CACHE_TTL_MS : NEGATIVE_TTL_MS) });
  if (rec) {
    index(state.hashesByKey, rec.key.id, hash);
    index(state.hashesByOrg, rec.key.organizationId, hash);
  }
  while (state.byHash.size > MAX_ENTRIES) state.byHash.delete(state.byHash.keys().next().value!);
}

export type KeyChange = { keyIds?: string[]; organizationIds?: string[]; hashes?: string[] };

export function cacheGeneration(): number {
  return state.generation;
}

export function evict(change: KeyChange): void {
  state.generation++;
  for (const h of change.hashes ?? []) state.byHash.delete(h);
  for (const [ids, map] of [
    [change.keyIds, state.hashesByKey],
    [change.organizationIds, state.hashesByOrg],
  ] as const) {
    for (const id of ids ?? []) {
      for (const h of map.get(id) ?? []) state.byHash.delete(h);
      map.delete(id);
    }
  }
}

export function clearCache(): void {
  state.generation++;
  state.byHash.clear();
  state.hashesByKey.clear();
  state.hashesByOrg.clear();
}

export function cacheSize(): number {
  return state.byHash.size;
}
