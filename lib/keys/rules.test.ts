import { describe, expect, it } from "vitest";
import { parseRules, rulesAllow, RulesError } from "./rules";

describe("rules", () => {
  const set = parseRules(["# customers are read-only", "deny * /v1/admin/**", "allow GET,HEAD /v1/customers/**", "allow POST /v1/customers/*/notes"].join("\n"));

  it("first match wins; no match denies when an allow line exists", () => {
    expect(rulesAllow(set, "GET", "/v1/customers/42")).toBe(true);
    expect(rulesAllow(set, "head", "/v1/customers")).toBe(true);
    expect(rulesAllow(set, "POST", "/v1/customers/42/notes")).toBe(true);
    expect(rulesAllow(set, "POST", "/v1/customers/42/notes/1")).toBe(false); // * is one segment
    expect(rulesAllow(set, "DELETE", "/v1/customers/42")).toBe(false);
    expect(rulesAllow(set, "GET", "/v1/admin/users")).toBe(false);
    expect(rulesAllow(set, "GET", "/v1/other")).toBe(false);
    expect(rulesAllow(set, "GET", "/v1/customers/42?x=1")).toBe(true);
  });

  it("with only deny lines, anything not denied is allowed", () => {
    const denyOnly = parseRules("deny DELETE /**");
    expect(rulesAllow(denyOnly, "DELETE", "/a/b")).toBe(false);
    expect(rulesAllow(denyOnly, "GET", "/a/b")).toBe(true);
  });

  it("fails closed without method or path when rules exist; no rules allow all", () => {
    expect(rulesAllow(set, undefined, "/v1/customers/1")).toBe(false);
    expect(rulesAllow(set, "GET", undefined)).toBe(false);
    expect(rulesAllow(parseRules(""), undefined, undefined)).toBe(true);
  });

  it("reports every bad line with its number", () => {
    try {
      parseRules("allow GET /ok\npermit GET /x\nallow FETCH /x\nallow GET x\nallow GET\nallow GET /a**");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RulesError);
      const errors = (e as RulesError).errors;
      expect(errors).toHaveLength(5);
      expect(errors[0]).toMatch(/^Line 2: .*allow or deny/);
      expect(errors[1]).toMatch(/^Line 3: unknown method "FETCH"/);
      expect(errors[2]).toMatch(/^Line 4: the path must start/);
      expect(errors[3]).toMatch(/^Line 5: expected/);
      expect(errors[4]).toMatch(/^Line 6: "\*\*" must be a whole path segment/);
    }
  });
});
