// Owns the health report: database reachability, invalidation listener, usage buffer.
import { sql } from "drizzle-orm";
import { dbKind, getDb } from "./db";
import { listenerState } from "./verify/invalidation";
import { usageStats } from "./verify/usage";
import { rateLimiter } from "./verify/rate-limit";
import { env } from "./env";

export async function healthReport() {
  let database: "up" | "down" = "up";
  try {
    await getDb().execute(sql`select 1`);
  } catch {
    database = "down";
  }
  const usage = usageStats();
  const listener = listenerState();
  const ok = database === "up" && listener !== "not-started";
  return {
    status: ok ? ("ok" as const) : ("degraded" as const),
    /** LATCHKEY_ROLE: "all", or "verify" for an instance that only verifies keys. */
    role: env().LATCHKEY_ROLE,
    database: { driver: dbKind(), status: database },
    listener,
    rateLimits: rateLimiter().state(),
    usage: { buffered: usage.buffered, dropped: usage.dropped, writing: usage.failing ? "retrying" : "ok" },
  };
}

/** The HTTP status of a health report, for every door that serves it: 200 when ok, else 503. */
export function healthHttpStatus(report: { status: "ok" | "degraded" }): 200 | 503 {
  return report.status === "ok" ? 200 : 503;
}
