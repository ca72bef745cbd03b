import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys, getDb, keyRequestLog } from "@/lib/db";
import { createKey } from "@/lib/keys/lifecycle";
import { changeKey } from "@/lib/keys/status";
import { generateToken } from "@/lib/keys/token";
import { GET as health } from "@/app/api/health/route";
import { answerVerify } from "./endpoint";
import { FLUSH_AT_ENTRIES, flushUsage, recordUsage, usageStats } from "./usage";
import { listRequestLog, usageLast24h } from "./usage-queries";
import { keyUsageSeries } from "@/lib/analytics/verifications";
import { makeTeam } from "@/test/factories";

const call = (body: unknown, clientIp = "192.0.2.44") =>
  answerVerify({ body: JSON.stringify(body), contentType: "application/json", clientIp, authorization: null });

describe("usage recording", () => {
  it("records every verification of an existing key (not unknown ones) and updates last used, in a batch", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key, token } = await createKey(c, { name: "used" });
    await call({ key: token, method: "get", path: "/v1/a" });
    await changeKey(c, "suspend", { keyId: key.id });
    await call({ key: token });
    await call({ key: generateToken("secret", "production") });
    // Nothing is written on the request path…
    expect(await getDb().select().from(keyRequestLog).where(eq(keyRequestLog.keyId, key.id))).toHaveLength(0);
    expect(usageStats().buffered).toBeGreaterThanOrEqual(2);
    // …until the batch is flushed.
    await flushUsage();
    const { rows, total } = await listRequestLog(key.id, { page: 1, perPage: 10 });
    expect(total).toBe(2);
    expect(rows.map((r) => [r.code, r.method, r.path, r.ip])).toEqual([
      ["SUSPENDED", null, null, "192.0.2.44"],
      ["VALID", "GET", "/v1/a", "192.0.2.44"],
    ]);
    const [k] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(k.lastUsedIp).toBe("192.0.2.44");
    expect(k.lastUsedAt).not.toBeNull();
    const chart = await keyUsageSeries(c, key.id, "24h");
    expect(chart.series.reduce((n, b) => n + (b.counts.VALID ?? 0) + (b.counts.SUSPENDED ?? 0), 0)).toBe(2);
    expect((await usageLast24h([key.id])).get(key.id)).toBe(2);
    expect((await listRequestLog(key.id, { page: 1, perPage: 10, code: "VALID" })).total).toBe(1);
  });

  it("keeps flushing after a flush of an empty buffer", async () => {
    await flushUsage();
    await flushUsage(); // nothing buffered: must not leave a settled flush behind that blocks later ones
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "later" });
    await call({ key: token });
    await flushUsage();
    expect((await listRequestLog(key.id, { page: 1, perPage: 10 })).total).toBe(1);
  });

  it("writes rows once FLUSH_AT_ENTRIES are waiting, without the timer; last used then names the newest use", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "busy" });
    for (let i = 0; i < FLUSH_AT_ENTRIES - 1; i++) await call({ key: token }, "192.0.2.1");
    await call({ key: token }, "198.51.100.7"); // the last one starts a write
    for (let i = 0; i < 100 && (await listRequestLog(key.id, { page: 1, perPage: 1 })).total < FLUSH_AT_ENTRIES; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await listRequestLog(key.id, { page: 1, perPage: 1 })).total).toBe(FLUSH_AT_ENTRIES);
    await flushUsage();
    const [k] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(k.lastUsedIp).toBe("198.51.100.7");
  });

  it("keeps answering cache misses while a large batch is being written", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    const { key } = await createKey(c, { name: "logged" });
    const fresh = await Promise.all(Array.from({ length: 5 }, (_, i) => createKey(c, { name: `fresh ${i}` })));
    const atMs = Date.now();
    for (let i = 0; i < 20_000; i++) recordUsage({ keyId: key.id, organizationId: key.organizationId, environment: key.environment, atMs, code: "VALID", ip: "192.0.2.9", method: "GET", path: `/bulk/${i}` });
    const writing = flushUsage();
    // More lookups at once than the pool has connections, while the rows stream in.
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 6 === 5 ? call({ key: generateToken("secret", "production") }) : call({ key: fresh[i % 6].token }))),
    );
    await writing;
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    expect(usageStats().failing).toBe(false);
    expect((await listRequestLog(key.id, { page: 1, perPage: 1 })).total).toBe(20_000);
  });

  it("records a path with tabs, newlines, backslashes and any Unicode exactly as sent", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "odd paths" });
    const path = "/a\tb\nc\\N\\d\r/grüße/東京/😀";
    const long = `/${"ü".repeat(2000)}`; // far longer than the writer's room per row in a batch of one
    await call({ key: token, method: "POST", path });
    await flushUsage();
    await call({ key: token, method: "GET", path: long });
    await flushUsage();
    const { rows } = await listRequestLog(key.id, { page: 1, perPage: 10 });
    expect(rows.map((r) => r.path)).toEqual([long, path]);
  });

  it("refuses a path PostgreSQL could not store (NUL), so one request cannot block the log", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "nul path" });
    const out = await call({ key: token, path: "/a\u0000b" });
    expect([out.status, JSON.parse(out.body).field]).toEqual([400, "path"]);
    await call({ key: token, path: "/fine" });
    await flushUsage();
    expect(usageStats().failing).toBe(false);
    expect((await listRequestLog(key.id, { page: 1, perPage: 10 })).rows.map((r) => r.path)).toEqual(["/fine"]);
  });

  it("health reports the database, the listener and the buffer", async () => {
    const res = await health();
    const body = await res.json();
    expect(body).toMatchObject({ database: { status: "up" }, usage: { dropped: 0 } });
    expect(["not-needed", "listening", "not-started"]).toContain(body.listener);
  });
});
