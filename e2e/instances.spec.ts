// Two production server processes on one PostgreSQL database (and one Redis), as behind a load
// balancer: credits are exact and refilled once; a customer's limit is shared by its keys; a
// revocation through one instance reaches the other's cache within 1 s; a per-key rate limit is
// shared; SIGTERM under load loses no request-log entry; an instance without LATCHKEY_ENCRYPTION_KEY
// refuses to start once an organization keeps recoverable keys. PostgreSQL only (PGlite is
// single-process by design).
import fs from "node:fs";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import postgres from "postgres";
import { createKeyInUi, signUp } from "./helpers";

const baseDb = process.env.DATABASE_URL;
test.skip(!baseDb, "needs PostgreSQL: several instances share one database");
test.describe.configure({ timeout: 180_000 });

const root = path.resolve(import.meta.dirname, "..");
const name = `latchkey_e2e_multi_${randomBytes(4).toString("hex")}`;
const ports = [3531, 3532];
const urls = ports.map((p) => `http://127.0.0.1:${p}`);
const procs: ChildProcess[] = [];
const logs: string[] = ["", ""];

function startInstance(i: number, dbUrl: string, secret: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      AUTH_SECRET: secret,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      PORT: String(ports[i]),
      HOST: "127.0.0.1",
      LATCHKEY_SKIP_BUILD: "1", // Playwright's web server built the app already
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (logs[i] += d));
  child.stderr!.on("data", (d) => (logs[i] += d));
  return child;
}

