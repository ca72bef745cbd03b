// Owns taking verification costs from credits at full speed: each instance takes a small block of
// credits (a lease) from PostgreSQL in one atomic statement and answers from it locally until it is
// spent, so a busy key costs one UPDATE per block instead of one per request (a row lock taken per
// request caps a hot key at about a thousand verifications a second). Exactness holds across any
// number of instances: a credit is answered VALID only by the instance that took it from the row,
// so there are never more valid answers than credits. The price is the tail: while one instance
// still holds part of a lease another may already answer USAGE_EXCEEDED. A lease is at most 1% of
// what was left (at most 1,000 credits, and never less than the request's cost), so near the end
// leases are single credits; an idle instance gives its lease back after 5 seconds, and on shutdown.
// A busy lease is topped up ahead: when a quarter of it is left, the next block is taken in the
// background while requests go on answering from what is left, so a hot key does not stall all its
// in-flight requests on the row once per block (an instance then holds at most 1.25 blocks).
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { apiKeys, customers, getDb } from "../db";
import { nextRefillAt } from "./credit-names";
import { consumeCredits, type CreditHolder, type CreditOutcome } from "./credits";
import type { MaybePromise } from "../maybe-promise";
import { log } from "../log";

/** Share of what is left that one lease takes, and its cap. */
export const LEASE_SHARE = 0.01;
export const MAX_LEASE = 1000;
/** A lease unused this long is given back to the row. */
export const IDLE_RETURN_MS = 5000;

type Lease = {
  holder: CreditHolder;
  /** Credits taken from the row and not yet answered. */
  left: number;
  /** What the row held after this lease was taken (what other instances may still spend). */
  rowRemaining: number;
  /** The holder's version (its updatedAt) when leased: an edit sets new credits, and the lease is void. */
  version: number;
  /** Epoch ms of the holder's next refill (a refill resets the credits: the lease ends with its period); Infinity when none. */
  validUntil: number;
  /** A lease being taken or topped up: requests that find too little left wait for it rather than each taking their own. */
  pending: Promise<void> | null;
  /** Credits the last block took from the row (the top-up starts when a quarter of that is left). */
  block: number;
  usedAt: number;
};

const KEY = Symbol.for("latchkey.credits.leases");
const store = globalThis as unknown as { [KEY]?: { leases: Map<string, Lease>; timer: NodeJS.Timeout | null } };
const state = (store[KEY] ??= { leases: new Map(), timer: null });

const holderKey = (h: CreditHolder) => `${h.kind}:${h.id}`;

function usable(l: Lease | undefined, holder: CreditHolder, nowMs: number): Lease | undefined {
  if (!l) return undefined;
  if (l.version !== (holder.version ?? 0) || nowMs >= l.validUntil) {
    // Edited (the new credits are authoritative) or refilled (the period's credits are gone): drop it.
    if (!l.pending) state.leases.delete(holderKey(holder));
    return l.pending ? l : undefined;
  }
  return l;
}

/**
 * Takes `cost` credits for one verification: from this instance's lease when it holds enough (no
 * database round trip), else by taking a new lease. `cost` 0 only checks that a credit is left.
 */
export function takeCredits(holder: CreditHolder, cost: number, now: Date): MaybePromise<CreditOutcome> {
  const nowMs = now.getTime();
  const l = usable(state.leases.get(holderKey(holder)), holder, nowMs);
  // A voided lease may still be returned while a statement for it is in flight: never answer from it.
  if (l && l.version === (holder.version ?? 0) && nowMs < l.validUntil) {
    l.usedAt = nowMs;
    if (cost === 0 && l.left > 0) return { allowed: true, remaining: l.rowRemaining + l.left };
    if (cost > 0 && l.left >= cost) {
      l.left -= cost;
      if (l.left * 4 < l.block && l.block >= TOP_UP_FROM && l.rowRemaining > 0 && !l.pending) topUp(l, now);
      return { allowed: true, remaining: l.rowRemaining + l.left };
    }
  }
  if (l?.pending) return l.pending.then(() => takeCredits(holder, cost, now));
  if (cost === 0) return consumeCredits(holder, 0, now).then((o) => ({ ...o, remaining: o.remaining + (l?.left ?? 0) }));
  return lease(holder, cost, now, l);
}

/** Below this block size a lease is not topped up ahead (near the end, blocks are single credits). */
const TOP_UP_FROM = 8;

async function lease(holder: CreditHolder, cost: number, now: Date, current: Lease | undefined): Promise<CreditOutcome> {
  const key = holderKey(holder);
  const l: Lease = current ?? { holder, left: 0, rowRemaining: 0, version: holder.version ?? 0, validUntil: Infinity, pending: null, block: 0, usedAt: now.getTime() };
  state.leases.set(key, l);
  // What the lease still holds goes to this request, with the rest of its cost from the row.
  const held = l.left;
  l.left = 0;
  let done!: () => void;
  l.pending = new Promise<void>((r) => (done = r));
  try {
    const taken = await takeFromRow(holder, cost - held, now).catch((e: unknown) => {
      l.left += held;
      throw e;
    });
    if (!taken) {
      l.left += held;
      const o = await consumeCredits(holder, 0, now);
      return { allowed: false, remaining: o.remaining + l.left };
    }
    l.left += taken.count - (cost - held);
    l.block = taken.count;
    l.rowRemaining = taken.rowRemaining;
    l.validUntil = taken.nextRefillAt ?? Infinity;
    l.usedAt = now.getTime();
    startIdleReturns();
    return { allowed: true, remaining: l.rowRemaining + l.left };
  } finally {
    l.pending = null;
    done();
  }
}

