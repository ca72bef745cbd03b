// `npm run bench:sdk`: what the SDK's middleware costs. For Express, Fastify, Hono and a Next.js
// route handler: the bare handler, the handler behind a hand-written fetch to Latchkey's verify, and
// behind the SDK's middleware — each verifying against a real Latchkey (production server, fresh
// PostgreSQL database, one seeded key). Servers on core 0 (`taskset -c 0`), autocannon on core 1,
// the variants alternating, rounds repeated and averaged. Not a test: it prints a Markdown table for the README.
//
//   npm run bench:sdk -- [--seconds 5] [--rounds 2]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = flag("seconds", 5);
const ROUNDS = flag("rounds", 2);
const root = path.resolve(import.meta.dirname, "../..");
const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-bench-sdk-"));
const dbName = `latchkey_bench_${randomBytes(4).toString("hex")}`;
const pinned = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
const on = (core: number, cmd: string, args: string[]): [string, string[]] => (pinned ? ["taskset", ["-c", String(core), cmd, ...args]] : [cmd, args]);
const children: ChildProcess[] = [];
const LATCHKEY_PORT = 3581;
const APP_PORT = 3582;
const FRAMEWORKS = ["express", "fastify", "hono", "next"] as const;
const VARIANTS = ["bare", "fetch", "sdk"] as const;

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

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    // A child killed by a signal has a signalCode and no exitCode: both mean it is gone.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

type Figures = { rps: number; p99: number; non2xx: number; errors: number };

const admin = postgres(base, { max: 1, onnotice: () => {} });
try {
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

  /** Starts one app, checks it answers 200 with the key, drives it for `seconds` from core 1. */
  async function measure(framework: string, variant: string, seconds: number): Promise<Figures> {
    const [acmd, aargs] = on(0, process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/sdk-app.ts"), framework, variant, String(APP_PORT), latchkeyUrl]);
    const app = spawn(acmd, aargs, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    children.push(app);
    try {
      const target = `http://127.0.0.1:${APP_PORT}/v1/customers`;
      await waitFor(target);
      const check = await fetch(target, { headers: { authorization: `Bearer ${key}` } });
      if (check.status !== 200) throw new Error(`${framework}/${variant} answered ${check.status}`);
      const [dcmd, dargs] = on(1, process.execPath, [path.join(root, "scripts/bench/sdk-drive.mjs"), target, key, String(seconds)]);
      const run = spawnSync(dcmd, dargs, { encoding: "utf8", cwd: root });
      if (run.status !== 0) throw new Error(run.stderr);
      const figures = JSON.parse(run.stdout.trim().split("\n").pop()!) as Figures;
      if (figures.non2xx || figures.errors) throw new Error(`${framework}/${variant}: ${figures.non2xx} non-2xx, ${figures.errors} errors`);
      return figures;
    } finally {
      await stop(app);
    }
  }

  // Latchkey's first seconds (JIT, the verify cache, connection pools) would land on whichever run came first.
  await measure("express", "fetch", 3);
  const loadBefore = os.loadavg()[0];
  const results = new Map<string, Figures[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const framework of FRAMEWORKS) {
      for (const variant of VARIANTS) {
        const figures = await measure(framework, variant, SECONDS);
        console.error(`[bench:sdk] round ${round} ${framework} ${variant}: ${Math.round(figures.rps)} req/s, p99 ${figures.p99} ms`);
        results.set(`${framework}/${variant}`, [...(results.get(`${framework}/${variant}`) ?? []), figures]);
      }
    }
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cell = (framework: string, variant: string) => {
    const runs = results.get(`${framework}/${variant}`)!;
    return { rps: mean(runs.map((r) => r.rps)), p99: Math.round(mean(runs.map((r) => r.p99))) };
  };
  const pct = (a: number, b: number) => `${a >= b ? "+" : "−"}${Math.abs(Math.round((a / b - 1) * 100))} %`;
  const lines = [
    `| Framework | bare handler | + hand-written fetch to verify | + Latchkey middleware | middleware vs fetch (req/s) |`,
    `|---|---|---|---|---|`,
    ...FRAMEWORKS.map((f) => {
      const [b, x, s] = VARIANTS.map((v) => cell(f, v));
      const fmt = (c: { rps: number; p99: number }) => `${Math.round(c.rps).toLocaleString("en-US")} req/s, p99 ${c.p99} ms`;
      return `| ${f === "next" ? "Next.js route handler¹" : f[0].toUpperCase() + f.slice(1)} | ${fmt(b)} | ${fmt(x)} | ${fmt(s)} | ${pct(s.rps, x.rps)} |`;
    }),
  ];
  console.log(`\n${SECONDS} s per run after a 1 s warm-up, 50 connections, mean of ${ROUNDS} round(s); servers ${pinned ? "on core 0" : "unpinned"}, autocannon ${pinned ? "on core 1" : "unpinned"}; ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}); 1-minute load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after (other work shares the machine).\n`);
  console.log(lines.join("\n"));
} finally {
  await Promise.all(children.map(stop));
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
}
