// Owns encrypting small secrets at rest: AES-256-GCM with a random 96-bit nonce per value and a
// key derived from AUTH_SECRET with HKDF-SHA-256 (one key per purpose). The ciphertext is bound to
// its owner through the additional authenticated data, so a value copied to another row fails.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

/** The 32-byte key for `purpose`, derived from AUTH_SECRET (tests get a fixed stand-in). */
export function authSecretKey(purpose: string): Buffer {
  const secret = process.env.AUTH_SECRET || (process.env.VITEST ? "latchkey-test-only-auth-secret-0123456789" : undefined);
  if (!secret) throw new Error("AUTH_SECRET is not set: it is needed to encrypt two-factor secrets");
  return Buffer.from(hkdfSync("sha256", secret, "latchkey", `latchkey:${purpose}`, 32));
}

/** `v1.<nonce>.<tag>.<ciphertext>` (base64url). */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

/** The plaintext, or throws when the value was altered, moved to another owner or sealed with another key. */
export function unseal(key: Buffer, sealed: string, aad: string): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error("Unknown sealed value format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
