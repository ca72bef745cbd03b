// Owns usage recording: every verification of an existing key is buffered in memory and its
// request-log rows are written in batches (one COPY each, up to 50,000 rows) at least every second or 10,000 entries,
// each with its rollups (usage-rollups.ts) in the same transaction;
// each key's last-used time/address follows once a second (one UPDATE for every key used). The
// request path only stores the entry's fields in the buffer's columns. The buffer is bounded; while
// the database is down batches are kept and retried, and past the bound new entries are dropped and counted.
import { sql } from "drizzle-orm";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getDb, postgresClient } from "../db";
import { ROLLUP_STATEMENT, rollupParams, rollupSql, type RollupColumns, type RollupEntry } from "./usage-rollups";
import { log } from "../log";

/**
 * `atMs`: epoch milliseconds (a Date per verification would cost the hot path an allocation).
 * `environment` (the key's) and `permissions` (those the request named) feed the rollups only.
 */
export type UsageEntry = RollupEntry & { ip: string | null; method: string | null; path: string | null };

export const FLUSH_EVERY_MS = 1000;
/**
 * A write starts early once this many entries wait (else the one-second timer starts it). At 50,000
 * verifications a second that is 5 transactions a second rather than 50 at 1,000: PostgreSQL's
 * work per batch (the transaction, the rollups' upserts) and the writer's own are paid a tenth as often.
 */
export const FLUSH_AT_ENTRIES = 10_000;
export const MAX_BUFFERED = 200_000;
/**
 * Entries per transaction. The rollup upsert costs about the same for 1,000 entries as for 50,000 (it
 * writes a row per key, bucket and outcome, not per entry), so under a backlog big batches are what
 * keep the writer ahead (1,000 keys: 9.4 µs of PostgreSQL time an entry for its rollups in batches of
 * 5,000, 1.8 µs in batches of 50,000); below it a flush takes whatever has come in since the last one.
 */
const BATCH = 50_000;

type LastUse = { atMs: number; ip: string | null };

/**
 * The batch being filled, column by column, reused after every flush. Recording a verification
 * stores references and a number and allocates nothing that outlives the request: an object per
 * entry, alive until its batch was written, survived the young generation's collections, was
 * promoted and made the heap need full collections (README "Performance", what made the fast path fast).
 */
class Columns implements RollupColumns {
  n = 0;
  readonly keyId: string[] = [];
  readonly organizationId: string[] = [];
  readonly environment: string[] = [];
  readonly customerId: (string | null)[] = [];
  readonly code: string[] = [];
  readonly permissions: (readonly string[] | null)[] = [];
  readonly ip: (string | null)[] = [];
  readonly method: (string | null)[] = [];
  readonly path: (string | null)[] = [];
  atMs = new Float64Array(1024);

  push(e: UsageEntry): void {
    const i = this.n++;
    if (i === this.atMs.length) {
      const bigger = new Float64Array(2 * i);
      bigger.set(this.atMs);
      this.atMs = bigger;
    }
    this.keyId[i] = e.keyId;
    this.organizationId[i] = e.organizationId;
    this.environment[i] = e.environment;
    this.customerId[i] = e.customerId ?? null;
    this.code[i] = e.code;
    this.permissions[i] = e.permissions?.length ? e.permissions : null;
    this.ip[i] = e.ip;
    this.method[i] = e.method;
    this.path[i] = e.path;
    this.atMs[i] = e.atMs;
  }

  /** Empty again, without holding on to what the requests brought (addresses, paths, permission lists). */
  clear(): void {
    for (const col of [this.permissions, this.ip, this.method, this.path]) col.fill(null, 0, this.n);
    this.n = 0;
  }
}

/** A batch serialized for its transaction (the request-log rows, the rollups) and each key's newest use in it. */
type Prepared = { n: number; rows: { copy: Buffer } | { columns: string[] }; rollups: [string, string]; lastUse: Map<string, LastUse> };

type UsageState = {
  filling: Columns;
  /** Batches taken from `filling`, oldest first, waiting to be written (a failed one stays first). */
  pending: Prepared[];
  pendingEntries: number;
  dropped: number;
  timer?: NodeJS.Timeout;
  flushing?: Promise<void>;
  failing: boolean;
  /** Newest use per key among the rows already written, waiting for the next last-used update. */
  lastUse: Map<string, LastUse>;
  lastUseWanted: boolean;
};
const KEY = Symbol.for("latchkey.verify.usage.v2");
const store = globalThis as unknown as { [KEY]?: UsageState };
const state: UsageState = (store[KEY] ??= { filling: new Columns(), pending: [], pendingEntries: 0, dropped: 0, failing: false, lastUse: new Map(), lastUseWanted: false });

