import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvents, getDb } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeTeam } from "@/test/factories";
import { createKey, updateKey } from "@/lib/keys/lifecycle";
import { getKey, keyListQuerySchema, listKeys } from "@/lib/keys/queries";
import { toKeyView } from "@/lib/keys/view";
import { restRoute } from "@/lib/api/with-api-key";
import { createCustomer, deleteCustomer, getCustomer, listCustomers, updateCustomer, customerListQuerySchema } from "./customers";
import { createCustomerOp, deleteCustomerOp, getCustomerOp, listCustomersOp, updateCustomerOp } from "./operations";

const q = (over: Record<string, unknown> = {}) => customerListQuerySchema.parse(over);

describe("customers", () => {
  it("owners and admins create, edit and delete; members and viewers read; externalId is unique per org; all audited", async () => {
    const { ctx, org } = await makeTeam();
    const admin = await ctx("admin");
    const acme = await createCustomer(admin, { externalId: "acme", name: "Acme Inc.", metadata: { plan: "pro" } });
    expect(acme.id).toMatch(/^cus_[0-9A-Za-z]{20}$/);
    await expect(createCustomer(await ctx("member"), { externalId: "m", name: "M", metadata: {} })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createCustomer(admin, { externalId: "acme", name: "Other", metadata: {} })).rejects.toMatchObject({ fieldErrors: { externalId: [expect.stringContaining("already")] } });
    expect((await listCustomers(await ctx("viewer"), q({ q: "acm" }))).rows.map((c) => c.name)).toEqual(["Acme Inc."]);
    await updateCustomer(admin, acme.id, { name: "Acme Corporation" });
    expect((await getCustomer(await ctx("member"), acme.id)).name).toBe("Acme Corporation");
    await expect(updateCustomer(await ctx("viewer"), acme.id, { name: "x" })).rejects.toBeInstanceOf(ForbiddenError);
    await deleteCustomer(admin, acme.id);
    await expect(getCustomer(admin, acme.id)).rejects.toBeInstanceOf(NotFoundError);
    const actions = (await getDb().select().from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.targetId, acme.id)))).map((e) => e.action).sort();
    expect(actions).toEqual(["customer.created", "customer.deleted", "customer.updated"]);
  });

  it("a key scoped to a customer shows it, filters by it, and keeps the customer from being deleted", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const acme = await createCustomer(owner, { externalId: "acme", name: "Acme", metadata: {} });
    const { key } = await createKey(owner, { name: "acme billing", customerId: acme.id });
    await createKey(owner, { name: "unscoped" });
    expect((await getCustomer(owner, acme.id)).keyCount).toBe(1);
    expect((await listCustomers(owner, q())).rows.find((c) => c.id === acme.id)?.keyCount).toBe(1);
    const view = toKeyView(owner.membership, await getKey(owner, key.id));
    expect(view.customer).toEqual({ id: acme.id, name: "Acme", externalId: "acme" });
    expect((await listKeys(owner, keyListQuerySchema.parse({ customer: acme.id }))).rows.map((r) => r.name)).toEqual(["acme billing"]);
    const refused = await deleteCustomer(owner, acme.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toContain("1 key");
    await updateKey(owner, { keyId: key.id, name: "acme billing", customerId: null });
    await deleteCustomer(owner, acme.id);
  });

  it("a key cannot be scoped to another organization's customer", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    const theirs = await createCustomer(await b.ctx("owner"), { externalId: "x", name: "Theirs", metadata: {} });
    await expect(createKey(await a.ctx("owner"), { name: "k", customerId: theirs.id })).rejects.toMatchObject({ fieldErrors: { customerId: [expect.any(String)] } });
    await expect(createKey(await a.ctx("owner"), { name: "k", customerId: "cus_bad" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("the REST API lists, creates and refuses to delete a customer with keys, naming how many", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const { token } = await createKey(owner, { name: "script", permissions: ["keys:read", "keys:write"] });
    const call = async (op: unknown, path: string, init: { method: string; body?: unknown; params?: Record<string, string> }) => {
      const res = await restRoute(op as typeof listCustomersOp)(
        new Request(`http://latchkey.test${path}`, { method: init.method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(init.body ? { body: JSON.stringify(init.body) } : {}) }),
        { params: Promise.resolve(init.params ?? {}) },
      );
      return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
    };
    const created = await call(createCustomerOp, "/api/v1/customers", { method: "POST", body: { externalId: "c-1", name: "First", metadata: { tier: 2 } } });
    expect(created).toMatchObject({ status: 201, body: { externalId: "c-1", name: "First", keyCount: 0 } });
    const id = String(created.body!.id);
    expect(await call(createCustomerOp, "/api/v1/customers", { method: "POST", body: { externalId: "c-1", name: "Again" } })).toMatchObject({ status: 400, body: { field: "externalId" } });
    expect(await call(listCustomersOp, "/api/v1/customers?q=first", { method: "GET" })).toMatchObject({ status: 200, body: { total: 1 } });
    await createKey(owner, { name: "scoped", customerId: id });
    const refused = await call(deleteCustomerOp, `/api/v1/customers/${id}`, { method: "DELETE", params: { id } });
    expect(refused.status).toBe(409);
    expect(String(refused.body!.detail)).toContain("1 key");
    expect((await call(deleteCustomerOp, "/api/v1/customers/cus_x", { method: "DELETE", params: { id: "cus_\u0000" } })).status).toBe(404);
    // Named limits: set by PATCH, read back; duplicate names and NUL in metadata are 400 naming the field, and change nothing.
    const limits = [
      { name: "default", limit: 100, window: 60 },
      { name: "daily", limit: 5000, window: 86_400 },
    ];
    expect(await call(updateCustomerOp, `/api/v1/customers/${id}`, { method: "PATCH", params: { id }, body: { ratelimits: limits } })).toMatchObject({ status: 200, body: { ratelimits: limits } });
    const dup = await call(updateCustomerOp, `/api/v1/customers/${id}`, { method: "PATCH", params: { id }, body: { ratelimits: [limits[0], { ...limits[1], name: "default" }] } });
    expect(dup).toMatchObject({ status: 400, body: { field: "ratelimits.1.name" } });
    expect(await call(updateCustomerOp, `/api/v1/customers/${id}`, { method: "PATCH", params: { id }, body: { metadata: { note: "a\u0000b" } } })).toMatchObject({ status: 400, body: { field: "metadata" } });
    expect(await call(getCustomerOp, `/api/v1/customers/${id}`, { method: "GET", params: { id } })).toMatchObject({ status: 200, body: { ratelimits: limits, metadata: { tier: 2 } } });
  });
});
