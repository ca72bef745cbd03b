import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, users } from "@/lib/db";
import { ConflictError, RateLimitError } from "@/lib/errors";
import { authenticate, signUp } from "./accounts";
import { checkThrottle, recordFailure, THROTTLE, throttleKeys } from "./throttle";
import { uniq } from "@/test/factories";

describe("accounts", () => {
  it("stores an argon2id hash, never the password, and authenticates with it", async () => {
    const email = `a-${uniq()}@example.com`;
    const user = await signUp({ name: "A", email, password: "s3cret-password" }, null);
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("s3cret-password");
    expect((await authenticate({ email: email.toUpperCase(), password: "s3cret-password" }, "1.2.3.4"))?.id).toBe(user.id);
    expect(await authenticate({ email, password: "wrong" }, "1.2.3.4")).toBeNull();
    expect(await authenticate({ email: `nobody-${uniq()}@example.com`, password: "x" }, "1.2.3.4")).toBeNull();
  });

  it("refuses a duplicate email and a short password, naming the field", async () => {
    const email = `dup-${uniq()}@example.com`;
    await signUp({ name: "D", email, password: "password-1234" }, null);
    await expect(signUp({ name: "D", email, password: "password-1234" }, null)).rejects.toBeInstanceOf(ConflictError);
    await expect(signUp({ name: "D", email: `x-${uniq()}@example.com`, password: "short" }, null)).rejects.toMatchObject({
      fieldErrors: { password: ["Password must be at least 8 characters"] },
    });
  });

  it("slows repeated failures, then locks the email out even for the right password", async () => {
    const email = `t-${uniq()}@example.com`;
    await signUp({ name: "T", email, password: "right-password" }, null);
    const ip = `198.51.100.${Math.floor(Math.random() * 200)}`;
    for (let i = 0; i < THROTTLE.slowAfter; i++) await authenticate({ email, password: "wrong" }, ip);
    expect(await checkThrottle(getDb(), throttleKeys(email, ip))).toBeGreaterThan(0);
    // Skip the stalls of the remaining wrong attempts by recording them directly.
    for (let i = THROTTLE.slowAfter; i < THROTTLE.lockAfterPerEmail; i++) await recordFailure(getDb(), throttleKeys(email, ip));
    await expect(authenticate({ email, password: "right-password" }, ip)).rejects.toBeInstanceOf(RateLimitError);
    await expect(authenticate({ email, password: "right-password" }, ip)).rejects.toThrow(/Try again in 15 minutes/);
  });
});