async function waitUp(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not start:\n${logs.join("\n")}`);
}

test.beforeAll(async () => {
  const admin = postgres(baseDb!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(baseDb!);
  u.pathname = `/${name}`;
  const secret = randomBytes(33).toString("base64");
  procs.push(startInstance(0, u.toString(), secret));
  await waitUp(urls[0]); // the first applies the migrations
  procs.push(startInstance(1, u.toString(), secret));
  await waitUp(urls[1]);
});

test.afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 2000));
  const admin = postgres(baseDb!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

const verify = async (request: APIRequestContext, instance: number, key: string) =>
  (await (await request.post(`${urls[instance]}/api/v1/keys/verify`, { data: { key } })).json()) as { code: string };

test("two instances: credits are exact, a refill happens once, a customer's limit is shared by its keys", async ({ browser, request }) => {
  const page = await (await browser.newContext({ baseURL: urls[0] })).newPage();
  await signUp(page, "Credit Counter", "credits@example.com");
  const admin = { Authorization: `Bearer ${await createKeyInUi(page, "Billing script", ["keys:read", "keys:write"])}` };
  const post = async (path: string, body: object) => {
    const res = await request.post(`${urls[0]}${path}`, { headers: admin, data: body });
    expect(res.status(), await res.text()).toBe(201);
    return res.json();
  };
  const spread = async (n: number, tokens: string[]) => {
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${urls[i % 2]}/api/v1/keys/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key: tokens[i % tokens.length] }) }).then(
          async (r) => ((await r.json()) as { code: string }).code,
        ),
      ),
    );
    return answers.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});
  };

  // 1,000 concurrent verifications of a key with 100 credits, over both instances: exactly 100 VALID.
  const metered = (await post("/api/v1/keys", { name: "metered", credits: { remaining: 100 } })) as { key: { id: string }; token: string };
  expect(await spread(1000, [metered.token])).toEqual({ VALID: 100, USAGE_EXCEEDED: 900 });

  // A refill that is due is applied once, by whichever verification comes first, even with two instances racing.
  const refilled = (await post("/api/v1/keys", { name: "refilled", credits: { remaining: 0, refill: { amount: 50, interval: "daily" } } })) as { key: { id: string }; token: string };
  const u = new URL(baseDb!);
  u.pathname = `/${name}`;
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  await sql`update api_key set credits_next_refill_at = now() - interval '1 second' where id = ${refilled.key.id}`;
  await sql.end();
  expect(await spread(300, [refilled.token])).toEqual({ VALID: 50, USAGE_EXCEEDED: 250 });

  // A customer's named limit (20 a day) counts both its keys, on both instances, within 10%.
  const customer = (await post("/api/v1/customers", { externalId: "globex", name: "Globex", ratelimits: [{ name: "default", limit: 20, window: 86_400 }] })) as { id: string };
  const keyA = (await post("/api/v1/keys", { name: "globex a", customerId: customer.id })) as { token: string };
  const keyB = (await post("/api/v1/keys", { name: "globex b", customerId: customer.id })) as { token: string };
  const shared = await spread(60, [keyA.token, keyB.token]);
  expect(shared.VALID).toBeGreaterThanOrEqual(20);
  expect(shared.VALID).toBeLessThanOrEqual(22);
  expect(shared.RATE_LIMITED).toBe(60 - shared.VALID);
});

test("two instances: revocation within 1 s, one shared rate limit, SIGTERM under load loses nothing", async ({ browser, request }) => {
  // A person signs up on instance 0 and creates a key for their script.
  const page = await (await browser.newContext({ baseURL: urls[0] })).newPage();
  await signUp(page, "Multi Instance", "multi@example.com");
  const admin = { Authorization: `Bearer ${await createKeyInUi(page, "Ops script", ["keys:read", "keys:write"])}` };
  const create = async (body: object) => {
    const res = await request.post(`${urls[0]}/api/v1/keys`, { headers: admin, data: body });
    expect(res.status()).toBe(201);
    return (await res.json()) as { key: { id: string }; token: string };
  };

  // Revoked through instance 0 while instance 1 has it cached: instance 1 says REVOKED within 1 s.
  const doomed = await create({ name: "doomed" });
  expect(await verify(request, 1, doomed.token)).toMatchObject({ code: "VALID" });
  expect(await verify(request, 1, doomed.token)).toMatchObject({ code: "VALID" }); // now from instance 1's cache
  expect((await request.post(`${urls[0]}/api/v1/keys/${doomed.key.id}/revoke`, { headers: admin })).status()).toBe(200);
  const revokedAt = Date.now();
  let code = "";
  while (Date.now() - revokedAt < 1000 && code !== "REVOKED") code = (await verify(request, 1, doomed.token)).code;
  expect(code).toBe("REVOKED");

  // One limit across both instances (shared through Redis): 30 per day, 60 attempts alternating.
  const limited = await create({ name: "limited", rateLimit: { limit: 30, windowSeconds: 86_400 } });
  const codes = await Promise.all(Array.from({ length: 60 }, (_, i) => verify(request, i % 2, limited.token)));
  const valid = codes.filter((c) => c.code === "VALID").length;
  expect(valid).toBeGreaterThanOrEqual(30);
  expect(valid).toBeLessThanOrEqual(33); // within 10% of the limit
  expect(codes.filter((c) => c.code === "RATE_LIMITED").length).toBe(60 - valid);

  // SIGTERM to instance 1 in the middle of a burst: every answered verification is in the log.
  const busy = await create({ name: "busy" });
  let answered = 0;
  const burst = Array.from({ length: 400 }, () =>
    fetch(`${urls[1]}/api/v1/keys/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key: busy.token }) })
      .then(async (r) => {
        if (r.status === 200 && (await r.json()).code === "VALID") answered++;
      })
      .catch(() => undefined), // refused after the server stopped accepting: never answered
  );
  while (answered < 50) await new Promise((r) => setTimeout(r, 5));
  const exited = new Promise<number | null>((r) => procs[1].once("exit", (c) => r(c)));
  procs[1].kill("SIGTERM");
  await Promise.all(burst);
  expect(await exited).toBe(0);
  const log = await (await request.get(`${urls[0]}/api/v1/keys/${busy.key.id}/logs?perPage=1`, { headers: admin })).json();
  expect(log.total).toBe(answered);
  expect(logs[1]).toContain('"msg":"stopped"');
  fs.writeFileSync(test.info().outputPath("instance-1.log"), logs[1]);
});

test("on PostgreSQL an instance without LATCHKEY_ENCRYPTION_KEY refuses to start once an organization keeps recoverable keys", async () => {
  const u = new URL(baseDb!);
  u.pathname = `/${name}`;
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  const orgId = `org_recoverable${randomBytes(4).toString("hex")}`;
  await sql`insert into organization (id, name, slug, key_recoverable) values (${orgId}, 'Keeps keys', ${orgId.toLowerCase().replace("_", "-")}, true)`;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: u.toString(), AUTH_SECRET: randomBytes(33).toString("base64"), PORT: "3533", HOST: "127.0.0.1", LATCHKEY_SKIP_BUILD: "1" };
    delete env.LATCHKEY_ENCRYPTION_KEY;
    const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, out).not.toBe(0);
    expect(out).toContain("LATCHKEY_ENCRYPTION_KEY is required: an organization has recoverable keys turned on");
    // It never listened.
    await expect(fetch("http://127.0.0.1:3533/api/health")).rejects.toThrow();
  } finally {
    await sql`delete from organization where id = ${orgId}`;
    await sql.end();
  }
});

