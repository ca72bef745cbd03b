// `npm run db:seed -- --keys 10000`: one organization with N keys, then times the API keys page query.
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { apiKeys, closeDb, getDb, organizations, users } from "../lib/db";
import { migrateDatabase } from "../lib/db/migrate";
import { signUp } from "../lib/auth/accounts";
import { resolveOrgContext } from "../lib/orgs/organizations";
import { keyListQuerySchema, listKeys } from "../lib/keys/queries";
import { generateToken, hashToken, parseToken } from "../lib/keys/token";
import { KEY_ENVIRONMENTS } from "../lib/keys/key-names";
import { newId } from "../lib/ids";

const { values } = parseArgs({ options: { keys: { type: "string", default: "1000" }, email: { type: "string", default: "seed@example.com" } } });
const count = Number(values.keys);
if (!Number.isInteger(count) || count < 0) throw new Error("--keys must be a whole number");

await migrateDatabase();
const db = getDb();
let user = await db.query.users.findFirst({ where: eq(users.email, values.email!) });
if (!user) user = await signUp({ name: "Seed User", email: values.email!, password: "seed-password-123" }, null);
const [org] = await db.select().from(organizations).where(eq(organizations.personalForUserId, user.id));
console.log(`[seed] organization ${org.slug} (sign in as ${values.email} / seed-password-123)`);

const now = Date.now();
const started = performance.now();
for (let i = 0; i < count; i += 1000) {
  const batch = Array.from({ length: Math.min(1000, count - i) }, (_, j) => {
    const n = i + j;
    const environment = KEY_ENVIRONMENTS[n % 3];
    const token = generateToken("secret", environment);
    const p = parseToken(token)!;
    return {
      id: newId("key"),
      organizationId: org.id,
      ownerId: user.id,
      createdById: user.id,
      name: `seed-${newId("k", 6)}-${n}`,
      type: "secret" as const,
      environment,
      prefix: p.prefix,
      last4: p.last4,
      hash: hashToken(token),
      status: n % 17 === 0 ? ("suspended" as const) : ("active" as const),
      permissions: n % 2 ? ["keys:read"] : [],
      expiresAt: n % 5 === 0 ? new Date(now + ((n % 60) - 10) * 86_400_000) : null,
      lastUsedAt: n % 3 ? new Date(now - (n % 1000) * 60_000) : null,
      createdAt: new Date(now - n * 1000),
    };
  });
  await db.insert(apiKeys).values(batch);
}
console.log(`[seed] inserted ${count} keys in ${Math.round(performance.now() - started)} ms`);

// Time what the API keys page runs: a filtered, sorted, paginated list plus its count.
const ctx = await resolveOrgContext({ userId: user.id, label: values.email!, ip: null }, org.slug);
const queries = {
  "default (newest first, 25)": {},
  "search 'seed-' + env filter, sort by name": { q: "seed-", environment: "staging", sort: "name", dir: "asc" },
  "status active, sort by last used, page 40": { status: "active", sort: "lastUsedAt", page: 40 },
  "expires within 7 days, sort by expiry, 100": { status: "expiring", sort: "expiresAt", dir: "asc", perPage: 100 },
};
for (const [label, raw] of Object.entries(queries)) {
  const q = keyListQuerySchema.parse(raw);
  await listKeys(ctx, q); // warm up
  const times: number[] = [];
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    await listKeys(ctx, q);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const [{ total }] = [await listKeys(ctx, q)];
  console.log(`[seed] ${label}: median ${times[10].toFixed(1)} ms, p95 ${times[18].toFixed(1)} ms (${total} matching)`);
}
await closeDb();
