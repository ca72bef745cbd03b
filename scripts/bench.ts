// `npm run bench`: the verify endpoint of the production server (door 2) on a fresh PostgreSQL
// database, against a bare node:http baseline; autocannon, 50 connections. The servers run on core 0
// (`taskset -c 0`) and the load generator on core 1, so a ratio measures Latchkey, not autocannon.
// Not a test: it prints figures for the README and the issue notes.
//
//   npm run bench -- [--seconds 10] [--soak-minutes 10] [--cached-keys 100000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { cpuMs, postgresCpuMs } from "./bench/proc";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const root = path.resolve(import.meta.dirname, "..");
const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DURATION = flag("seconds", Number(process.env.BENCH_SECONDS ?? 10));
const SOAK_MINUTES = flag("soak-minutes", 10);
const CACHED = flag("cached-keys", 100_000);
const MISS_KEYS = 10_000; // the cache-miss row verifies keys 100…9,999 once each
const KEYS = Math.max(MISS_KEYS, CACHED + 100);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-bench-"));
const dbName = `latchkey_bench_${randomBytes(4).toString("hex")}`;
const children: ChildProcess[] = [];
const pinned = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
const on = (core: number, cmd: string, args: string[]): [string, string[]] => (pinned ? ["taskset", ["-c", String(core), cmd, ...args]] : [cmd, args]);

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

type Result = { rps: number; total: number; warmupTotal: number; p50: number; p99: number; non2xx: number; status429: number; errors: number; duration: number; cpuUs: number; pgCpuUs: number };
/** The process listening on each port (servers are spawned through taskset, which execs them: same pid). */
const pidByPort = new Map<number, number>();
type DriveOpts = { duration?: number; amount?: number; headers?: Record<string, string>; overallRate?: number; warmup?: boolean };
/**
 * One autocannon run, with the CPU time per answer of the server that took it and of PostgreSQL
 * (from /proc, warm-up included): CPU per answer moves far less with the machine than req/s, and on
 * a two-core machine PostgreSQL's share is time neither the server nor the load generator had.
 */
function drive(url: string, bodies: unknown[], opts: DriveOpts): Result {
  const file = path.join(tmp, `drive-${randomBytes(3).toString("hex")}.json`);
  fs.writeFileSync(file, JSON.stringify({ url, bodies, connections: 50, ...opts }));
  const [cmd, args] = on(1, process.execPath, [path.join(root, "scripts/bench/drive.mjs"), file]);
  const pid = pidByPort.get(Number(new URL(url).port));
  const cpu0 = pid ? cpuMs(pid) : NaN;
  const pg0 = postgresCpuMs();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as Result;
  const answers = out.total + out.warmupTotal;
  out.cpuUs = pid ? ((cpuMs(pid) - cpu0) * 1000) / answers : NaN;
  out.pgCpuUs = ((postgresCpuMs() - pg0) * 1000) / answers;
  return out;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function metric(port: number, name: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
    } catch (e) {
      if (attempt >= 2) throw e; // a pooled keep-alive socket the server had just closed: try again
    }
  }
}

