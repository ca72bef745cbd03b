// Owns telling every instance that keys changed: local eviction at once, and on PostgreSQL a
// NOTIFY that every instance's LISTEN turns into the same eviction (a reconnect clears everything).
import { dbKind, postgresClient } from "../db";
import { clearCache, evict, type KeyChange } from "./cache";
import { log } from "../log";

export const CHANNEL = "latchkey_keys";

type ListenerState = { started: boolean; connected: boolean; unlisten?: () => Promise<void> };
const KEY = Symbol.for("latchkey.verify.listener");
const store = globalThis as unknown as { [KEY]?: ListenerState };
const listener = (store[KEY] ??= { started: false, connected: false });

/** Call after the change has committed. */
export async function publishKeyChange(change: KeyChange): Promise<void> {
  evict(change);
  if (dbKind() !== "postgres") return;
  try {
    await postgresClient()!`select pg_notify(${CHANNEL}, ${JSON.stringify(change)})`;
  } catch (e) {
    // Other instances still converge through the cache TTL; say so rather than fail the change.
    log().warn(`could not NOTIFY a key change: ${(e as Error).message}`);
  }
}

/** Starts this instance's LISTEN (PostgreSQL only). Idempotent. */
export async function startInvalidationListener(): Promise<void> {
  if (listener.started || dbKind() !== "postgres") return;
  listener.started = true;
  const sql = postgresClient()!;
  const sub = await sql.listen(
    CHANNEL,
    (payload) => {
      try {
        evict(JSON.parse(payload) as KeyChange);
      } catch {
        clearCache();
      }
    },
    () => {
      // (Re)connected: anything may have changed while we were not listening.
      listener.connected = true;
      clearCache();
    },
  );
  listener.unlisten = () => sub.unlisten();
}

export async function stopInvalidationListener(): Promise<void> {
  await listener.unlisten?.().catch(() => undefined);
  listener.started = false;
  listener.connected = false;
}

export function listenerState(): "listening" | "not-started" | "not-needed" {
  if (dbKind() !== "postgres") return "not-needed";
  return listener.started && listener.connected ? "listening" : "not-started";
}
