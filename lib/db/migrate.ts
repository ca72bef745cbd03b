// Owns applying drizzle/ migrations, once per database even with many instances starting together.
import path from "node:path";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { dbKind, getDb } from "./index";
import { env } from "../env";

const MIGRATION_LOCK = 726_451_901;

export function migrationsFolder(): string {
  return path.join(process.cwd(), "drizzle");
}

export async function migrateDatabase(): Promise<void> {
  if (dbKind() === "pglite") {
    await migratePglite(getDb() as unknown as PgliteDatabase, { migrationsFolder: migrationsFolder() });
    return;
  }
  // One dedicated connection holds an advisory lock, so concurrent instances migrate one at a time.
  const sql = postgres(env().DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzle({ client: sql }), { migrationsFolder: migrationsFolder() });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
