// `npm run bench:sdk`: what the SDK's middleware costs. For Express, Fastify, Hono and a Next.js
// route handler, one app process serves the route four ways (scripts/bench/sdk-app.ts): bare, behind
// a hand-written fetch to Latchkey's verify, the same hand-written fetch again (a control: two
// identical variants show how much this machine alone moves a figure), and behind the SDK's
// middleware — all verifying against one real Latchkey (production server, fresh PostgreSQL
// database, one seeded key). Latchkey and the app run on core 0 (`taskset -c 0`), autocannon on
// core 1; the variants take turns in short slices, the order reversed every round, so a slow moment
// of the machine falls on all of them; each "vs" figure is the median of per-round pairs. Besides
// req/s it reads the app's CPU time per request from /proc, which other work on the machine moves less.
// Not a test: it prints a Markdown table for the README.
//
//   npm run bench:sdk -- [--seconds 3] [--rounds 6] [--port 3581] [--frameworks express,hono]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(arg("seconds") ?? 3);
const ROUNDS = Number(arg("rounds") ?? 6);
// Two ports: Latchkey's and the app's (`--port 3681` when another benchmark holds 3581/3582).
const LATCHKEY_PORT = Number(arg("port") ?? 3581);
const APP_PORT = LATCHKEY_PORT + 1;
const ALL_FRAMEWORKS = ["express", "fastify", "hono", "next"] as const;
const FRAMEWORKS = ALL_FRAMEWORKS.filter((f) => !arg("frameworks") || arg("frameworks")!.split(",").includes(f));
const VARIANTS = ["bare", "fetch", "control", "sdk"] as const;
type Variant = (typeof VARIANTS)[number];

const root = path.resolve(import.meta.dirname, "../..");
const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-bench-sdk-"));
const dbName = `latchkey_bench_${randomBytes(4).toString("hex")}`;
const pinned = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
const on = (core: number, cmd: string, args: string[]): [string, string[]] => (pinned ? ["taskset", ["-c", String(core), cmd, ...args]] : [cmd, args]);
const children: ChildProcess[] = [];

