// Owns random identifiers and tokens: base62 from crypto randomness, prefixed by kind.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` base62 characters drawn without modulo bias. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = randomBytes(length * 2);
    for (const b of bytes) {
      if (b < 248) out += ALPHABET[b % 62]; // 248 = 4 * 62: reject the biased tail
      if (out.length === length) break;
    }
  }
  return out;
}

export function newId(prefix: string, length = 20): string {
  return `${prefix}_${randomBase62(length)}`;
}