function startServer(port: number, dbUrl: string, extra: Record<string, string>): ChildProcess {
  const [cmd, args] = on(0, process.execPath, ["--max-semi-space-size=64", path.join(root, "scripts/start.mjs")]);
  const child = spawn(cmd, args, {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: dbUrl, AUTH_SECRET: randomBytes(33).toString("base64"), PORT: String(port), HOST: "127.0.0.1", ...extra },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  pidByPort.set(port, child.pid!);
  return child;
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
  const { valid, limited, limitedHigh, customerLimits, credited, verifier } = JSON.parse(fs.readFileSync(path.join(tmp, "tokens.json"), "utf8")) as {
    valid: string[];
    limited: string;
    limitedHigh: string;
    customerLimits: string;
    credited: string;
    verifier: string;
  };
  fs.writeFileSync(path.join(tmp, "valid.json"), JSON.stringify(valid.slice(0, MISS_KEYS)));

  const app = "http://127.0.0.1:3571/api/v1/keys/verify";
  const exact = "http://127.0.0.1:3572/api/v1/keys/verify";
  const bl = "http://127.0.0.1:3573/api/v1/keys/verify";
  const only = "http://127.0.0.1:3574/api/v1/keys/verify";
  // Latchkey with Redis, local-first, default self-protection: every row but the ones below. It
  // starts alone: `npm start` builds first when the build is stale, and two builds at once collide.
  const main = startServer(3571, dbUrl, { REDIS_URL: redisUrl });
  await waitFor(app);
  // The same in RATE_LIMIT_MODE=exact. With the failure guard off, it also serves the MALFORMED and
  // NOT_FOUND rows (the main server would answer those 429 past 100 a second: see the README).
  startServer(3572, dbUrl, { REDIS_URL: redisUrl, RATE_LIMIT_MODE: "exact", VERIFY_MAX_FAILURES_PER_IP: "0" });
  // A verify-only instance (LATCHKEY_ROLE=verify): the same verification without Next.js in the process.
  const verifyOnly = startServer(3574, dbUrl, { REDIS_URL: redisUrl, LATCHKEY_ROLE: "verify" });
  const [bcmd, bargs] = on(0, process.execPath, [path.join(root, "scripts/bench/baseline-server.mjs"), path.join(tmp, "valid.json"), "3573"]);
  const baseline = spawn(bcmd, bargs, { stdio: ["ignore", "ignore", "inherit"] });
  children.push(baseline);
  pidByPort.set(3573, baseline.pid!);
  await waitFor(exact);
  await waitFor(bl);
  await waitFor(only);

  const { checksum } = await import("../lib/keys/token");
  const notFound = Array.from({ length: 2000 }, () => {
    const b = "sk_prod_" + randomBytes(16).toString("base64url").replace(/[-_]/g, "A").slice(0, 22);
    return { key: b + checksum(b) };
  });

  // This machine's speed drifts from minute to minute (shared cores), so baseline runs alternate
  // with the scenarios and each scenario is compared with the mean of the runs either side of it.
  const baselineRun = () => drive(bl, [{ key: valid[0] }], { duration: DURATION });
  const d = { duration: DURATION };
  let rssBeforeFill = 0;
  let rssAfterFill = 0;
  let cachedAfterFill = 0;
  const scenarios: [string, () => Result | Promise<Result>][] = [
    ["valid key, cache hit", () => drive(app, [{ key: valid[1] }], d)],
    ["valid key with a verifier key (`Authorization: Bearer`)", () => drive(app, [{ key: valid[2] }], { ...d, headers: { authorization: `Bearer ${verifier}` } })],
    ["rate-limited key, `REDIS_URL`, local-first (VALID)", () => drive(app, [{ key: limitedHigh }], d)],
    ["rate-limited key, `REDIS_URL`, `RATE_LIMIT_MODE=exact` (VALID)", () => drive(exact, [{ key: limitedHigh }], d)],
    ["key whose customer holds two limits, `REDIS_URL`, local-first (VALID)", () => drive(app, [{ key: customerLimits }], d)],
    ["key with credits, `REDIS_URL` (VALID; each takes one credit in PostgreSQL)", () => drive(app, [{ key: credited }], d)],
    ["RATE_LIMITED (`REDIS_URL`, local-first)", () => drive(app, [{ key: limited }], d)],
    ["MALFORMED (guard off)", () => drive(exact, [{ key: "sk_prod_not-a-real-key" }], d)],
    ["NOT_FOUND, 2,000 unknown keys (guard off)", () => drive(exact, notFound, d)],
    ["valid keys first seen (cache miss)", () => drive(app, valid.slice(100, MISS_KEYS).map((k) => ({ key: k })), { amount: MISS_KEYS - 100 })],
    ["one address, 20,000 valid verifications/s offered", () => drive(app, [{ key: valid[3] }], { ...d, overallRate: 20_000 })],
    [
      `valid key, cache hit, ${CACHED.toLocaleString("en")} keys cached`,
      async () => {
        rssBeforeFill = rssMb(main.pid!);
        drive(app, valid.slice(0, CACHED).map((k) => ({ key: k })), { amount: CACHED }); // fill the cache
        // The fill leaves its request log (one row per key) to be written: measure the cache, not that backlog.
        for (let i = 0; i < 120 && (await metric(3571, "latchkey_usage_buffered")) > 0; i++) await new Promise((r) => setTimeout(r, 500));
        await new Promise((r) => setTimeout(r, 5000));
        rssAfterFill = rssMb(main.pid!);
        cachedAfterFill = await metric(3571, "latchkey_key_cache_entries");
        return drive(app, [{ key: valid[1] }], d);
      },
    ],
    [
      // A production server also serves the console: once Next has rendered a page, Node 20's
      // AsyncLocalStorage hooks stay on for every later request (this row and the soak run so).
      "valid key, cache hit, after the console rendered a page",
      async () => {
        const page = await fetch("http://127.0.0.1:3571/sign-in");
        if (!page.ok) throw new Error(`/sign-in answered ${page.status}`);
        await page.text();
        return drive(app, [{ key: valid[1] }], d);
      },
    ],
    // The deployment that keeps verification off the console's process (README "Verify-only instances").
    ["verify-only instance (`LATCHKEY_ROLE=verify`): valid key, cache hit", () => drive(only, [{ key: valid[1] }], d)],
    ["verify-only instance: valid key with a verifier key", () => drive(only, [{ key: valid[2] }], { ...d, headers: { authorization: `Bearer ${verifier}` } })],
    ["verify-only instance: rate-limited key, `REDIS_URL`, local-first (VALID)", () => drive(only, [{ key: limitedHigh }], d)],
  ];
  const rows: [string, Result, number, number][] = [];
  const baselineRuns = [baselineRun()];
  for (const [name, run] of scenarios) {
    const result = await run();
    baselineRuns.push(baselineRun());
    const around = (baselineRuns.at(-2)!.rps + baselineRuns.at(-1)!.rps) / 2;
    const aroundCpu = (baselineRuns.at(-2)!.cpuUs + baselineRuns.at(-1)!.cpuUs) / 2;
    rows.push([name, result, around, aroundCpu]);
    console.log(`[bench] ${name}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.status429} × 429, server CPU ${result.cpuUs.toFixed(1)} µs per answer, PostgreSQL ${result.pgCpuUs.toFixed(1)} µs (baseline around it: ${Math.round(around)} req/s, ${aroundCpu.toFixed(1)} µs)`);
  }
  const rssVerifyOnly = rssMb(verifyOnly.pid!);
  const baselines = [...baselineRuns].sort((a, b) => a.rps - b.rps);
  const median = baselines[Math.floor(baselines.length / 2)];

  // Soak: hot key and rate-limited key alternating (half a minute each), req/s and RSS every minute.
  const soak: string[] = [];
  for (let m = 1; m <= SOAK_MINUTES; m++) {
    // The server's own CPU time per answer tells a slower server (a leak, a growing structure) from a
    // busier machine (PostgreSQL's share of the cores grows with its tables).
    const cpu0 = cpuMs(main.pid!);
    const hot = drive(app, [{ key: valid[1] }], { duration: 30, warmup: false });
    const lim = drive(app, [{ key: limitedHigh }], { duration: 30, warmup: false });
    const perAnswer = ((cpuMs(main.pid!) - cpu0) * 1000) / (hot.total + lim.total);
    soak.push(`| ${m} | ${Math.round(hot.rps).toLocaleString("en")} | ${Math.round(lim.rps).toLocaleString("en")} | ${perAnswer.toFixed(1)} µs | ${rssMb(main.pid!)} MB |`);
    console.log(`[bench] soak minute ${m}: hot ${Math.round(hot.rps)} req/s, rate-limited ${Math.round(lim.rps)} req/s, server CPU ${perAnswer.toFixed(1)} µs per answer, RSS ${rssMb(main.pid!)} MB`);
  }

  const pct = (r: Result, b: number) => `${Math.round((r.rps / b) * 100)}%`;
  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; servers ${pinned ? "on core 0 (taskset -c 0), load generator on core 1" : "unpinned (no taskset)"}; PostgreSQL at ${new URL(base).host}, Redis at ${new URL(redisUrl).host}; 50 connections; ${DURATION} s per scenario after a 2 s warm-up. Each scenario is compared with the mean of the baseline runs just before and just after it.`,
    "",
    "| scenario | req/s | p50 | p99 | 429s | baseline around it | vs baseline | server CPU per answer (baseline's around it) | CPU ratio | PostgreSQL CPU per answer |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| baseline node:http (parse + SHA-256 + Map), median of ${baselines.length} runs | ${Math.round(median.rps).toLocaleString("en")} | ${median.p50} ms | ${median.p99} ms | — | — | — | ${median.cpuUs.toFixed(1)} µs | — | — |`,
    ...rows.map(
      ([name, r, b, bCpu]) =>
        `| ${name} | ${Math.round(r.rps).toLocaleString("en")} | ${r.p50} ms | ${r.p99} ms | ${r.status429} | ${Math.round(b).toLocaleString("en")} | ${pct(r, b)} | ${r.cpuUs.toFixed(1)} µs (${bCpu.toFixed(1)}) | ${Math.round((bCpu / r.cpuUs) * 100)}% | ${r.pgCpuUs.toFixed(1)} µs |`,
    ),
    "",
    `Cache: ${cachedAfterFill.toLocaleString("en")} entries after the fill; server RSS ${rssBeforeFill} MB → ${rssAfterFill} MB (${Math.round(((rssAfterFill - rssBeforeFill) * 2 ** 20) / CACHED)} bytes per cached key, RSS).`,
    `Verify-only instance: RSS ${rssVerifyOnly} MB after its rows (the all-in-one instance, before the fill: ${rssBeforeFill} MB).`,
  ];
  if (soak.length) lines.push("", "| soak minute | hot key req/s | rate-limited key req/s | server CPU per answer | RSS after |", "|---:|---:|---:|---:|---:|", ...soak);
  console.log("\n" + lines.join("\n") + "\n");
  for (const [name, r] of rows) if (r.non2xx || r.errors) console.log(`[bench] note: ${name}: ${r.non2xx} non-2xx (${r.status429} × 429), ${r.errors} errors`);
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 3000));
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
}
