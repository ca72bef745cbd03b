// Owns reading keys: the filtered, sorted, paginated list (with count) for an organization or for
// one user across their organizations, and one key with its owner.
import type { NamedLimit } from "../limits/named-limits";
import { and, asc, count, desc, eq, gt, ilike, inArray, isNotNull, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { CreditColumns } from "../credits/credits";
import { apiKeys, customers, getDb, memberships, organizations, users, type ApiKey, type Role } from "../db";
import type { OrgContext } from "../context";
import { loadKey } from "./access";
import { KEY_ENVIRONMENTS, KEY_TYPES } from "./key-names";
import { hashToken, parseToken } from "./token";
import type { GracePeriod } from "./grace";
import { id, pageQuery, slug, text } from "../primitives";

export const KEY_STATUS_FILTERS = ["active", "suspended", "revoked", "expired", "expiring", "owner_inactive"] as const;
export const KEY_SORTS = ["name", "createdAt", "lastUsedAt", "expiresAt"] as const;

/**
 * The list's state, as it lives in the URL and in `GET /api/v1/keys`: the REST API answers 400 for
 * an invalid value, a page drops it (parsePageQuery).
 */
export const keyListQuerySchema = z.object({
  q: text({ label: "q", max: 200 }).default("").describe("Search: name, key id, key ending, or a full token."),
  status: z.enum(KEY_STATUS_FILTERS, { error: `status must be one of ${KEY_STATUS_FILTERS.join(", ")}` }).optional(),
  environment: z.enum(KEY_ENVIRONMENTS, { error: `environment must be one of ${KEY_ENVIRONMENTS.join(", ")}` }).optional(),
  type: z.enum(KEY_TYPES, { error: "type must be secret or public" }).optional(),
  owner: id("user").optional().describe("Only keys owned by this user id."),
  customer: id("cus").optional().describe("Only keys scoped to this customer (`cus_…`)."),
  sort: z.enum(KEY_SORTS, { error: `sort must be one of ${KEY_SORTS.join(", ")}` }).default("createdAt"),
  dir: z.enum(["asc", "desc"], { error: "dir must be asc or desc" }).default("desc"),
  ...pageQuery,
});
/** My API keys adds the organization filter (by slug). */
export const myKeysQuerySchema = keyListQuerySchema.extend({ org: slug().optional() });
export type KeyListQuery = z.infer<typeof keyListQuerySchema> & { org?: string };

export type KeyRow = ApiKey & {
  ownerEmail: string | null;
  ownerName: string | null;
  /** The owner's current role in the key's organization; null when they are no longer a member. */
  ownerRole: Role | null;
  orgSlug: string;
  orgName: string;
  orgDefaultGrace: GracePeriod;
  customerName: string | null;
  customerExternalId: string | null;
  /** The customer's named limits (shared by its keys; the key's own of the same name replace them). */
  customerRatelimits: NamedLimit[] | null;
  /** The customer's credit columns (its credits are shared by its keys that have none of their own). */
  customerCredits: CreditColumns | null;
  /** The organization keeps new secret tokens recoverable. */
  orgKeyRecoverable: boolean;
};

const WEEK_MS = 7 * 86_400_000;

const customerCreditColumns = {
  creditsRemaining: customers.creditsRemaining,
  creditsRefillAmount: customers.creditsRefillAmount,
  creditsRefillInterval: customers.creditsRefillInterval,
  creditsRefillDay: customers.creditsRefillDay,
  creditsNextRefillAt: customers.creditsNextRefillAt,
  creditsLowThreshold: customers.creditsLowThreshold,
};

/** The statuses whose condition reads the owner's membership (statusCondition joins it for them). */
const OWNER_STATUSES: ReadonlySet<KeyListQuery["status"]> = new Set(["active", "owner_inactive"]);

function statusCondition(status: KeyListQuery["status"], now: Date): SQL | undefined {
  const notExpired = or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now));
  const live = and(ne(apiKeys.status, "revoked"), notExpired);
  switch (status) {
    case "active":
      return and(eq(apiKeys.status, "active"), notExpired, isNotNull(memberships.userId));
    case "suspended":
      return and(eq(apiKeys.status, "suspended"), notExpired);
    case "owner_inactive":
      return and(eq(apiKeys.status, "active"), notExpired, isNull(memberships.userId));
    case "revoked":
      return eq(apiKeys.status, "revoked");
    case "expired":
      return and(ne(apiKeys.status, "revoked"), isNotNull(apiKeys.expiresAt), lte(apiKeys.expiresAt, now));
    case "expiring":
      return and(live, lte(apiKeys.expiresAt, new Date(now.getTime() + WEEK_MS)));
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

/** Lists keys within `scope` (an organization, or a user's own keys in their organizations). */
async function queryKeys(scope: SQL, query: KeyListQuery, now: Date): Promise<{ rows: KeyRow[]; total: number }> {
  const where = and(
    scope,
    searchCondition(query.q),
    statusCondition(query.status, now),
    query.environment ? eq(apiKeys.environment, query.environment) : undefined,
    query.type ? eq(apiKeys.type, query.type) : undefined,
    query.owner ? eq(apiKeys.ownerId, query.owner) : undefined,
    query.customer ? eq(apiKeys.customerId, query.customer) : undefined,
    query.org ? eq(organizations.slug, query.org) : undefined,
  );
  const ownerMembership = and(eq(memberships.organizationId, apiKeys.organizationId), eq(memberships.userId, apiKeys.ownerId));
  const column = { name: apiKeys.name, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, expiresAt: apiKeys.expiresAt }[query.sort];
  // Never-used and never-expiring keys last either way. Names and creation times are never null, so
  // their order is plain: the (organization_id, name|created_at, id) indexes then serve a page
  // without sorting every key of the organization.
  const nullable = query.sort === "lastUsedAt" || query.sort === "expiresAt";
  const order = nullable ? (query.dir === "asc" ? sql`${column} asc nulls last` : sql`${column} desc nulls last`) : query.dir === "asc" ? asc(column) : desc(column);
  const tiebreak = query.dir === "asc" ? asc(apiKeys.id) : desc(apiKeys.id);
  const db = getDb();
  // The page's ids first, from api_key alone unless a filter needs the owner's membership or the
  // organization's slug (each key has one organization and at most one owner membership, so the
  // joins never change which keys match): sorting 10,000 keys by last use then costs a narrow sort
  // rather than a sort of 10,000 joined rows, and the joins run for the page only.
  const joined = OWNER_STATUSES.has(query.status) || !!query.org;
  const matching = <T extends PgSelect>(q: T) => (joined ? q.innerJoin(organizations, eq(organizations.id, apiKeys.organizationId)).leftJoin(memberships, ownerMembership) : q).where(where);
  const pageIds = matching(db.select({ id: apiKeys.id }).from(apiKeys).$dynamic())
    .orderBy(order, tiebreak)
    .limit(query.perPage)
    .offset((query.page - 1) * query.perPage);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ key: apiKeys, ownerEmail: users.email, ownerName: users.name, ownerRole: memberships.role, orgSlug: organizations.slug, orgName: organizations.name, orgDefaultGrace: organizations.keyDefaultGrace, customerName: customers.name, customerExternalId: customers.externalId, customerRatelimits: customers.ratelimits, customerCredits: customerCreditColumns, orgKeyRecoverable: organizations.keyRecoverable })
      .from(apiKeys)
      .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
      .leftJoin(memberships, ownerMembership)
      .leftJoin(users, eq(users.id, apiKeys.ownerId))
      .leftJoin(customers, eq(customers.id, apiKeys.customerId))
      .where(inArray(apiKeys.id, pageIds))
      .orderBy(order, tiebreak),
    matching(db.select({ total: count() }).from(apiKeys).$dynamic()),
  ]);
  return { rows: rows.map(({ key, ...rest }) => ({ ...key, ...rest })), total };
}

