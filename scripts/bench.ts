// `npm run bench`: the verify endpoint of the production server (door 2) on a fresh PostgreSQL
// database with 10,000 keys, against a bare node:http baseline; autocannon, 50 connections.
// Not a test: it prints figures for the README and the issue notes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "..");
const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const KEYS = 10_000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-bench-"));
const dbName = `latchkey_bench_${randomBytes(4).toString("hex")}`;
const children: ChildProcess[] = [];

async function waitFor(url: string, ms = 240_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not come up`);
}

function drive(url: string, bodies: unknown[], opts: { duration?: number; amount?: number }) {
  const file = path.join(tmp, `drive-${randomBytes(3).toString("hex")}.json`);
  fs.writeFileSync(file, JSON.stringify({ url, bodies, connections: 50, ...opts }));
  const r = spawnSync(process.execPath, [path.join(root, "scripts/bench/drive.mjs"), file], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { rps: number; total: number; p50: number; p99: number; non2xx: number; errors: number; duration: number };
}

const admin = postgres(base, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();

  // Seed through the real code (migrations, sign-up, key rows) and keep the tokens for the load.
  console.log(`[bench] seeding ${KEYS} keys into ${dbName}…`);
  const seed = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/seed-tokens.ts"), String(KEYS), path.join(tmp, "tokens.json")], {
    env: { ...process.env, DATABASE_URL: dbUrl },
    encoding: "utf8",
    cwd: root,
  });
  if (seed.status !== 0) throw new Error(seed.stderr || seed.stdout);
  const { valid, limited } = JSON.parse(fs.readFileSync(path.join(tmp, "tokens.json"), "utf8")) as { valid: string[]; limited: string };
  fs.writeFileSync(path.join(tmp, "valid.json"), JSON.stringify(valid));

  const port = 3471;
  const server = spawn(process.execPath, ["--max-semi-space-size=64", path.join(root, "scripts/start.mjs")], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: dbUrl, AUTH_SECRET: randomBytes(33).toString("base64"), PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(server);
  const baseline = spawn(process.execPath, [path.join(root, "scripts/bench/baseline-server.mjs"), path.join(tmp, "valid.json"), "3472"], { stdio: ["ignore", "ignore", "inherit"] });
  children.push(baseline);
  const app = `http://127.0.0.1:${port}/api/v1/keys/verify`;
  const bl = "http://127.0.0.1:3472/api/v1/keys/verify";
  await waitFor(app);
  await waitFor(bl);

  const unknown = Array.from({ length: 2000 }, () => {
    const body = "sk_prod_" + randomBytes(16).toString("base64url").replace(/[-_]/g, "A").slice(0, 22);
    return body; // checksum added below through the same format module
  });
  const { checksum } = await import("../lib/keys/token");
  const notFound = unknown.map((b) => ({ key: b + checksum(b) }));

  // This machine's speed drifts from minute to minute (shared cores), so baseline runs alternate
  // with the scenarios and each scenario is compared with the mean of the runs either side of it.
  type Result = ReturnType<typeof drive>;
  const baselineRun = () => drive(bl, [{ key: valid[0] }], { duration: DURATION });
  const scenarios: [string, () => Result][] = [
    ["valid key, cache hit", () => drive(app, [{ key: valid[1] }], { duration: DURATION })],
    ["valid keys first seen (cache miss)", () => drive(app, valid.slice(100).map((k) => ({ key: k })), { amount: valid.length - 100 })],
    ["MALFORMED", () => drive(app, [{ key: "sk_prod_not-a-real-key" }], { duration: DURATION })],
    ["NOT_FOUND (2,000 unknown keys)", () => drive(app, notFound, { duration: DURATION })],
    ["RATE_LIMITED", () => drive(app, [{ key: limited }], { duration: DURATION })],
  ];
  const rows: [string, Result, number][] = [];
  const baselineRuns = [baselineRun()];
  for (const [name, run] of scenarios) {
    const result = run();
    baselineRuns.push(baselineRun());
    const around = (baselineRuns.at(-2)!.rps + baselineRuns.at(-1)!.rps) / 2;
    rows.push([name, result, around]);
    console.log(`[bench] ${name}: ${Math.round(result.rps)} req/s (baseline around it: ${Math.round(around)})`);
  }
  const baselines = [...baselineRuns].sort((a, b) => a.rps - b.rps);
  const median = baselines[Math.floor(baselines.length / 2)];

  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; PostgreSQL at ${new URL(base).host}; 50 connections; ${DURATION} s per scenario after a 2 s warm-up (the cache-miss row: each of ${valid.length - 100} keys once). Each scenario is compared with the mean of the baseline runs just before and just after it.`,
    "",
    "| scenario | req/s | p50 | p99 | baseline around it | vs baseline |",
    "|---|---:|---:|---:|---:|---:|",
    `| baseline node:http (parse + SHA-256 + Map), median of ${baselines.length} runs | ${Math.round(median.rps).toLocaleString("en")} | ${median.p50} ms | ${median.p99} ms | — | — |`,
    ...rows.map(([name, r, b]) => `| ${name} | ${Math.round(r.rps).toLocaleString("en")} | ${r.p50} ms | ${r.p99} ms | ${Math.round(b).toLocaleString("en")} | ${Math.round((r.rps / b) * 100)}% |`),
  ];
  console.log("\n" + lines.join("\n") + "\n");
  for (const [name, r] of rows) if (r.non2xx || r.errors) console.log(`[bench] note: ${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 3000));
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
}
