// Owns passkeys (WebAuthn) as a second factor: adding one (only once two-factor is on, as GitHub
// does for security keys), listing and removing them, and checking one at sign-in instead of a
// code. Challenges are stored server-side, used once and valid for 5 minutes.
import { and, eq, gt, lt } from "drizzle-orm";
import { z } from "zod";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from "@simplewebauthn/types";
import { getDb, passkeys, webauthnChallenges, type User } from "../db";
import { ConflictError, NotFoundError, fieldError } from "../errors";
import { newId } from "../ids";
import { parseInput } from "../validation";
import { text } from "../primitives";

/** Where the console runs: WebAuthn binds credentials to this origin and its host name. */
export type RelyingParty = { origin: string; rpID: string };

export const relyingPartyFor = (origin: string): RelyingParty => ({ origin, rpID: new URL(origin).hostname });

const CHALLENGE_MS = 5 * 60_000;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const bytes = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));

async function storeChallenge(purpose: "register" | "authenticate", challenge: string, userId: string | null): Promise<string> {
  const id = newId("wac", 24);
  await getDb().insert(webauthnChallenges).values({ id, userId, purpose, challenge, expiresAt: new Date(Date.now() + CHALLENGE_MS) });
  return id;
}

/** The challenge, deleted as it is read (a response can be checked once). */
async function takeChallenge(id: string, purpose: "register" | "authenticate", userId: string | null): Promise<string | null> {
  if (!/^wac_[0-9A-Za-z]{24}$/.test(id)) return null;
  const [row] = await getDb()
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.id, id), eq(webauthnChallenges.purpose, purpose), gt(webauthnChallenges.expiresAt, new Date())))
    .returning();
  if (!row || (userId !== null && row.userId !== userId)) return null;
  return row.challenge;
}

export type PasskeyView = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

export async function listPasskeys(userId: string): Promise<PasskeyView[]> {
  const rows = await getDb().select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(passkeys.createdAt);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null }));
}

export async function passkeyRegistrationOptions(user: User, rp: RelyingParty) {
  if (!user.totpEnabledAt) throw new ConflictError("Turn on two-factor authentication with an authenticator app first; passkeys are added beside it.");
  const existing = await getDb().select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName: "Latchkey",
    rpID: rp.rpID,
    userID: user.id,
    userName: user.email ?? user.id,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: bytes(c.id), type: "public-key" as const, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  return { challengeId: await storeChallenge("register", options.challenge, user.id), options };
}

const registerSchema = z.object({ challengeId: z.string().max(64), name: text({ label: "Name", min: 1, max: 60, required: "Name the passkey" }), response: z.record(z.string(), z.unknown()) });

export async function addPasskey(user: User, input: unknown, rp: RelyingParty): Promise<PasskeyView> {
  const data = parseInput(registerSchema, input);
  const challenge = await takeChallenge(data.challengeId, "register", user.id);
  if (!challenge) throw new ConflictError("The passkey request expired. Try again.");
  const result = await verifyRegistrationResponse({
    response: data.response as unknown as RegistrationResponseJSON,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
  }).catch(() => null);
  if (!result?.verified || !result.registrationInfo) throw fieldError("name", "The passkey could not be verified. Try again.");
  const info = result.registrationInfo;
  const transports = ((data.response as { response?: { transports?: unknown } }).response?.transports ?? []) as string[];
  const [row] = await getDb()
    .insert(passkeys)
    .values({ id: b64(info.credentialID), userId: user.id, name: data.name, publicKey: b64(info.credentialPublicKey), counter: info.counter, transports: transports.filter((t) => typeof t === "string").slice(0, 8) })
    .returning();
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString(), lastUsedAt: null };
}

export async function removePasskey(user: User, id: unknown): Promise<void> {
  if (typeof id !== "string" || id.length > 512) throw new NotFoundError("Passkey not found");
  const gone = await getDb().delete(passkeys).where(and(eq(passkeys.id, id), eq(passkeys.userId, user.id))).returning({ id: passkeys.id });
  if (!gone.length) throw new NotFoundError("Passkey not found");
}

/** Options for the sign-in step: no credential list, so they reveal nothing about any account. */
export async function passkeySignInOptions(rp: RelyingParty) {
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: "preferred" });
  return { challengeId: await storeChallenge("authenticate", options.challenge, null), options };
}

/** Checks a passkey assertion for `user` (a passkey of theirs, the stored challenge, the counter). */
export async function verifyPasskeyForUser(user: User, challengeId: string, responseJson: string, rp: RelyingParty): Promise<boolean> {
  let response: AuthenticationResponseJSON;
  try {
    response = JSON.parse(responseJson) as AuthenticationResponseJSON;
  } catch {
    return false;
  }
  const challenge = await takeChallenge(challengeId, "authenticate", null);
  if (!challenge || typeof response?.id !== "string") return false;
  const cred = await getDb().query.passkeys.findFirst({ where: and(eq(passkeys.id, response.id), eq(passkeys.userId, user.id)) });
  if (!cred) return false;
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    authenticator: { credentialID: bytes(cred.id), credentialPublicKey: bytes(cred.publicKey), counter: cred.counter, transports: cred.transports as AuthenticatorTransportFuture[] },
  }).catch(() => null);
  if (!result?.verified) return false;
  await getDb().update(passkeys).set({ counter: result.authenticationInfo.newCounter, lastUsedAt: new Date() }).where(eq(passkeys.id, cred.id));
  return true;
}

/** Deletes challenges that were never answered (run hourly). */
export async function purgeExpiredChallenges(now = new Date()): Promise<void> {
  await getDb().delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now));
}
