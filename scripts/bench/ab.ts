// `npx tsx scripts/bench/ab.ts <other-checkout> [seconds] [rounds]`: the same verify scenarios against
// this checkout's server and another checkout's (e.g. the commit before a change), alternating, both
// pinned to core 0 with the load generator on core 1: did a change make the hot path slower? Prints
// req/s and each server's CPU time per answer (from /proc; it moves far less with the machine).
// AB_ROLE=verify runs both as verify-only instances (no build needed).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { cpuMs } from "./proc";

const root = path.resolve(import.meta.dirname, "../..");
const other = path.resolve(process.argv[2]);
const seconds = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 3);
const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-ab-"));
const dbName = `latchkey_bench_ab_${randomBytes(4).toString("hex")}`;
const children: ChildProcess[] = [];
const role = process.env.AB_ROLE === "verify" ? "verify" : "all";
const pids = new Map<number, number>();
const admin = postgres(base, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`create database ${dbName}`);
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const seed = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/seed-tokens.ts"), "100", path.join(tmp, "t.json")], { env: { ...process.env, DATABASE_URL: u.toString() }, encoding: "utf8", cwd: root });
  if (seed.status !== 0) throw new Error(seed.stderr);
  const { valid, verifier } = JSON.parse(fs.readFileSync(path.join(tmp, "t.json"), "utf8")) as { valid: string[]; verifier: string };
  const servers = [
    ["this", root, 3591],
    ["other", other, 3592],
  ] as const;
  for (const [, dir, port] of servers) {
    const c = spawn("taskset", ["-c", "0", process.execPath, "--max-semi-space-size=64", path.join(dir, "scripts/start.mjs")], {
      cwd: dir,
      env: { ...process.env, NODE_ENV: "production", LATCHKEY_SKIP_BUILD: "1", DATABASE_URL: u.toString(), AUTH_SECRET: randomBytes(33).toString("base64"), PORT: String(port), HOST: "127.0.0.1", LATCHKEY_ROLE: role },
      stdio: "ignore",
    });
    children.push(c);
    pids.set(port, c.pid!);
  }
  for (const [, , port] of servers) {
    for (let i = 0; i < 240; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/api/health`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
  const drive = (port: number, body: object, headers: Record<string, string> = {}) => {
    const file = path.join(tmp, `d-${randomBytes(3).toString("hex")}.json`);
    fs.writeFileSync(file, JSON.stringify({ url: `http://127.0.0.1:${port}/api/v1/keys/verify`, bodies: [body], connections: 50, duration: seconds, headers }));
    const cpu0 = cpuMs(pids.get(port)!);
    const r = spawnSync("taskset", ["-c", "1", process.execPath, path.join(root, "scripts/bench/drive.mjs"), file], { encoding: "utf8" });
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { rps: number; p99: number; total: number; warmupTotal: number };
    return { rps: out.rps, cpuUs: ((cpuMs(pids.get(port)!) - cpu0) * 1000) / (out.total + out.warmupTotal) };
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [label, body, headers] of [
    ["cache hit", { key: valid[1] }, {}],
    ["verifier key", { key: valid[2] }, { authorization: `Bearer ${verifier}` }],
  ] as const) {
    const rps: Record<string, number[]> = { this: [], other: [] };
    const cpu: Record<string, number[]> = { this: [], other: [] };
    for (let r = 0; r < rounds; r++) {
      for (const [name, , port] of r % 2 ? [...servers].reverse() : servers) {
        const d = drive(port, body, headers);
        rps[name].push(Math.round(d.rps));
        cpu[name].push(d.cpuUs);
      }
    }
    const us = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(", ");
    console.log(
      `${label} (${role}): this ${rps.this.join(", ")} req/s, ${us(cpu.this)} µs/answer; other ${rps.other.join(", ")} req/s, ${us(cpu.other)} µs/answer; ` +
        `this/other req/s ${(mean(rps.this) / mean(rps.other)).toFixed(2)}, CPU per answer ${(mean(cpu.this) / mean(cpu.other)).toFixed(2)}`,
    );
  }
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 2000));
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  await admin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
}
