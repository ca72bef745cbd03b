import { describe, expect, it } from "vitest";
import { splitFlatInput } from "./operation";
import { createCustomerOp, listCustomersOp, updateCustomerOp } from "../customers/operations";
import type { Operation } from "./operation";

describe("a server action's flat input, split as the REST API receives it", () => {
  it("a list's fields are its query (the customer picker's search), not a body it does not have", () => {
    const raw = splitFlatInput(listCustomersOp as unknown as Operation, { q: "ext-27", perPage: 20 });
    expect(raw).toEqual({ params: {}, query: { q: "ext-27", perPage: 20 }, body: undefined });
  });
  it("path parameters apart, every other field in the body of an operation that has one", () => {
    expect(splitFlatInput(updateCustomerOp as unknown as Operation, { id: "cus_1", name: "Acme", q: "x" })).toEqual({ params: { id: "cus_1" }, query: {}, body: { name: "Acme", q: "x" } });
    expect(splitFlatInput(createCustomerOp as unknown as Operation, { name: "Acme", externalId: "a" }).body).toEqual({ name: "Acme", externalId: "a" });
  });
});
