// Owns LATCHKEY_ENCRYPTION_KEY, the key that encrypts recoverable API key tokens: read from the
// environment (32 bytes, base64 or hex), or generated once into DATA_DIR for the embedded default.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/** The 32-byte key from `value`, or null when unset; throws on a value of the wrong size. */
export function parseEncryptionKey(value: string | undefined): Buffer | null {
  const v = value?.trim();
  if (!v) return null;
  const bytes = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
  if (bytes.length !== 32) throw new Error("LATCHKEY_ENCRYPTION_KEY must be 32 bytes, base64 or hex (generate one with `openssl rand -base64 32`)");
  return bytes;
}

/** The key of this process (tests get a fixed stand-in), or null when none is configured. */
export function encryptionKey(): Buffer | null {
  const key = parseEncryptionKey(process.env.LATCHKEY_ENCRYPTION_KEY);
  if (key) return key;
  return process.env.VITEST ? Buffer.alloc(32, 7) : null;
}

/** Returns the key stored under `dataDir`, creating it on first start. */
export function loadOrCreateEncryptionKey(dataDir: string): { key: string; file: string; created: boolean } {
  const file = path.join(path.resolve(dataDir), "encryption-key");
  try {
    const key = fs.readFileSync(file, "utf8").trim();
    if (parseEncryptionKey(key)) return { key, file, created: false };
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString("base64");
  fs.writeFileSync(file, key + "\n", { mode: 0o600 });
  return { key, file, created: true };
}
