// `npx tsx scripts/bench/micro.ts`: the verify core's CPU per call, in-process (no HTTP), on embedded
// PGlite, for the answers the benchmark drives: where a row's time goes, without the network.
process.env.DATA_DIR = "memory://";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
delete process.env.DATABASE_URL;
export {};
const { migrateDatabase } = await import("../../lib/db/migrate");
const { signUp } = await import("../../lib/auth/accounts");
const { getDb, organizations, closeDb } = await import("../../lib/db");
const { createKey } = await import("../../lib/keys/lifecycle");
const { resolveOrgContext } = await import("../../lib/orgs/organizations");
const { answerVerify } = await import("../../lib/verify/endpoint");
const { rateLimiter } = await import("../../lib/verify/rate-limit");
const { eq } = await import("drizzle-orm");

await migrateDatabase();
const user = await signUp({ name: "Micro", email: "micro@example.com", password: "micro-password-1" }, null);
const [org] = await getDb().select().from(organizations).where(eq(organizations.personalForUserId, user.id));
const ctx = await resolveOrgContext({ userId: user.id, label: "micro", ip: "127.0.0.1" }, org.slug);
const plain = (await createKey(ctx, { name: "plain" })).token;
const limited = (await createKey(ctx, { name: "limited", rateLimit: { limit: 1_000_000, windowSeconds: 1 } })).token;
const verifier = (await createKey(ctx, { name: "verifier", permissions: ["keys:verify"] })).token;
await new Promise((r) => setTimeout(r, 500)); // Redis connects

const call = (key: string, authorization: string | null = null) => answerVerify({ body: JSON.stringify({ key }), contentType: "application/json", clientIp: "127.0.0.1", authorization });
async function time(name: string, f: () => unknown, n = 200_000) {
  for (let i = 0; i < 5000; i++) await f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const out = f();
    if (out instanceof Promise) await out;
  }
  console.log(`${name}: ${(Number(process.hrtime.bigint() - t) / n / 1000).toFixed(2)} µs/call`);
}
for (let round = 0; round < 2; round++) {
  await time("cache hit", () => call(plain));
  await time("verifier key", () => call(plain, `Bearer ${verifier}`));
  await time("rate-limited, local-first", () => call(limited));
  await time("MALFORMED", () => call("sk_prod_nope"));
}
await rateLimiter().close();
await closeDb();