const buffered = () => state.filling.n + state.pendingEntries;

export function recordUsage(entry: UsageEntry): void {
  if (buffered() >= MAX_BUFFERED) {
    if (state.dropped++ % 10_000 === 0) log().warn(`usage buffer full: ${state.dropped} request-log entries dropped so far`);
    return;
  }
  state.filling.push(entry);
  if (state.filling.n >= BATCH) takeBatch(); // a backlog (the database slow or down): batches stay at most BATCH entries
  if (state.filling.n >= FLUSH_AT_ENTRIES && !state.flushing) void startFlush(false);
}

/** Serializes what `filling` holds into a pending batch and empties it for the next entries. */
function takeBatch(): void {
  const c = state.filling;
  const lastUse = new Map<string, LastUse>();
  for (let i = 0; i < c.n; i++) {
    const cur = lastUse.get(c.keyId[i]);
    if (!cur) lastUse.set(c.keyId[i], { atMs: c.atMs[i], ip: c.ip[i] });
    else if (cur.atMs <= c.atMs[i]) {
      cur.atMs = c.atMs[i];
      cur.ip = c.ip[i];
    }
  }
  state.pending.push({ n: c.n, rows: postgresClient() ? { copy: copyData(c) } : { columns: jsonColumns(c) }, rollups: rollupParams(c), lastUse });
  state.pendingEntries += c.n;
  c.clear();
}

// COPY text format: a backslash, tab, newline or carriage return inside a value is escaped; NULL is \N.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
function copyField(v: string | null): string {
  if (v === null) return "\\N";
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : v;
}

/**
 * The batch as COPY text, each key's rows together (in time order): consecutive rows then land on the
 * same leaf of the (key_id, at) index, which cuts PostgreSQL's cost of the COPY by about a third
 * against rows of a thousand keys interleaved (and a key's rows share heap pages for the log view).
 * Written straight into one buffer: built as a string, the text cost three times as much.
 */
function copyData(c: Columns): Buffer {
  // Times are converted in arrival order, where runs of entries share a millisecond.
  const times = new Array<string>(c.n);
  const byKey = new Map<string, number[]>();
  let lastMs = NaN;
  let lastIso = "";
  for (let i = 0; i < c.n; i++) {
    if (c.atMs[i] !== lastMs) lastIso = new Date((lastMs = c.atMs[i])).toISOString();
    times[i] = lastIso;
    const rows = byKey.get(c.keyId[i]);
    if (rows) rows.push(i);
    else byKey.set(c.keyId[i], [i]);
  }
  let buf = Buffer.allocUnsafe(c.n * 160);
  let used = 0;
  for (const rows of byKey.values()) {
    for (const i of rows) {
      // Ids and codes are generated by Latchkey (no tab, newline or backslash); the rest may be anything.
      const line = `${c.keyId[i]}\t${c.organizationId[i]}\t${times[i]}\t${c.code[i]}\t${copyField(c.ip[i])}\t${copyField(c.method[i])}\t${copyField(c.path[i])}\n`;
      if (used + 3 * line.length > buf.length) {
        const bigger = Buffer.allocUnsafe(2 * buf.length + 3 * line.length);
        buf.copy(bigger, 0, 0, used);
        buf = bigger;
      }
      used += buf.write(line, used);
    }
  }
  return buf.subarray(0, used);
}

/** Embedded PGlite (one process, no COPY from a stream): the columns as JSON arrays, for unnest. */
function jsonColumns(c: Columns): string[] {
  const times = Array.from(c.atMs.subarray(0, c.n), (ms) => new Date(ms).toISOString());
  return [c.keyId, c.organizationId, times, c.code, c.ip, c.method, c.path].map((col) => JSON.stringify(col.slice(0, c.n)));
}

const LOG_COLUMNS = "key_id, organization_id, at, code, ip, method, path";

function noteLastUse(keyId: string, use: LastUse): void {
  const cur = state.lastUse.get(keyId);
  if (!cur || cur.atMs <= use.atMs) state.lastUse.set(keyId, use);
}

/** Latest use per key, as JSON for jsonb_to_recordset (one parameter, any number of keys). */
function lastUseJson(uses: Map<string, LastUse>): string {
  return JSON.stringify(Array.from(uses, ([id, u]) => ({ id, at: new Date(u.atMs).toISOString(), ip: u.ip })));
}
// The statement around its one parameter ($1 on postgres.js, a drizzle parameter on PGlite).
const LAST_USED_UPDATE = [
  "update api_key set last_used_at = v.at, last_used_ip = v.ip from jsonb_to_recordset(",
  "::jsonb) as v(id text, at timestamptz, ip text) where api_key.id = v.id and (api_key.last_used_at is null or api_key.last_used_at < v.at)",
] as const;

