// Owns the customer operations (REST routes, server actions and the customers page derive from them).
// Customers belong to key management: the REST routes take keys:read / keys:write.
import { z } from "zod";
import { operation } from "../ops/operation";
import { creditsOf } from "../credits/credits";
import { creditsJsonSchema } from "../credits/credits-json";
import { namedLimitJsonSchema } from "../limits/named-limits";
import { id, pageResult } from "../primitives";
import type { CustomerRow } from "./customers";
import { createCustomer, createCustomerSchema, customerListQuerySchema, deleteCustomer, getCustomer, listCustomers, updateCustomer, updateCustomerSchema } from "./customers";

const customerParams = z.object({ id: id("cus") });

export const customerJsonSchema = z.object({
  id: z.string().describe("`cus_…`"),
  externalId: z.string(),
  name: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  keyCount: z.number().int().describe("Keys scoped to this customer."),
  credits: creditsJsonSchema.nullable().describe("Credits shared by the customer's keys (null: none)."),
  ratelimits: z.array(namedLimitJsonSchema).describe("Named rate limits shared by the customer's keys (window in seconds)."),
  createdAt: z.string().describe("ISO 8601 date-time"),
  updatedAt: z.string().describe("ISO 8601 date-time"),
});

export function toCustomerJson(c: CustomerRow): z.infer<typeof customerJsonSchema> {
  return { id: c.id, externalId: c.externalId, name: c.name, metadata: c.metadata, keyCount: c.keyCount, credits: creditsOf(c), ratelimits: c.ratelimits, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}

export const listCustomersOp = operation({
  name: "listCustomers",
  summary: "List the organization's customers",
  description: "Search (`q`: name, external ID or id), sort and pagination.",
  permission: "keys:read",
  input: { query: customerListQuerySchema },
  handler: (ctx, { query }) => listCustomers(ctx, query),
  rest: {
    method: "GET",
    path: "/api/v1/customers",
    tag: "Customers",
    ok: { status: 200, schema: "CustomerPage", description: "One page of customers." },
    present: (_ctx, { rows, total }, { query }) => ({ status: 200, body: pageResult(rows.map(toCustomerJson), query, total) }),
  },
});

export const createCustomerOp = operation({
  name: "createCustomer",
  summary: "Create a customer",
  description: "Owners' and admins' keys only. `externalId` is unique in the organization.",
  permission: "keys:write",
  input: { body: createCustomerSchema },
  handler: async (ctx, { body }) => getCustomer(ctx, (await createCustomer(ctx, body)).id),
  rest: {
    method: "POST",
    path: "/api/v1/customers",
    tag: "Customers",
    ok: { status: 201, schema: "Customer", description: "The new customer. `Location` names it." },
    present: (_ctx, c) => ({ status: 201, body: toCustomerJson(c), headers: { Location: `/api/v1/customers/${c.id}` } }),
  },
});

export const getCustomerOp = operation({
  name: "getCustomer",
  summary: "Get a customer",
  permission: "keys:read",
  resource: "Customer",
  input: { params: customerParams },
  handler: (ctx, { params }) => getCustomer(ctx, params.id),
  rest: { method: "GET", path: "/api/v1/customers/{id}", tag: "Customers", ok: { status: 200, schema: "Customer", description: "The customer." }, present: (_ctx, c) => ({ status: 200, body: toCustomerJson(c) }) },
});

export const updateCustomerOp = operation({
  name: "updateCustomer",
  summary: "Change a customer",
  description: "Send only the fields to change.",
  permission: "keys:write",
  resource: "Customer",
  input: { params: customerParams, body: updateCustomerSchema },
  partialBody: true,
  handler: async (ctx, { params, body }) => getCustomer(ctx, (await updateCustomer(ctx, params.id, body)).id),
  rest: { method: "PATCH", path: "/api/v1/customers/{id}", tag: "Customers", ok: { status: 200, schema: "Customer", description: "The customer after the change." }, present: (_ctx, c) => ({ status: 200, body: toCustomerJson(c) }) },
});

export const deleteCustomerOp = operation({
  name: "deleteCustomer",
  summary: "Delete a customer",
  description: "Refused (409, naming how many) while keys are scoped to the customer.",
  permission: "keys:write",
  resource: "Customer",
  input: { params: customerParams },
  handler: (ctx, { params }) => deleteCustomer(ctx, params.id),
  rest: { method: "DELETE", path: "/api/v1/customers/{id}", tag: "Customers", ok: { status: 204, description: "Deleted." }, present: () => ({ status: 204, body: null }) },
});
