import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { VERIFY_CODES } from "./verify/codes";
import { PROBLEMS } from "./api/problem";

type Operation = { security?: unknown; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> };

/** Every route handler under app/api/v1 as [OpenAPI path, method]. */
function routeFiles(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const route = "/" + path.relative(path.resolve("app"), path.dirname(p)).replace(/\[(\w+)\]/g, "{$1}");
        const src = fs.readFileSync(p, "utf8");
        for (const m of src.matchAll(/export (?:const|async function|function) (GET|POST|PATCH|DELETE|PUT)\b/g)) out.push([route, m[1].toLowerCase()]);
      }
    }
  };
  walk(path.resolve("app/api/v1"));
  return out.filter(([route]) => route !== "/api/v1/openapi.json");
}

describe("OpenAPI document", () => {
  const doc = openApiDocument();
  const paths = doc.paths as unknown as Record<string, Record<string, Operation>>;

  it("describes the verify endpoint from the validating zod schemas", () => {
    expect(doc.openapi).toBe("3.1.0");
    const req = doc.components.schemas.VerifyRequest as { required?: string[]; properties: Record<string, { enum?: string[] }> };
    expect(req.required).toEqual(["key"]);
    expect(req.properties.environment.enum).toEqual(["production", "staging", "development"]);
    const res = doc.components.schemas.VerifyResponse as { properties: Record<string, { enum?: string[] }> };
    expect(res.properties.code.enum).toEqual([...VERIFY_CODES]);
    expect(Object.keys(paths["/api/v1/keys/verify"].post.responses)).toEqual(["200", "400", "429", "500", "503"]);
  });

  it("documents every route handler under /api/v1, and nothing that does not exist", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThanOrEqual(12);
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => [p, m] as [string, string]));
    expect(documented.sort()).toEqual(files.sort());
  });

  it("gives every management operation its permission, its problems and the rate-limit headers", () => {
    for (const [p, ops] of Object.entries(paths)) {
      if (p === "/api/v1/keys/verify") continue;
      for (const [method, op] of Object.entries(ops)) {
        expect(op.security, `${method} ${p}`).toEqual([{ bearer: [expect.stringMatching(/^(keys:read|keys:write|audit:read|analytics:read)$/)] }]);
        expect(Object.keys(op.responses), `${method} ${p}`).toEqual(expect.arrayContaining(["401", "403", "429"]));
        if (method === "post") expect(op.parameters?.map((x) => x.name)).toContain("Idempotency-Key");
        if (p.includes("{id}")) expect(Object.keys(op.responses)).toContain("404");
      }
    }
    const problemTypes = (doc.components.schemas.ApiProblem as { "x-problem-types": Record<string, unknown> })["x-problem-types"];
    expect(Object.keys(problemTypes)).toEqual(Object.keys(PROBLEMS));
  });

  it("generates request bodies from the zod schemas that validate them", () => {
    const create = (doc.components.schemas as Record<string, unknown>).CreateKey as { required?: string[]; properties: Record<string, { enum?: string[] }> };
    expect(create.required).toEqual(["name"]);
    expect(create.properties.environment.enum).toEqual(["production", "staging", "development"]);
    const update = (doc.components.schemas as Record<string, unknown>).UpdateKey as { required?: string[]; properties: Record<string, unknown> };
    expect(update.required ?? []).toEqual([]);
    expect(Object.keys(update.properties)).not.toContain("keyId");
    expect(Object.keys(update.properties)).not.toContain("environment");
  });

  it("states an integer's real bounds or none, never JavaScript's ±(2^53 − 1)", () => {
    const bounds: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (!node || typeof node !== "object") return;
      for (const [k, v] of Object.entries(node)) {
        if (["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"].includes(k) && typeof v === "number" && Math.abs(v) >= Number.MAX_SAFE_INTEGER) bounds.push(`${at}/${k}`);
        walk(v, `${at}/${k}`);
      }
    };
    walk(doc, "#");
    expect(bounds).toEqual([]);
    // Real bounds survive: a rate limit's window is a positive number of seconds.
    const schemas = JSON.stringify(doc.components.schemas);
    expect(schemas).toMatch(/"minimum":\s*[01]\b|"exclusiveMinimum":\s*0\b/);
  });
});
