// Owns TOTP two-factor authentication: setting it up (a sealed secret confirmed with a code),
// checking a second factor (a TOTP code once per time step, or a one-time backup code), backup
// codes (10, stored as SHA-256 hashes) and turning it off.
import { createHash } from "node:crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { generateSecret, generateURI, verifySync } from "otplib";
import QRCode from "qrcode";
import { z } from "zod";
import { backupCodes, getDb, passkeys, users, type DbOrTx, type User } from "../db";
import { ConflictError, fieldError } from "../errors";
import { newId } from "../ids";
import { parseInput } from "../validation";
import { authSecretKey, seal, unseal } from "./sealed";
import { verifyPassword } from "./password";
import { checkThrottle, recordFailure, throttleKeys } from "./throttle";

export const BACKUP_CODE_COUNT = 10;
const ISSUER = "Latchkey";
const BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read aloud and typed from paper

const totpKey = () => authSecretKey("totp-secret");
const sealTotp = (user: Pick<User, "id">, secret: string) => seal(totpKey(), secret, `totp:${user.id}`);
const unsealTotp = (user: Pick<User, "id">, sealed: string) => unseal(totpKey(), sealed, `totp:${user.id}`);

export type TwoFactorStatus = { enabled: boolean; enabledAt: string | null; backupCodesLeft: number };

export async function twoFactorStatus(user: User): Promise<TwoFactorStatus> {
  const rows = await getDb()
    .select({ id: backupCodes.id })
    .from(backupCodes)
    .where(and(eq(backupCodes.userId, user.id), isNull(backupCodes.usedAt)));
  return { enabled: Boolean(user.totpEnabledAt), enabledAt: user.totpEnabledAt?.toISOString() ?? null, backupCodesLeft: rows.length };
}

export const hasTwoFactor = (user: Pick<User, "totpEnabledAt">): boolean => Boolean(user.totpEnabledAt);

export type TotpSetup = { secret: string; uri: string; qrDataUrl: string };

/**
 * Starts setting up TOTP: a new secret, kept sealed until a code confirms it. The secret is
 * returned to the person setting it up (to scan or type) and to nobody else.
 */
export async function beginTotpSetup(user: User): Promise<TotpSetup> {
  if (user.totpEnabledAt) throw new ConflictError("Two-factor authentication is already on.");
  // Sign-in with two-factor is password + code (GitHub or Google sign-in cannot ask for the code).
  if (!user.passwordHash) throw new ConflictError("Set a password on your profile page first: two-factor sign-in asks for your password, then a code.");
  const secret = generateSecret();
  await getDb().update(users).set({ totpPendingSecret: sealTotp(user, secret) }).where(eq(users.id, user.id));
  const uri = generateURI({ issuer: ISSUER, label: user.email ?? user.id, secret });
  const qrDataUrl = await QRCode.toDataURL(uri, { margin: 1, width: 200, errorCorrectionLevel: "M" });
  return { secret, uri, qrDataUrl };
}

const codeSchema = z.object({ code: z.string().trim().max(64).default("") });

/** Normalizes what a person typed: spaces and dashes go, letters are lower-cased. */
const normalizeCode = (code: string) => code.replace(/[\s-]/g, "").toLowerCase();
const isTotpShape = (code: string) => /^\d{6}$/.test(code);

function checkTotp(secret: string, code: string, afterTimeStep: number | null): number | null {
  const result = verifySync({ secret, token: code, epochTolerance: 30, ...(afterTimeStep !== null ? { afterTimeStep } : {}) });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

/** Confirms the set-up with a code from the app, turns two-factor on and returns the backup codes (shown once). */
export async function confirmTotpSetup(user: User, input: unknown): Promise<{ backupCodes: string[] }> {
  const { code } = parseInput(codeSchema, input);
  const fresh = await getDb().query.users.findFirst({ where: eq(users.id, user.id) });
  if (!fresh?.totpPendingSecret) throw new ConflictError("Start the set-up again: no pending secret.");
  if (fresh.totpEnabledAt) throw new ConflictError("Two-factor authentication is already on.");
  const secret = unsealTotp(user, fresh.totpPendingSecret);
  const step = checkTotp(secret, normalizeCode(code), null);
  if (step === null) throw fieldError("code", "That code is not valid. Check the time on your device and try the current code.");
  return getDb().transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: fresh.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: new Date(), totpLastStep: step })
      .where(eq(users.id, user.id));
    return { backupCodes: await replaceBackupCodes(tx, user.id) };
  });
}

