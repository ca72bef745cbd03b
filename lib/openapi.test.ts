import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { VERIFY_CODES } from "./verify/codes";

describe("OpenAPI document", () => {
  it("describes the verify endpoint from the validating zod schemas", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const req = doc.components.schemas.VerifyRequest as { required?: string[]; properties: Record<string, { enum?: string[] }> };
    expect(req.required).toEqual(["key"]);
    expect(req.properties.environment.enum).toEqual(["production", "staging", "development"]);
    const res = doc.components.schemas.VerifyResponse as { properties: Record<string, { enum?: string[] }> };
    expect(res.properties.code.enum).toEqual([...VERIFY_CODES]);
    expect(Object.keys(doc.paths["/api/v1/keys/verify"].post.responses)).toEqual(["200", "400", "429"]);
  });
});