export function listKeys(ctx: OrgContext, query: KeyListQuery, now = new Date()) {
  return queryKeys(eq(apiKeys.organizationId, ctx.org.id), query, now);
}

/** The keys a user owns in the organizations they belong to (never keys of an org they left). */
export function listKeysOwnedBy(userId: string, query: KeyListQuery, now = new Date()) {
  const myOrgs = getDb().select({ id: memberships.organizationId }).from(memberships).where(eq(memberships.userId, userId));
  return queryKeys(and(eq(apiKeys.ownerId, userId), inArray(apiKeys.organizationId, myOrgs))!, query, now);
}

export async function getKey(ctx: OrgContext, keyId: string): Promise<KeyRow> {
  const key = await loadKey(getDb(), ctx, keyId);
  const db = getDb();
  const [owner] = key.ownerId
    ? await db
        .select({ email: users.email, name: users.name, role: memberships.role })
        .from(users)
        .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.organizationId, key.organizationId)))
        .where(eq(users.id, key.ownerId))
    : [];
  const [customer] = key.customerId ? await db.select({ name: customers.name, externalId: customers.externalId, ratelimits: customers.ratelimits, credits: customerCreditColumns }).from(customers).where(eq(customers.id, key.customerId)) : [];
  return {
    ...key,
    ownerEmail: owner?.email ?? null,
    ownerName: owner?.name ?? null,
    ownerRole: owner?.role ?? null,
    orgSlug: ctx.org.slug,
    orgName: ctx.org.name,
    orgDefaultGrace: ctx.org.keyDefaultGrace,
    customerName: customer?.name ?? null,
    customerExternalId: customer?.externalId ?? null,
    customerRatelimits: customer?.ratelimits ?? null,
    customerCredits: customer?.credits ?? null,
    orgKeyRecoverable: ctx.org.keyRecoverable,
  };
}
