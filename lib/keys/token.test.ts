import { describe, expect, it } from "vitest";
import { checksum, crc32, generateToken, hashToken, isWellFormedToken, parseToken, KEY_ENVIRONMENTS, KEY_TYPES } from "./token";

describe("key tokens", () => {
  it("crc32 matches the standard check value", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it.each(KEY_TYPES.flatMap((t) => KEY_ENVIRONMENTS.map((e) => [t, e] as const)))("generates %s/%s tokens that parse back", (type, env) => {
    const token = generateToken(type, env);
    expect(token).toMatch(/^(sk|pk)_(prod|stg|dev)_[0-9A-Za-z]{28}$/);
    expect(parseToken(token)).toEqual({ type, environment: env, prefix: token.slice(0, token.indexOf("_", 3) + 1), last4: token.slice(-4) });
  });

  it("is random: no two tokens alike", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateToken("secret", "production")));
    expect(seen.size).toBe(2000);
  });

  it("refuses a typo anywhere, a wrong prefix, a wrong length and non-strings", () => {
    const token = generateToken("secret", "production");
    for (let i = 8; i < token.length; i++) {
      const c = token[i] === "a" ? "b" : "a";
      const typo = token.slice(0, i) + c + token.slice(i + 1);
      expect(parseToken(typo), `typo at ${i}`).toBeNull();
      expect(isWellFormedToken(typo), `typo at ${i}`).toBe(false);
    }
    expect(isWellFormedToken(token)).toBe(true);
    expect(parseToken("xk" + token.slice(2))).toBeNull();
    expect(parseToken(token.replace("_prod_", "_test_"))).toBeNull();
    expect(parseToken(token + "a")).toBeNull();
    expect(parseToken(token.slice(0, -1))).toBeNull();
    expect(parseToken(null)).toBeNull();
    expect(parseToken("sk_prod_" + "A".repeat(22) + checksum("sk_prod_" + "A".repeat(22)))).not.toBeNull();
  });

  it("hashes with SHA-256 hex", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
