// Owns reading keys: the filtered, sorted, paginated list (with count) and one key with its owner.
import { and, asc, count, desc, eq, gt, ilike, isNotNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, getDb, users, type ApiKey } from "../db";
import type { OrgContext } from "../orgs/organizations";
import { loadKey } from "./access";
import { KEY_ENVIRONMENTS, KEY_TYPES } from "./key-names";
import { hashToken, parseToken } from "./token";

export const KEY_STATUS_FILTERS = ["active", "suspended", "revoked", "expired", "expiring"] as const;
export const KEY_SORTS = ["name", "createdAt", "lastUsedAt", "expiresAt"] as const;
export const PER_PAGE = [10, 25, 50, 100] as const;

/** The list's state, as it lives in the URL; anything invalid falls back to the default. */
export const keyListQuerySchema = z.object({
  q: z.string().trim().max(200).catch("").default(""),
  status: z.enum(KEY_STATUS_FILTERS).optional().catch(undefined),
  environment: z.enum(KEY_ENVIRONMENTS).optional().catch(undefined),
  type: z.enum(KEY_TYPES).optional().catch(undefined),
  owner: z.string().max(100).optional().catch(undefined),
  sort: z.enum(KEY_SORTS).catch("createdAt").default("createdAt"),
  dir: z.enum(["asc", "desc"]).catch("desc").default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  perPage: z.coerce
    .number()
    .refine((n) => (PER_PAGE as readonly number[]).includes(n))
    .catch(25)
    .default(25),
});
export type KeyListQuery = z.infer<typeof keyListQuerySchema>;

export type KeyRow = ApiKey & { ownerEmail: string | null; ownerName: string | null };

const WEEK_MS = 7 * 86_400_000;

function statusCondition(status: KeyListQuery["status"], now: Date): SQL | undefined {
  const notExpired = or(sql`${apiKeys.expiresAt} is null`, gt(apiKeys.expiresAt, now));
  switch (status) {
    case "active":
      return and(eq(apiKeys.status, "active"), notExpired);
    case "suspended":
      return and(eq(apiKeys.status, "suspended"), notExpired);
    case "revoked":
      return eq(apiKeys.status, "revoked");
    case "expired":
      return and(ne(apiKeys.status, "revoked"), isNotNull(apiKeys.expiresAt), lte(apiKeys.expiresAt, now));
    case "expiring":
      return and(ne(apiKeys.status, "revoked"), gt(apiKeys.expiresAt, now), lte(apiKeys.expiresAt, new Date(now.getTime() + WEEK_MS)));
    default:
      return undefined;
  }
}

function searchCondition(q: string): SQL | undefined {
  if (!q) return undefined;
  // A pasted full token finds its key by hash; otherwise match name, id or the visible key ending.
  if (parseToken(q)) return or(eq(apiKeys.hash, hashToken(q)), eq(apiKeys.previousHash, hashToken(q)));
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(apiKeys.name, like), ilike(apiKeys.id, like), ilike(sql`${apiKeys.prefix} || '…' || ${apiKeys.last4}`, like), eq(apiKeys.last4, q));
}

export async function listKeys(ctx: OrgContext, query: KeyListQuery, now = new Date()): Promise<{ rows: KeyRow[]; total: number }> {
  const where = and(
    eq(apiKeys.organizationId, ctx.org.id),
    searchCondition(query.q),
    statusCondition(query.status, now),
    query.environment ? eq(apiKeys.environment, query.environment) : undefined,
    query.type ? eq(apiKeys.type, query.type) : undefined,
    query.owner ? eq(apiKeys.ownerId, query.owner) : undefined,
  );
  const column = { name: apiKeys.name, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, expiresAt: apiKeys.expiresAt }[query.sort];
  const order = query.dir === "asc" ? sql`${column} asc nulls last` : sql`${column} desc nulls last`;
  const db = getDb();
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ key: apiKeys, ownerEmail: users.email, ownerName: users.name })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.ownerId))
      .where(where)
      .orderBy(order, query.dir === "asc" ? asc(apiKeys.id) : desc(apiKeys.id))
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage),
    db.select({ total: count() }).from(apiKeys).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r.key, ownerEmail: r.ownerEmail, ownerName: r.ownerName })), total };
}

export async function getKey(ctx: OrgContext, keyId: string): Promise<KeyRow> {
  const key = await loadKey(getDb(), ctx, keyId);
  const owner = key.ownerId ? await getDb().query.users.findFirst({ where: eq(users.id, key.ownerId), columns: { email: true, name: true } }) : undefined;
  return { ...key, ownerEmail: owner?.email ?? null, ownerName: owner?.name ?? null };
}