async function waitFor(url: string, ms = 240_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > until) throw new Error(`${url} did not come up`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function refuseBusyPort(port: number) {
  const busy = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${port} is taken by another process: pass --port`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    // A child killed by a signal has a signalCode and no exitCode: both mean it is gone.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

type Slice = { round: number; variant: Variant; rps: number; p99: number; requests: number; non2xx: number; errors: number; appCpuUs: number | null; latchkeyCpuUs: number | null };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const admin = postgres(base, { max: 1, onnotice: () => {} });
try {
  await refuseBusyPort(LATCHKEY_PORT);
  await refuseBusyPort(APP_PORT);
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  const seed = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/seed-tokens.ts"), "1", path.join(tmp, "tokens.json")], {
    env: { ...process.env, DATABASE_URL: dbUrl },
    encoding: "utf8",
    cwd: root,
  });
  if (seed.status !== 0) throw new Error(seed.stderr || seed.stdout);
  const key = (JSON.parse(fs.readFileSync(path.join(tmp, "tokens.json"), "utf8")) as { valid: string[] }).valid[0];

  const [cmd, args] = on(0, process.execPath, ["--max-semi-space-size=64", path.join(root, "scripts/start.mjs")]);
  const latchkey = spawn(cmd, args, {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: dbUrl, AUTH_SECRET: randomBytes(33).toString("base64"), PORT: String(LATCHKEY_PORT), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(latchkey);
  const latchkeyUrl = `http://127.0.0.1:${LATCHKEY_PORT}`;
  await waitFor(`${latchkeyUrl}/api/v1/openapi.json`);

  /** Starts one framework's app, checks every variant answers 200 with the key, then drives the slices from core 1. */
  async function measure(framework: string, rounds: number, seconds: number): Promise<Slice[]> {
    // taskset execs node: the child's pid is the app's, whose CPU time the driver reads.
    const [acmd, aargs] = on(0, process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/sdk-app.ts"), framework, String(APP_PORT), latchkeyUrl]);
    const app = spawn(acmd, aargs, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    children.push(app);
    try {
      const appUrl = `http://127.0.0.1:${APP_PORT}`;
      await waitFor(`${appUrl}/bare/v1/customers`);
      for (const v of VARIANTS) {
        const check = await fetch(`${appUrl}/${v}/v1/customers`, { headers: { authorization: `Bearer ${key}` } });
        if (check.status !== 200) throw new Error(`${framework}/${v} answered ${check.status}`);
      }
      const driver = path.join(root, "scripts/bench/sdk-drive.mjs");
      const [dcmd, dargs] = on(1, process.execPath, [driver, appUrl, key, VARIANTS.join(","), String(rounds), String(seconds), String(app.pid), String(latchkey.pid)]);
      const run = spawnSync(dcmd, dargs, { encoding: "utf8", cwd: root, maxBuffer: 1 << 24 });
      if (run.status !== 0) throw new Error(run.stderr);
      const slices = JSON.parse(run.stdout.trim().split("\n").pop()!) as Slice[];
      const failed = slices.filter((s) => s.non2xx || s.errors);
      if (failed.length) throw new Error(`${framework}: ${failed.map((s) => `${s.variant} ${s.non2xx} non-2xx, ${s.errors} errors`).join("; ")}`);
      return slices;
    } finally {
      await stop(app);
    }
  }

  // Latchkey's first seconds (JIT, the verify cache, connection pools) would land on whichever run came first.
  await measure("express", 1, 1);
  const loadBefore = os.loadavg()[0];
  const results = new Map<string, Slice[]>();
  for (const framework of FRAMEWORKS) {
    const slices = await measure(framework, ROUNDS, SECONDS);
    for (const s of slices) console.error(`[bench:sdk] ${framework} round ${s.round} ${s.variant}: ${Math.round(s.rps)} req/s, p99 ${s.p99} ms, app ${s.appCpuUs === null ? "?" : Math.round(s.appCpuUs)} µs CPU/request`);
    results.set(framework, slices);
  }

  const of = (framework: string, variant: Variant) => results.get(framework)!.filter((s) => s.variant === variant);
  /** Median over rounds of a figure of `variant` against the hand-written fetch of the same round. */
  const paired = (framework: string, variant: Variant, figure: (s: Slice, fetch: Slice) => number) => {
    const fetches = new Map(of(framework, "fetch").map((s) => [s.round, s]));
    return of(framework, variant).map((s) => figure(s, fetches.get(s.round)!));
  };
  const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(Math.round(x * 100))} %`;
  const range = (xs: number[], fmt: (x: number) => string) => `${fmt(median(xs))} (${fmt(Math.min(...xs))} … ${fmt(Math.max(...xs))})`;
  const cpu = (xs: (number | null)[]) => (xs.some((x) => x === null) ? "—" : `${Math.round(median(xs as number[]))} µs`);
  const cell = (framework: string, variant: Variant) => {
    const runs = of(framework, variant);
    return `${Math.round(median(runs.map((r) => r.rps))).toLocaleString("en-US")} req/s, p99 ${Math.round(median(runs.map((r) => r.p99)))} ms, ${cpu(runs.map((r) => r.appCpuUs))}`;
  };
  const name = (f: string) => (f === "next" ? "Next.js route handler¹" : f[0].toUpperCase() + f.slice(1));
  const hasCpu = [...results.values()].flat().every((s) => s.appCpuUs !== null);
  const cpuDelta = (f: string, v: Variant) => (hasCpu ? range(paired(f, v, (s, x) => s.appCpuUs! - x.appCpuUs!), (d) => `${d >= 0 ? "+" : "−"}${Math.abs(Math.round(d))} µs`) : "—");
  const lines = [
    `| Framework | bare handler | + hand-written fetch to verify | + Latchkey middleware | middleware vs fetch: req/s | middleware vs fetch: app CPU per request | control (the same fetch again) vs fetch: req/s |`,
    `|---|---|---|---|---|---|---|`,
    ...FRAMEWORKS.map((f) => {
      return `| ${name(f)} | ${cell(f, "bare")} | ${cell(f, "fetch")} | ${cell(f, "sdk")} | ${range(paired(f, "sdk", (s, x) => s.rps / x.rps - 1), pct)} | ${cpuDelta(f, "sdk")} | ${range(paired(f, "control", (s, x) => s.rps / x.rps - 1), pct)} |`;
    }),
  ];
  console.log(
    `\nEach cell: median over ${ROUNDS} rounds of ${SECONDS} s slices (50 connections, after a 1 s warm-up of each variant): req/s, p99 latency, the app's CPU time per request. "vs" columns: median of the per-round pairs (lowest … highest). ` +
      `Latchkey and the app ${pinned ? "on core 0" : "unpinned"}, autocannon ${pinned ? "on core 1" : "unpinned"}; ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}); 1-minute load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after (other work shares the machine).\n`,
  );
  console.log(lines.join("\n"));
} finally {
  await Promise.all(children.map(stop));
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
}
