// Owns the one Redis script of the shared rate limits (lib/verify/rate-limit.ts): check every limit of
// a request, then take the cost from each only when all allow, atomically.
import type Redis from "ioredis";

// KEYS: per check, its current and previous window. ARGV: per check, 6 values: unconfirmed hits to
// add first, cost to take, what must fit (cost, at least 1), limit, previous window's weight, TTL.
// Every check is decided before anything is taken: all allow and every cost is added, or nothing is.
export const HIT_SCRIPT = `
local n = #KEYS / 2
local cur, prev = {}, {}
local ok = 1
for i = 1, n do
  local b = (i - 1) * 6
  local add = tonumber(ARGV[b + 1])
  if add > 0 then
    cur[i] = redis.call('INCRBY', KEYS[2 * i - 1], add)
    redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[b + 6])
  else
    cur[i] = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  end
  prev[i] = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if prev[i] * tonumber(ARGV[b + 5]) + cur[i] + tonumber(ARGV[b + 3]) > tonumber(ARGV[b + 4]) then ok = 0 end
end
if ok == 1 then
  for i = 1, n do
    local b = (i - 1) * 6
    local take = tonumber(ARGV[b + 2])
    if take > 0 then
      cur[i] = redis.call('INCRBY', KEYS[2 * i - 1], take)
      redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[b + 6])
    end
  end
end
local out = {ok}
for i = 1, n do
  out[2 * i] = cur[i]
  out[2 * i + 1] = prev[i]
end
return out`;

export type HitRedis = Redis & {
  /** numKeys, the keys, then 6 arguments per check (see HIT_SCRIPT): [ok, cur1, prev1, cur2, prev2, …]. */
  latchkeyHit(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
};
