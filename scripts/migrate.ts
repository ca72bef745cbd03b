// `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL (or the embedded database).
import { migrateDatabase } from "../lib/db/migrate";
import { closeDb } from "../lib/db";

await migrateDatabase();
await closeDb();
console.log("[latchkey] migrations applied");
