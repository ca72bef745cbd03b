import { describe, expect, it } from "vitest";
import { parseVerifyBody, verifyRequestSchema } from "./request";

const parse = (body: unknown) => parseVerifyBody(typeof body === "string" ? body : JSON.stringify(body), "application/json");

describe("parseVerifyBody", () => {
  it("answers the key-only request exactly as the schema does (the fast path and zod agree)", () => {
    const bodies = [
      { key: "sk_prod_abc" },
      { key: "" },
      { key: "x".repeat(512) },
      { key: "x".repeat(513) },
      { key: 42 },
      { key: null },
      { key: "sk_prod_abc", environment: "production" },
      { key: "sk_prod_abc", extra: true },
      {},
    ];
    for (const body of bodies) {
      const ours = parse(body);
      const zod = verifyRequestSchema.safeParse(body);
      expect(ours.ok, JSON.stringify(body)).toBe(zod.success);
      if (ours.ok && zod.success) expect(ours.value).toEqual(zod.data);
    }
  });

  it("does not let a __proto__ member slip past the schema", () => {
    const out = parse('{"key":"sk_prod_abc","__proto__":{"permissions":["admin"]}}');
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.value.permissions).toBeUndefined();
  });

  it("names the field of a bad request", () => {
    const out = parse({ key: "x".repeat(600) });
    expect(out).toMatchObject({ ok: false, problem: { status: 400, field: "key" } });
    expect(parse({ key: 1 })).toMatchObject({ ok: false, problem: { field: "key" } });
    expect(parseVerifyBody('{"key":"a"}', "text/plain")).toMatchObject({ ok: false, problem: { field: "content-type" } });
  });
});
