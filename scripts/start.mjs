// `npm start`: builds when the build is missing or older than the sources, then runs server.ts.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const sources = ["app", "components", "lib", "public", "next.config.ts", "package-lock.json", "postcss.config.mjs"];
const newest = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
// A verify-only instance (LATCHKEY_ROLE=verify) never loads Next.js: it needs no build.
if (process.env.LATCHKEY_SKIP_BUILD !== "1" && process.env.LATCHKEY_ROLE !== "verify" && newest > built) {
  console.log(built ? "[latchkey] sources changed since the last build: rebuilding…" : "[latchkey] first start: building the app (takes a minute or two)…");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

process.env.NODE_ENV = "production";
const { register } = await import("tsx/esm/api");
register();
await import(path.join(root, "server.ts"));