/** Takes the next block while the lease still answers (its requests never wait for this statement). */
function topUp(l: Lease, now: Date): void {
  let done!: () => void;
  l.pending = new Promise<void>((r) => (done = r));
  takeFromRow(l.holder, 1, now)
    .then((taken) => {
      if (!taken) {
        l.rowRemaining = 0;
        return;
      }
      // A refill applied meanwhile starts a new period: what was left of the old one is gone.
      if ((taken.nextRefillAt ?? Infinity) !== l.validUntil) l.left = 0;
      l.left += taken.count;
      l.block = taken.count;
      l.rowRemaining = taken.rowRemaining;
      l.validUntil = taken.nextRefillAt ?? Infinity;
    })
    .catch((e: unknown) => log().warn(`could not take the next block of credits: ${(e as Error).message}`))
    .finally(() => {
      l.pending = null;
      done();
    });
}

type Taken = { count: number; rowRemaining: number; nextRefillAt: number | null };

/**
 * One statement: applies a refill that is due, then takes a lease of at least `need` credits (1% of
 * what is left, at most MAX_LEASE, never more than there is). Null when fewer than `need` are left.
 */
async function takeFromRow(holder: CreditHolder, need: number, now: Date): Promise<Taken | null> {
  const t = holder.kind === "key" ? apiKeys : customers;
  const at = now.toISOString();
  const due = sql`(${t.creditsNextRefillAt} is not null and ${t.creditsRefillAmount} is not null and ${t.creditsNextRefillAt} <= ${at}::timestamptz)`;
  const next = holder.refillInterval ? nextRefillAt(holder.refillInterval, holder.refillDay, now).toISOString() : null;
  // Both tables name their credit columns alike (creditColumns in the schema).
  const res = await getDb().execute(sql`
    with cur as (
      select (case when ${due} then ${t.creditsRefillAmount} else ${t.creditsRemaining} end) as e
      from ${t} where ${t.id} = ${holder.id} and ${t.creditsRemaining} is not null
      for update
    )
    update ${t} set
      credits_remaining = cur.e - least(cur.e, greatest(${need}::int, least(${MAX_LEASE}::int, floor(cur.e * ${LEASE_SHARE}::float8)::int))),
      credits_next_refill_at = case when ${due} then ${next}::timestamptz else ${t.creditsNextRefillAt} end
    from cur
    where ${t.id} = ${holder.id} and cur.e >= ${need}::int
    returning cur.e as before, ${t.creditsRemaining} as after, ${t.creditsNextRefillAt} as next_refill_at`);
  const rows = (Array.isArray(res) ? res : (res as unknown as { rows: unknown[] }).rows) as { before: number | string; after: number | string; next_refill_at: string | Date | null }[];
  const row = rows[0];
  if (!row) return null;
  const before = Number(row.before);
  const after = Number(row.after);
  return { count: before - after, rowRemaining: after, nextRefillAt: row.next_refill_at === null ? null : new Date(row.next_refill_at).getTime() };
}

/** Gives back credits taken for a request that a rate limit then refused: into the lease they came from. */
export function returnCredits(holder: CreditHolder, cost: number): void {
  const l = state.leases.get(holderKey(holder));
  if (cost > 0 && l && l.version === (holder.version ?? 0)) l.left += cost;
}

/** Gives every lease that is idle (or all, on shutdown) back to its row, unless the holder was edited or refilled since. */
export async function returnLeases(all = false, nowMs = Date.now()): Promise<void> {
  const back: Lease[] = [];
  for (const [key, l] of state.leases) {
    if (l.pending || (!all && nowMs - l.usedAt < IDLE_RETURN_MS)) continue;
    state.leases.delete(key);
    if (l.left > 0 && nowMs < l.validUntil) back.push(l);
  }
  await Promise.all(
    back.map(async (l) => {
      const t = l.holder.kind === "key" ? apiKeys : customers;
      await getDb()
        .update(t)
        .set({ creditsRemaining: sql`${t.creditsRemaining} + ${l.left}` })
        .where(and(eq(t.id, l.holder.id), isNotNull(t.creditsRemaining), sql`floor(extract(epoch from ${t.updatedAt}) * 1000)::bigint = ${l.version}::bigint`));
    }),
  );
}

function startIdleReturns() {
  if (state.timer) return;
  state.timer = setInterval(() => void returnLeases().catch(() => {}), IDLE_RETURN_MS);
  state.timer.unref();
}

/** Drops every lease without giving it back (tests: a fresh instance). */
export function forgetLeases(): void {
  state.leases.clear();
}
