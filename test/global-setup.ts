// Creates a throwaway PostgreSQL database for this run (when one is configured) and drops it after.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!base) {
    console.log("[test] no DATABASE_URL: integration tests run on in-memory PGlite");
    project.provide("databaseUrl", null);
    return;
  }
  const name = `latchkey_test_${randomBytes(5).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  console.log(`[test] integration tests run on PostgreSQL database ${name}`);
  project.provide("databaseUrl", url.toString());

  process.env.DATABASE_URL = url.toString();
  const { migrateDatabase } = await import("../lib/db/migrate");
  await migrateDatabase();

  return async () => {
    const { closeDb } = await import("../lib/db");
    await closeDb();
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  };
}
