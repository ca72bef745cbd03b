// Owns the endpoint's self-protection: a token bucket per client address (VERIFY_MAX_RPS_PER_IP).
type Bucket = { tokens: number; at: number };
const KEY = Symbol.for("latchkey.verify.ipguard");
const store = globalThis as unknown as { [KEY]?: Map<string, Bucket> };
const buckets = (store[KEY] ??= new Map());

/** True when the address may make one more request now (bursts up to one second's worth). */
export function ipAllowed(ip: string, ratePerSecond: number, now: number): boolean {
  let b = buckets.get(ip);
  if (!b) {
    if (buckets.size > 50_000) buckets.clear(); // bounded memory under address-spraying
    b = { tokens: ratePerSecond, at: now };
    buckets.set(ip, b);
  }
  b.tokens = Math.min(ratePerSecond, b.tokens + ((now - b.at) / 1000) * ratePerSecond);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

export function resetIpGuard(): void {
  buckets.clear();
}
