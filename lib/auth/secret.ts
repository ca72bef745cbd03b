// Owns AUTH_SECRET for the embedded default: generated once and kept in the data directory.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/** Returns the secret stored under `dataDir`, creating it on first start (`created` tells which). */
export function loadOrCreateAuthSecret(dataDir: string): { secret: string; file: string; created: boolean } {
  const file = path.join(path.resolve(dataDir), "auth-secret");
  try {
    const secret = fs.readFileSync(file, "utf8").trim();
    if (secret.length >= 32) return { secret, file, created: false };
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  fs.writeFileSync(file, secret + "\n", { mode: 0o600 });
  return { secret, file, created: true };
}
