// `npm run keys:purge`: deletes keys expired more than KEY_PURGE_AFTER_DAYS ago, now.
import { closeDb } from "../lib/db";
import { env } from "../lib/env";
import { migrateDatabase } from "../lib/db/migrate";
import { purgeExpiredKeys } from "../lib/keys/purge";

await migrateDatabase();
const n = await purgeExpiredKeys(env().KEY_PURGE_AFTER_DAYS);
console.log(`[latchkey] purged ${n} expired key(s) (older than ${env().KEY_PURGE_AFTER_DAYS} days past expiry)`);
await closeDb();