function randomBackupCode(): string {
  let out = "";
  while (out.length < 10) {
    for (const b of crypto.getRandomValues(new Uint8Array(20))) {
      if (b < 248 - (248 % BACKUP_ALPHABET.length)) out += BACKUP_ALPHABET[b % BACKUP_ALPHABET.length];
      if (out.length === 10) break;
    }
  }
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

// Backup codes carry ~49 bits of randomness each, so a fast hash is enough (as for API keys).
const hashBackupCode = (code: string) => createHash("sha256").update(normalizeCode(code)).digest("hex");

async function replaceBackupCodes(tx: DbOrTx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, randomBackupCode);
  await tx.delete(backupCodes).where(eq(backupCodes.userId, userId));
  await tx.insert(backupCodes).values(codes.map((c) => ({ id: newId("bkc", 16), userId, codeHash: hashBackupCode(c) })));
  return codes;
}

/**
 * Checks a second factor for `user`: a TOTP code (each time step accepted once) or a backup code
 * (consumed). Returns whether it was accepted; both paths are single atomic updates, so two
 * requests racing with the same code cannot both succeed.
 */
export async function verifySecondFactor(user: User, rawCode: string): Promise<boolean> {
  const code = normalizeCode(rawCode);
  if (!user.totpSecret || !code || code.length > 32) return false;
  const db = getDb();
  if (isTotpShape(code)) {
    const step = checkTotp(unsealTotp(user, user.totpSecret), code, user.totpLastStep);
    if (step === null) return false;
    const claimed = await db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    return claimed.length === 1;
  }
  const used = await db
    .update(backupCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(backupCodes.userId, user.id), eq(backupCodes.codeHash, hashBackupCode(code)), isNull(backupCodes.usedAt)))
    .returning({ id: backupCodes.id });
  return used.length === 1;
}

export const credentialSchema = z.object({ credential: z.string().max(256).default("") });

/**
 * Confirms it is the account's owner: their password, or (with two-factor on) a current TOTP
 * code or a backup code. Failures count towards the sign-in throttle like wrong passwords.
 */
export async function verifyOwnCredential(user: User, input: unknown): Promise<void> {
  const { credential } = parseInput(credentialSchema, input);
  const db = getDb();
  const keys = throttleKeys(user.email ?? user.id, null);
  await checkThrottle(db, keys);
  const fresh = (await db.query.users.findFirst({ where: eq(users.id, user.id) })) ?? user;
  const ok =
    (credential.length > 0 && fresh.passwordHash ? await verifyPassword(fresh.passwordHash, credential) : false) ||
    (fresh.totpEnabledAt ? await verifySecondFactor(fresh, credential) : false);
  if (!ok) {
    await recordFailure(db, keys);
    throw fieldError("credential", fresh.totpEnabledAt ? "That password or code is not correct." : "That password is not correct.");
  }
}

/** New backup codes (the old ones stop working), after a password or current code. */
export async function regenerateBackupCodes(user: User, input: unknown): Promise<{ backupCodes: string[] }> {
  if (!user.totpEnabledAt) throw new ConflictError("Turn on two-factor authentication first.");
  await verifyOwnCredential(user, input);
  return getDb().transaction(async (tx) => ({ backupCodes: await replaceBackupCodes(tx, user.id) }));
}

/** Turns two-factor off after a password or current code; the secret, backup codes and passkeys are deleted. */
export async function disableTwoFactor(user: User, input: unknown): Promise<void> {
  if (!user.totpEnabledAt) return;
  await verifyOwnCredential(user, input);
  await getDb().transaction(async (tx) => {
    await tx.update(users).set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, user.id));
    await tx.delete(backupCodes).where(eq(backupCodes.userId, user.id));
    await tx.delete(passkeys).where(eq(passkeys.userId, user.id)); // they were a second factor beside the app
  });
}
