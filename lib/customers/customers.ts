// Owns customers: the organization's own customers, which keys can be scoped to. Everyone in the
// organization reads them; owners and admins create, edit and delete them (audited).
import { and, asc, count, desc, eq, ilike, or, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, customers, getDb, type Customer, type DbOrTx } from "../db";
import type { OrgContext } from "../context";
import { recordAudit } from "../audit/audit";
import { ConflictError, NotFoundError, fieldError } from "../errors";
import { isUniqueViolation } from "../error-translator";
import { newId } from "../ids";
import { requireAdmin } from "../orgs/roles";
import { parseInput } from "../validation";
import { publishKeyChange } from "../verify/invalidation";
import { jsonObject, pageQuery, text } from "../primitives";
import { creditColumns, creditsInputOf, creditsSchema } from "../credits/credits";
import { namedLimitsSchema } from "../limits/named-limits";

export const customerFields = {
  externalId: text({ label: "External ID", min: 1, max: 255, required: "External ID is required" }).describe("The customer's id in your own system; unique in the organization."),
  name: text({ label: "Name", min: 1, max: 200, required: "Name is required" }),
  metadata: jsonObject({ label: "Metadata", maxBytes: 4096 }).describe("A JSON object (up to 4 KiB) returned by verification with the customer."),
  credits: creditsSchema.describe("Credits shared by the customer's keys (a key's own credits win). Null: none."),
  ratelimits: namedLimitsSchema.default([]).describe("Named rate limits shared by all the customer's keys (a key's limit of the same name replaces one): `limit` requests per sliding `window` seconds."),
};
export const createCustomerSchema = z.object(customerFields);
/** PATCH: any subset of the fields. */
export const updateCustomerSchema = z.object(customerFields).partial();

export const CUSTOMER_SORTS = ["name", "externalId", "createdAt"] as const;
export const customerListQuerySchema = z.object({
  q: text({ label: "q", max: 200 }).default("").describe("Search: name, external ID or customer id."),
  sort: z.enum(CUSTOMER_SORTS, { error: `sort must be one of ${CUSTOMER_SORTS.join(", ")}` }).default("name"),
  dir: z.enum(["asc", "desc"], { error: "dir must be asc or desc" }).default("asc"),
  ...pageQuery,
});
export type CustomerListQuery = z.output<typeof customerListQuerySchema>;

export type CustomerRow = Customer & { keyCount: number };

const auditView = (c: Customer) => ({ externalId: c.externalId, name: c.name, metadata: c.metadata, credits: creditsInputOf(c), ratelimits: c.ratelimits });

// Written out in full: inside a select from "customer", drizzle leaves column names unqualified.
const keyCount = sql<number>`(select count(*)::int from "api_key" k where k."customer_id" = "customer"."id")`;

export async function listCustomers(ctx: OrgContext, q: CustomerListQuery): Promise<{ rows: CustomerRow[]; total: number }> {
  const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = and(eq(customers.organizationId, ctx.org.id), q.q ? or(ilike(customers.name, like), ilike(customers.externalId, like), eq(customers.id, q.q)) : undefined);
  const column = { name: customers.name, externalId: customers.externalId, createdAt: customers.createdAt }[q.sort];
  const db = getDb();
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ customer: customers, keyCount })
      .from(customers)
      .where(where)
      .orderBy(q.dir === "asc" ? asc(column) : desc(column), asc(customers.id))
      .limit(q.perPage)
      .offset((q.page - 1) * q.perPage),
    db.select({ total: count() }).from(customers).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r.customer, keyCount: r.keyCount })), total };
}

async function loadCustomer(db: DbOrTx, ctx: OrgContext, customerId: string, lock = false): Promise<Customer> {
  const q = db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.organizationId, ctx.org.id)))
    .limit(1);
  const [c] = lock ? await q.for("update") : await q;
  if (!c) throw new NotFoundError("Customer not found");
  return c;
}

