import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { generateSync } from "otplib";
import { backupCodes, getDb, users, type User } from "@/lib/db";
import { RateLimitError } from "@/lib/errors";
import { authenticate, SecondFactorRequiredError } from "./accounts";
import { beginTotpSetup, confirmTotpSetup, disableTwoFactor, regenerateBackupCodes, twoFactorStatus, verifySecondFactor } from "./two-factor";
import { recordFailure, THROTTLE, throttleKeys } from "./throttle";
import { makeUser } from "@/test/factories";

const PASSWORD = "password-1234";
const fresh = async (u: User) => (await getDb().query.users.findFirst({ where: eq(users.id, u.id) }))!;
/** A code for `steps` time steps from now: each step is accepted once, so tests move forward. */
const codeAt = (secret: string, steps: number) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function withTwoFactor() {
  const user = await makeUser("Tfa");
  const setup = await beginTotpSetup(user);
  const { backupCodes: codes } = await confirmTotpSetup(user, { code: codeAt(setup.secret, 0) });
  return { user: await fresh(user), secret: setup.secret, codes };
}

describe("two-factor authentication", () => {
  it("keeps the secret sealed, confirms with a code and hands out 10 backup codes stored hashed", async () => {
    const user = await makeUser("Tfa");
    const setup = await beginTotpSetup(user);
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(setup.uri).toContain("otpauth://totp/Latchkey:");
    const pending = await fresh(user);
    expect(pending.totpPendingSecret).toMatch(/^v1\./);
    expect(pending.totpPendingSecret).not.toContain(setup.secret);
    expect(pending.totpEnabledAt).toBeNull();

    await expect(confirmTotpSetup(user, { code: "000000" })).rejects.toMatchObject({ fieldErrors: { code: [expect.any(String)] } });
    const { backupCodes: codes } = await confirmTotpSetup(user, { code: codeAt(setup.secret, 0) });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const on = await fresh(user);
    expect(on.totpEnabledAt).not.toBeNull();
    expect(on.totpSecret).not.toContain(setup.secret);
    const stored = await getDb().select().from(backupCodes).where(eq(backupCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    for (const c of codes) expect(stored.map((s) => s.codeHash)).not.toContain(c);
    expect((await twoFactorStatus(on)).backupCodesLeft).toBe(10);
  });

  it("needs a password first (GitHub or Google sign-in cannot ask for the code)", async () => {
    const [oauthOnly] = await getDb().insert(users).values({ name: "O", email: `o-${Date.now()}@example.com` }).returning();
    await expect(beginTotpSetup(oauthOnly)).rejects.toThrow(/Set a password/);
  });

  it("a sealed secret moved to another account does not decrypt", async () => {
    const { user } = await withTwoFactor();
    const other = await makeUser("Other");
    await getDb().update(users).set({ totpSecret: user.totpSecret, totpEnabledAt: new Date() }).where(eq(users.id, other.id));
    await expect(verifySecondFactor(await fresh(other), "123456")).rejects.toThrow();
  });

  it("sign-in asks for the second factor after the right password, then accepts a code once", async () => {
    const { user, secret } = await withTwoFactor();
    const email = user.email!;
    await expect(authenticate({ email, password: PASSWORD }, null)).rejects.toBeInstanceOf(SecondFactorRequiredError);
    expect(await authenticate({ email, password: "wrong-password", code: codeAt(secret, 1) }, null)).toBeNull();
    expect(await authenticate({ email, password: PASSWORD, code: "000000" }, null)).toBeNull();
    const code = codeAt(secret, 1);
    expect((await authenticate({ email, password: PASSWORD, code }, null))?.id).toBe(user.id);
    // The same code (same time step) is never accepted twice.
    expect(await authenticate({ email, password: PASSWORD, code }, null)).toBeNull();
  });

  it("a backup code works once, with or without its dash", async () => {
    const { user, codes } = await withTwoFactor();
    const email = user.email!;
    expect((await authenticate({ email, password: PASSWORD, code: codes[0].toUpperCase() }, null))?.id).toBe(user.id);
    expect(await authenticate({ email, password: PASSWORD, code: codes[0] }, null)).toBeNull();
    expect((await authenticate({ email, password: PASSWORD, code: codes[1].replace("-", "") }, null))?.id).toBe(user.id);
    expect((await twoFactorStatus(await fresh(user))).backupCodesLeft).toBe(8);
  });

  it("wrong codes count towards the throttle and lock the account out like wrong passwords", async () => {
    const { user, secret } = await withTwoFactor();
    const email = user.email!;
    const ip = `203.0.113.${Math.floor(Math.random() * 200)}`;
    expect(await authenticate({ email, password: PASSWORD, code: "111111" }, ip)).toBeNull();
    for (let i = 1; i < THROTTLE.lockAfterPerEmail; i++) await recordFailure(getDb(), throttleKeys(email, ip));
    await expect(authenticate({ email, password: PASSWORD, code: codeAt(secret, 1) }, ip)).rejects.toBeInstanceOf(RateLimitError);
  });

  it("the right password alone does not reset the failure count of wrong codes", async () => {
    const { user } = await withTwoFactor();
    const email = user.email!;
    for (let i = 0; i < THROTTLE.lockAfterPerEmail - 1; i++) await recordFailure(getDb(), throttleKeys(email, null));
    await expect(authenticate({ email, password: PASSWORD }, null)).rejects.toBeInstanceOf(SecondFactorRequiredError);
    expect(await authenticate({ email, password: PASSWORD, code: "222222" }, null)).toBeNull();
    await expect(authenticate({ email, password: PASSWORD }, null)).rejects.toBeInstanceOf(RateLimitError);
  });

  it("regenerating backup codes needs the password or a code, and the old codes stop working", async () => {
    const { user, codes } = await withTwoFactor();
    await expect(regenerateBackupCodes(user, { credential: "nope" })).rejects.toMatchObject({ fieldErrors: { credential: [expect.any(String)] } });
    const { backupCodes: next } = await regenerateBackupCodes(user, { credential: PASSWORD });
    expect(next).toHaveLength(10);
    expect(await verifySecondFactor(await fresh(user), codes[2])).toBe(false);
    expect(await verifySecondFactor(await fresh(user), next[0])).toBe(true);
  });

  it("turning it off needs a current code or the password, and removes the secret and codes", async () => {
    const { user, secret } = await withTwoFactor();
    await expect(disableTwoFactor(user, { credential: "123456" })).rejects.toMatchObject({ fieldErrors: { credential: [expect.any(String)] } });
    await disableTwoFactor(user, { credential: codeAt(secret, 1) });
    const off = await fresh(user);
    expect(off.totpSecret).toBeNull();
    expect(off.totpEnabledAt).toBeNull();
    expect(await getDb().select().from(backupCodes).where(eq(backupCodes.userId, user.id))).toHaveLength(0);
    expect((await authenticate({ email: user.email!, password: PASSWORD }, null))?.id).toBe(user.id);
  });
});
