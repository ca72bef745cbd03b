// Playwright's web server: the production build on a fresh database that is thrown away afterwards.
// With DATABASE_URL: a new PostgreSQL database latchkey_e2e_<random>; without: a temporary DATA_DIR.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "..");
const env = { ...process.env, LATCHKEY_SKIP_BUILD: process.env.LATCHKEY_SKIP_BUILD ?? "0" };
let cleanup = async () => {};

const baseUrl = process.env.DATABASE_URL;
if (baseUrl) {
  const name = `latchkey_e2e_${randomBytes(5).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  env.AUTH_SECRET ??= randomBytes(33).toString("base64");
  // On PostgreSQL, recoverable keys need an encryption key from the environment (the embedded default generates one).
  env.LATCHKEY_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  console.log(`[e2e] fresh PostgreSQL database ${name}`);
  cleanup = async () => {
    const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`).catch((e) => console.error("[e2e] drop failed", e.message));
    await a.end();
  };
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-e2e-"));
  env.DATA_DIR = dir;
  console.log(`[e2e] fresh embedded database in ${dir}`);
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
}

const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], { env, stdio: "inherit" });
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => child.kill("SIGTERM"));
child.on("exit", async (code) => {
  await cleanup();
  process.exit(code ?? 0);
});