export async function getCustomer(ctx: OrgContext, customerId: string): Promise<CustomerRow> {
  const [row] = await getDb()
    .select({ customer: customers, keyCount })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.organizationId, ctx.org.id)))
    .limit(1);
  if (!row) throw new NotFoundError("Customer not found");
  return { ...row.customer, keyCount: row.keyCount };
}

/** Every customer of the organization, for the key form's picker (by name, at most `limit`). */

const duplicate = () => fieldError("externalId", "Another customer of this organization already has this external ID");

export async function createCustomer(ctx: OrgContext, raw: unknown): Promise<Customer> {
  requireAdmin(ctx.membership.role, "manage customers");
  const input = parseInput(createCustomerSchema, raw);
  try {
    return await getDb().transaction(async (tx) => {
      const [c] = await tx
        .insert(customers)
        .values({ id: newId("cus"), organizationId: ctx.org.id, externalId: input.externalId, name: input.name, metadata: input.metadata, ratelimits: input.ratelimits, ...creditColumns(input.credits, new Date()) })
        .returning();
      await recordAudit(tx, { organizationId: ctx.org.id, actor: ctx.actor, action: "customer.created", target: { type: "customer", id: c.id, label: c.name }, after: auditView(c) });
      return c;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate();
    throw e;
  }
}

/** Changes only the fields present in `raw` (PATCH). */
export async function updateCustomer(ctx: OrgContext, customerId: string, raw: unknown): Promise<Customer> {
  const updated = await writeCustomerUpdate(ctx, customerId, raw);
  // Verification answers carry the customer and use its credits and limits: every instance reloads the org's keys.
  await publishKeyChange({ organizationIds: [ctx.org.id] });
  return updated;
}

async function writeCustomerUpdate(ctx: OrgContext, customerId: string, raw: unknown): Promise<Customer> {
  requireAdmin(ctx.membership.role, "manage customers");
  const sent = new Set(Object.keys(raw && typeof raw === "object" ? raw : {}));
  const parsed = parseInput(updateCustomerSchema, raw);
  const patch = Object.fromEntries(Object.entries(parsed).filter(([k]) => sent.has(k))) as typeof parsed;
  try {
    return await getDb().transaction(async (tx) => {
      const current = await loadCustomer(tx, ctx, customerId, true);
      const [c] = await tx
        .update(customers)
        .set({
          ...(patch.externalId !== undefined ? { externalId: patch.externalId } : {}),
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
          ...(patch.credits !== undefined ? creditColumns(patch.credits, new Date()) : {}),
          ...(patch.ratelimits !== undefined ? { ratelimits: patch.ratelimits } : {}),
          updatedAt: new Date(),
        })
        .where(eq(customers.id, current.id))
        .returning();
      await recordAudit(tx, { organizationId: ctx.org.id, actor: ctx.actor, action: "customer.updated", target: { type: "customer", id: c.id, label: c.name }, before: auditView(current), after: auditView(c) });
      return c;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate();
    throw e;
  }
}

/** Deletes a customer without keys; one that still has keys is refused, saying how many. */
export async function deleteCustomer(ctx: OrgContext, customerId: string): Promise<void> {
  requireAdmin(ctx.membership.role, "manage customers");
  await getDb().transaction(async (tx) => {
    const current = await loadCustomer(tx, ctx, customerId, true);
    const [{ n }] = await tx.select({ n: count() }).from(apiKeys).where(eq(apiKeys.customerId, current.id));
    if (n > 0) throw new ConflictError(`“${current.name}” still has ${n} ${n === 1 ? "key" : "keys"}. Delete them or scope them to another customer first.`);
    await tx.delete(customers).where(eq(customers.id, current.id));
    await recordAudit(tx, { organizationId: ctx.org.id, actor: ctx.actor, action: "customer.deleted", target: { type: "customer", id: current.id, label: current.name }, before: auditView(current) });
  });
}

/** Checks that a key may be scoped to `customerId` (a customer of the same organization). */
export async function assertCustomerOfOrg(db: DbOrTx, organizationId: string, customerId: string): Promise<void> {
  const [c] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.organizationId, organizationId)))
    .limit(1);
  if (!c) throw fieldError("customerId", "No such customer in this organization");
}
