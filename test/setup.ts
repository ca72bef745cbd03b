// Points each test worker at the run's database before any lib module reads the environment.
import { beforeAll, inject } from "vitest";

const url = inject("databaseUrl");
if (url) {
  process.env.DATABASE_URL = url;
} else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = "memory://";
}

beforeAll(async () => {
  if (!url) {
    const { migrateDatabase } = await import("../lib/db/migrate");
    await migrateDatabase();
  }
});
