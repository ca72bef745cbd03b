// Seeds N active keys (plus a key over its limit, a key with a limit it never reaches, a key whose
// customer holds two limits, a key with credits, and a verifier key) into DATABASE_URL and writes
// their tokens to a file.
import fs from "node:fs";
import { migrateDatabase } from "../../lib/db/migrate";
import { apiKeys, closeDb, customers, getDb, organizations } from "../../lib/db";
import { signUp } from "../../lib/auth/accounts";
import { generateToken, hashToken, parseToken } from "../../lib/keys/token";
import { newId } from "../../lib/ids";
import { eq } from "drizzle-orm";

const [n, out] = [Number(process.argv[2]), process.argv[3]];
await migrateDatabase();
const user = await signUp({ name: "Bench", email: "bench@example.com", password: "bench-password-1" }, null);
const [org] = await getDb().select().from(organizations).where(eq(organizations.personalForUserId, user.id));
const row = (token: string, name: string, extra: Partial<typeof apiKeys.$inferInsert> = {}) => {
  const p = parseToken(token)!;
  return { id: newId("key"), organizationId: org.id, ownerId: user.id, createdById: user.id, name, type: "secret" as const, environment: "production" as const, prefix: p.prefix, last4: p.last4, hash: hashToken(token), permissions: ["keys:read"], ...extra };
};
const valid = Array.from({ length: n }, () => generateToken("secret", "production"));
for (let i = 0; i < n; i += 1000) await getDb().insert(apiKeys).values(valid.slice(i, i + 1000).map((t, j) => row(t, `bench-${i + j}`)));
const limited = generateToken("secret", "production");
await getDb().insert(apiKeys).values(row(limited, "limited", { ratelimits: [{ name: "default", limit: 1, window: 86_400 }] }));
// A limit the benchmark never reaches: every answer is VALID, and each one is counted.
const limitedHigh = generateToken("secret", "production");
await getDb().insert(apiKeys).values(row(limitedHigh, "limited high", { ratelimits: [{ name: "default", limit: 1_000_000_000, window: 60 }] }));
// A key whose customer holds two limits (shared by the customer's keys), never reached.
const [customer] = await getDb()
  .insert(customers)
  .values({ id: newId("cus"), organizationId: org.id, externalId: "bench-customer", name: "Bench customer", ratelimits: [{ name: "default", limit: 1_000_000_000, window: 60 }, { name: "daily", limit: 1_000_000_000, window: 86_400 }] })
  .returning();
const customerLimits = generateToken("secret", "production");
await getDb().insert(apiKeys).values(row(customerLimits, "customer limits", { customerId: customer.id }));
// A key holding credits it never runs out of: every VALID answer takes one, exactly (PostgreSQL).
const credited = generateToken("secret", "production");
await getDb().insert(apiKeys).values(row(credited, "credited", { creditsRemaining: 2_000_000_000 }));
const verifier = generateToken("secret", "production");
await getDb().insert(apiKeys).values(row(verifier, "gateway", { permissions: ["keys:verify"] }));
fs.writeFileSync(out, JSON.stringify({ valid, limited, limitedHigh, customerLimits, credited, verifier }));
await closeDb();
