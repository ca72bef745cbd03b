// Owns password hashing: argon2id with @node-rs/argon2's defaults (OWASP-level memory cost).
import { hash, verify } from "@node-rs/argon2";

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the account does not exist keeps the timing of
// "no such user" and "wrong password" alike, so sign-in does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hash("latchkey-timing-equaliser");
  await verifyPassword(await dummyHash, password);
}
