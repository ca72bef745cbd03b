import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("starts with no variables at all (embedded default)", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe("./.data");
    expect(env.PORT).toBe(3000);
  });

  it("names AUTH_SECRET when production runs on PostgreSQL without one", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://localhost/db" })).toThrow(/AUTH_SECRET/);
  });

  it("names the variable that is malformed", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ SMTP_URL: "http://mail" })).toThrow(EnvError);
    expect(() => parseEnv({ LATCHKEY_ENCRYPTION_KEY: "too-short" })).toThrow(/LATCHKEY_ENCRYPTION_KEY/);
    expect(parseEnv({ LATCHKEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64") }).LATCHKEY_ENCRYPTION_KEY).toBeDefined();
  });

  it("RATE_LIMIT_MODE is local-first unless exact is asked for", () => {
    expect(parseEnv({}).RATE_LIMIT_MODE).toBe("local-first");
    expect(parseEnv({ RATE_LIMIT_MODE: "exact" }).RATE_LIMIT_MODE).toBe("exact");
    expect(() => parseEnv({ RATE_LIMIT_MODE: "strict" })).toThrow(/RATE_LIMIT_MODE/);
  });

  it("names VERIFY_MAX_RPS_PER_IP, which was removed, and says what replaces it", () => {
    expect(() => parseEnv({ VERIFY_MAX_RPS_PER_IP: "2000" })).toThrow(/VERIFY_MAX_RPS_PER_IP: was removed.*VERIFY_MAX_FAILURES_PER_IP/);
    expect(parseEnv({}).VERIFY_MAX_FAILURES_PER_IP).toBe(100);
    expect(parseEnv({ VERIFY_MAX_FAILURES_PER_IP: "0" }).VERIFY_MAX_FAILURES_PER_IP).toBe(0);
  });

  it("LATCHKEY_ROLE=verify needs PostgreSQL, and no AUTH_SECRET (it signs nobody in)", () => {
    expect(parseEnv({}).LATCHKEY_ROLE).toBe("all");
    expect(() => parseEnv({ LATCHKEY_ROLE: "verify" })).toThrow(/LATCHKEY_ROLE: verify needs DATABASE_URL/);
    expect(() => parseEnv({ LATCHKEY_ROLE: "console" })).toThrow(/LATCHKEY_ROLE: must be all or verify/);
    expect(parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://localhost/db", LATCHKEY_ROLE: "verify" }).LATCHKEY_ROLE).toBe("verify");
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", AUTH_SECRET: "" }).DATABASE_URL).toBeUndefined();
  });
});
