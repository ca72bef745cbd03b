// Owns usage recording: every verification of an existing key is buffered in memory and written
// in batches (request-log rows + last-used time/address) at least every second or 1,000 entries.
// The request path only pushes to the buffer. The buffer is bounded; while the database is down
// entries are kept and retried, and past the bound new entries are dropped and counted.
import { sql } from "drizzle-orm";
import { getDb } from "../db";

export type UsageEntry = { keyId: string; organizationId: string; at: Date; code: string; ip: string | null; method: string | null; path: string | null };

export const FLUSH_EVERY_MS = 1000;
export const FLUSH_AT_ENTRIES = 1000;
export const MAX_BUFFERED = 200_000;
const BATCH = 5000;

type UsageState = { buffer: UsageEntry[]; dropped: number; timer?: NodeJS.Timeout; flushing?: Promise<void>; failing: boolean };
const KEY = Symbol.for("latchkey.verify.usage");
const store = globalThis as unknown as { [KEY]?: UsageState };
const state = (store[KEY] ??= { buffer: [], dropped: 0, failing: false });

export function recordUsage(entry: UsageEntry): void {
  if (state.buffer.length >= MAX_BUFFERED) {
    if (state.dropped++ % 10_000 === 0) console.warn(`[latchkey] usage buffer full: ${state.dropped} request-log entries dropped so far`);
    return;
  }
  state.buffer.push(entry);
  if (state.buffer.length >= FLUSH_AT_ENTRIES && !state.flushing) void flushUsage();
}

async function writeBatch(batch: UsageEntry[]): Promise<void> {
  // Latest use per key, for last_used_at / last_used_ip.
  const latest = new Map<string, UsageEntry>();
  for (const e of batch) {
    const cur = latest.get(e.keyId);
    if (!cur || cur.at <= e.at) latest.set(e.keyId, e);
  }
  const last = [...latest.values()];
  // Columns as arrays + unnest: a few parameters per batch instead of seven per row, so building
  // the statement costs the event loop (which also serves verifications) next to nothing.
  const col = <T,>(xs: T[]) => sql`${JSON.stringify(xs)}::jsonb`;
  const arr = (xs: unknown[], type: string) => sql`array(select jsonb_array_elements_text(${col(xs)}))::${sql.raw(type)}[]`;
  await getDb().transaction(async (tx) => {
    await tx.execute(sql`
      insert into key_request_log (key_id, organization_id, at, code, ip, method, path)
      select * from unnest(
        ${arr(batch.map((e) => e.keyId), "text")}, ${arr(batch.map((e) => e.organizationId), "text")},
        ${arr(batch.map((e) => e.at.toISOString()), "timestamptz")}, ${arr(batch.map((e) => e.code), "text")},
        ${arr(batch.map((e) => e.ip), "text")}, ${arr(batch.map((e) => e.method), "text")}, ${arr(batch.map((e) => e.path), "text")})`);
    await tx.execute(sql`
      update api_key set last_used_at = v.at, last_used_ip = v.ip
      from unnest(${arr(last.map((e) => e.keyId), "text")}, ${arr(last.map((e) => e.at.toISOString()), "timestamptz")}, ${arr(last.map((e) => e.ip), "text")}) as v(id, at, ip)
      where api_key.id = v.id and (api_key.last_used_at is null or api_key.last_used_at < v.at)`);
  });
}

/** Writes everything buffered so far (one flush at a time). Failed batches go back to the front. */
export function flushUsage(): Promise<void> {
  if (state.flushing) return state.flushing;
  const run = (async () => {
    while (state.buffer.length) {
      const batch = state.buffer.splice(0, BATCH);
      try {
        await writeBatch(batch);
        if (state.failing) console.log("[latchkey] usage recording recovered");
        state.failing = false;
      } catch (e) {
        state.buffer.unshift(...batch);
        if (!state.failing) console.warn(`[latchkey] could not write usage (${(e as Error).message}); keeping ${state.buffer.length} entries and retrying`);
        state.failing = true;
        return;
      }
    }
  })();
  // Cleared after assignment: with an empty buffer `run` settles before this line is reached.
  state.flushing = run;
  void run.finally(() => {
    if (state.flushing === run) state.flushing = undefined;
  });
  return run;
}

export function startUsageFlusher(): void {
  if (state.timer) return;
  state.timer = setInterval(() => void flushUsage(), FLUSH_EVERY_MS);
  state.timer.unref();
}

/** Stops the timer and writes what is left (on shutdown). */
export async function stopUsageFlusher(): Promise<void> {
  clearInterval(state.timer);
  state.timer = undefined;
  await flushUsage();
  if (state.flushing) await state.flushing;
}

export function usageStats(): { buffered: number; dropped: number; failing: boolean } {
  return { buffered: state.buffer.length, dropped: state.dropped, failing: state.failing };
}
