// Owns the endpoint's self-protection against guessing: a token bucket per client address that only
// failed lookups (MALFORMED, NOT_FOUND) drain, VERIFY_MAX_FAILURES_PER_IP a second (bursts up to one
// second's worth). Valid answers and callers with a verifier key never touch it.
type Bucket = { tokens: number; at: number };
const KEY = Symbol.for("latchkey.verify.failureguard");
const store = globalThis as unknown as { [KEY]?: Map<string, Bucket> };
const buckets = (store[KEY] ??= new Map());
const MAX_ADDRESSES = 50_000;

/** Counts one failed lookup from `ip`; false when the address is past its budget (the answer becomes 429). */
export function chargeFailure(ip: string, perSecond: number, now: number): boolean {
  if (perSecond <= 0) return true; // 0: the guard is off
  let b = buckets.get(ip);
  if (!b) {
    if (buckets.size >= MAX_ADDRESSES) pruneFull(now, perSecond);
    b = { tokens: perSecond, at: now };
    buckets.set(ip, b);
  }
  b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) / 1000) * perSecond);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

/** Forgets addresses whose bucket has refilled (they would start full anyway), so spraying addresses cannot grow memory. */
function pruneFull(now: number, perSecond: number) {
  for (const [ip, b] of buckets) if (b.tokens + ((now - b.at) / 1000) * perSecond >= perSecond) buckets.delete(ip);
  if (buckets.size >= MAX_ADDRESSES) buckets.clear();
}

export function failureGuardSize(): number {
  return buckets.size;
}

export function resetIpGuard(): void {
  buckets.clear();
}