async function writeRows(b: Prepared): Promise<void> {
  if ("copy" in b.rows) {
    const copy = b.rows.copy;
    const pg = postgresClient()!;
    // PostgreSQL: COPY (the cheapest way in for the database, which may share the machine's cores
    // with the verifications it records), then the rollups, in one transaction: a failed batch
    // leaves nothing behind, so its retry never counts twice. sql.begin reserves the connection:
    // the pool would otherwise pipeline other queries onto it mid-COPY and break it.
    await pg.begin(async (tx) => {
      const writable = await tx.unsafe(`copy key_request_log (${LOG_COLUMNS}) from stdin`).writable();
      await pipeline(Readable.from([copy]), writable);
      await tx.unsafe(ROLLUP_STATEMENT, b.rollups);
    });
    return;
  }
  const [keyId, organizationId, at, code, ip, method, path] = b.rows.columns;
  const arr = (json: string, type: string) => sql`array(select jsonb_array_elements_text(${json}::jsonb))::${sql.raw(type)}[]`;
  await getDb().transaction(async (tx) => {
    await tx.execute(sql`
      insert into key_request_log (${sql.raw(LOG_COLUMNS)})
      select * from unnest(
        ${arr(keyId, "text")}, ${arr(organizationId, "text")}, ${arr(at, "timestamptz")}, ${arr(code, "text")},
        ${arr(ip, "text")}, ${arr(method, "text")}, ${arr(path, "text")})`);
    await tx.execute(rollupSql(b.rollups));
  });
}

async function writeLastUse(uses: Map<string, LastUse>): Promise<void> {
  const pg = postgresClient();
  if (pg) await pg.unsafe(LAST_USED_UPDATE.join("$1"), [lastUseJson(uses)]);
  else await getDb().execute(sql`${sql.raw(LAST_USED_UPDATE[0])}${lastUseJson(uses)}${sql.raw(LAST_USED_UPDATE[1])}`);
}

function failed(e: unknown): void {
  if (!state.failing) log().warn(`could not write usage (${(e as Error).message}); keeping ${buffered()} entries and retrying`);
  state.failing = true;
}

function succeeded(): void {
  if (state.failing) log().info("usage recording recovered");
  state.failing = false;
}

/**
 * Writes everything buffered so far, one flush at a time; failed batches go back to the front.
 * `lastUse`: also update the keys' last-used time (the timer and explicit flushes; a flush
 * started because 10,000 entries are waiting writes only rows, so a busy key costs one update a
 * second rather than one per batch).
 */
function startFlush(lastUse: boolean): Promise<void> {
  if (lastUse) state.lastUseWanted = true; // an in-flight flush picks this up before it settles
  if (state.flushing) return state.flushing;
  const run = (async () => {
    while (state.pending.length || state.filling.n) {
      let batch: Prepared;
      try {
        if (!state.pending.length) takeBatch();
        batch = state.pending[0];
        await writeRows(batch);
      } catch (e) {
        return failed(e);
      }
      state.pending.shift();
      state.pendingEntries -= batch.n;
      for (const [id, use] of batch.lastUse) noteLastUse(id, use);
      succeeded();
    }
    if (!state.lastUseWanted) return;
    state.lastUseWanted = false;
    if (!state.lastUse.size) return;
    const uses = state.lastUse;
    state.lastUse = new Map();
    try {
      await writeLastUse(uses);
      succeeded();
    } catch (e) {
      for (const [id, u] of uses) noteLastUse(id, u); // newer uses noted meanwhile win
      state.lastUseWanted = true;
      failed(e);
    }
  })();
  // Cleared after assignment: with an empty buffer `run` settles before this line is reached.
  state.flushing = run;
  void run.finally(() => {
    if (state.flushing === run) state.flushing = undefined;
  });
  return run;
}

/** Writes every buffered row and every key's last use (tests, shutdown, and the timer). */
export async function flushUsage(): Promise<void> {
  if (state.flushing) await state.flushing;
  await startFlush(true);
}

export function startUsageFlusher(): void {
  if (state.timer) return;
  state.timer = setInterval(() => void startFlush(true), FLUSH_EVERY_MS);
  state.timer.unref();
}

/** Stops the timer and writes what is left (on shutdown). */
export async function stopUsageFlusher(): Promise<void> {
  clearInterval(state.timer);
  state.timer = undefined;
  await flushUsage();
  if (buffered()) log().error(`stopping with ${buffered()} request-log entries that could not be written`);
}

export function usageStats(): { buffered: number; dropped: number; failing: boolean } {
  return { buffered: buffered(), dropped: state.dropped, failing: state.failing };
}
