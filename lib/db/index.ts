// Owns the one database client of the process: PGlite by default, postgres.js with DATABASE_URL.
import fs from "node:fs";
import path from "node:path";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";
import * as schema from "./schema";
import { env } from "../env";
import { acquireDataDirLock, releaseDataDirLock } from "./lock";

export * from "./schema";
export { schema };

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: domain functions that compose take this. */
export type DbOrTx = Db | Tx;

type DbState =
  | { kind: "postgres"; db: Db; sql: postgres.Sql; url: string }
  | { kind: "pglite"; db: Db; client: PGlite; dataDir: string };

// Next's bundle and server.ts are two module graphs in one process: the client lives on
// globalThis so both share one connection pool (and PGlite's single-process data directory).
const KEY = Symbol.for("latchkey.db");
const store = globalThis as unknown as { [KEY]?: DbState };

function open(): DbState {
  const { DATABASE_URL, DATA_DIR } = env();
  if (DATABASE_URL) {
    // application_name names this process in pg_stat_activity (GET /metrics counts its connections there).
    const sql = postgres(DATABASE_URL, { max: 10, onnotice: () => {}, connection: { application_name: `latchkey:${process.pid}` } });
    return { kind: "postgres", db: drizzlePostgres({ client: sql, schema }) as unknown as Db, sql, url: DATABASE_URL };
  }
  if (DATA_DIR === "memory://") {
    const client = new PGlite();
    return { kind: "pglite", db: drizzlePglite({ client, schema }) as unknown as Db, client, dataDir: DATA_DIR };
  }
  const dataDir = path.resolve(DATA_DIR);
  fs.mkdirSync(dataDir, { recursive: true });
  acquireDataDirLock(dataDir);
  const client = new PGlite(path.join(dataDir, "pgdata"));
  return { kind: "pglite", db: drizzlePglite({ client, schema }) as unknown as Db, client, dataDir };
}

function state(): DbState {
  store[KEY] ??= open();
  return store[KEY];
}

/** The process's database, opened on first use (never at import, so `next build` opens nothing). */
export function getDb(): Db {
  return state().db;
}

export function dbKind(): "postgres" | "pglite" {
  return state().kind;
}

/** Raw postgres.js client when running on PostgreSQL (LISTEN/NOTIFY, advisory locks). */
export function postgresClient(): postgres.Sql | null {
  const s = state();
  return s.kind === "postgres" ? s.sql : null;
}

export async function closeDb(): Promise<void> {
  const s = store[KEY];
  if (!s) return;
  store[KEY] = undefined;
  if (s.kind === "postgres") {
    await s.sql.end({ timeout: 5 });
  } else {
    await s.client.close();
    if (s.dataDir !== "memory://") releaseDataDirLock(s.dataDir);
  }
}