test("a verify-only instance (LATCHKEY_ROLE=verify) verifies beside the console's instance, follows its revocations, and serves nothing else", async ({ browser, request }) => {
  const u = new URL(baseDb!);
  u.pathname = `/${name}`;
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  // An organization keeps recoverable keys: a verify-only instance starts without LATCHKEY_ENCRYPTION_KEY
  // all the same (it never reveals a key), and without AUTH_SECRET (it signs nobody in).
  const orgId = `org_keeps${randomBytes(4).toString("hex")}`;
  await sql`insert into organization (id, name, slug, key_recoverable) values (${orgId}, 'Keeps keys', ${orgId.toLowerCase().replace("_", "-")}, true)`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: u.toString(), REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", LATCHKEY_ROLE: "verify", PORT: "3534", HOST: "127.0.0.1", NODE_ENV: "production" };
  delete env.LATCHKEY_ENCRYPTION_KEY;
  delete env.AUTH_SECRET;
  const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const only = "http://127.0.0.1:3534";
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${only}/api/health`).then((r) => r.status < 500, () => false);
      if (up) break;
      if (i > 240 || child.exitCode !== null) throw new Error(`the verify-only instance did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await (await fetch(`${only}/api/health`)).json()).toMatchObject({ status: "ok", role: "verify", database: { status: "up" } });

    // A key made in the console's instance verifies on the verify-only one, then follows its revocation.
    const page = await (await browser.newContext({ baseURL: urls[0] })).newPage();
    await signUp(page, "Verify Only", "verify-only@example.com");
    const admin = { Authorization: `Bearer ${await createKeyInUi(page, "Gateway admin", ["keys:read", "keys:write"])}` };
    const created = await request.post(`${urls[0]}/api/v1/keys`, { headers: admin, data: { name: "served by the verify-only instance" } });
    expect(created.status()).toBe(201);
    const { key, token } = (await created.json()) as { key: { id: string }; token: string };
    const check = async () => (await (await request.post(`${only}/api/v1/keys/verify`, { data: { key: token } })).json()) as { code: string; keyId?: string };
    expect(await check()).toMatchObject({ code: "VALID", keyId: key.id });
    expect(await check()).toMatchObject({ code: "VALID", keyId: key.id }); // from its cache now
    expect((await request.post(`${urls[0]}/api/v1/keys/${key.id}/revoke`, { headers: admin })).status()).toBe(200);
    const revokedAt = Date.now();
    let code = "";
    while (Date.now() - revokedAt < 1000 && code !== "REVOKED") code = (await check()).code;
    expect(code).toBe("REVOKED");

    // The console and the management API are not served here: a 404 that says what is.
    for (const p of ["/sign-in", "/api/v1/keys", `/api/v1/keys/${key.id}`]) {
      const res = await fetch(`${only}${p}`, { headers: admin });
      expect([p, res.status, res.headers.get("content-type")]).toEqual([p, 404, "application/problem+json"]);
      expect(((await res.json()) as { detail: string }).detail).toContain("only verifies keys (LATCHKEY_ROLE=verify)");
    }
  } finally {
    const exited = child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((r) => child.once("exit", r));
    child.kill("SIGTERM");
    expect(await exited, out).toBe(0);
    await sql`delete from organization where id = ${orgId}`;
    await sql.end();
  }

  // Without PostgreSQL it refuses to start and says why.
  const alone = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: "memory://", LATCHKEY_ROLE: "verify", PORT: "3534", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let said = "";
  alone.stdout!.on("data", (d) => (said += d));
  alone.stderr!.on("data", (d) => (said += d));
  expect(await new Promise<number | null>((r) => alone.on("exit", r)), said).not.toBe(0);
  expect(said).toContain("LATCHKEY_ROLE: verify needs DATABASE_URL");
});
