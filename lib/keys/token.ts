// Owns the key token format: <sk|pk>_<prod|stg|dev>_<22 random base62><6 base62 CRC32>, and its hash.
// The checksum lets a typo or a made-up key be refused without touching the database.
import { hash } from "node:crypto";
import { randomBase62 } from "../ids";

import type { KeyEnvironment, KeyType } from "./key-names";
export { KEY_ENVIRONMENTS, KEY_TYPES, type KeyEnvironment, type KeyType } from "./key-names";

const TYPE_CODE: Record<KeyType, string> = { secret: "sk", public: "pk" };
const ENV_CODE: Record<KeyEnvironment, string> = { production: "prod", staging: "stg", development: "dev" };
const TYPE_OF = Object.fromEntries(Object.entries(TYPE_CODE).map(([k, v]) => [v, k])) as Record<string, KeyType>;
const ENV_OF = Object.fromEntries(Object.entries(ENV_CODE).map(([k, v]) => [v, k])) as Record<string, KeyEnvironment>;

/** 22 base62 characters = 131 bits of randomness. */
export const RANDOM_LENGTH = 22;
export const CHECKSUM_LENGTH = 6;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN_RE = /^(sk|pk)_(prod|stg|dev)_([0-9A-Za-z]{28})$/;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `text` (of its first `end` characters when given). */
export function crc32(text: string, end = text.length): number {
  let crc = 0xffffffff;
  for (let i = 0; i < end; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const DIGIT_VALUE = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));

function base62Fixed(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function checksum(body: string): string {
  return base62Fixed(crc32(body), CHECKSUM_LENGTH);
}

export function tokenPrefix(type: KeyType, environment: KeyEnvironment): string {
  return `${TYPE_CODE[type]}_${ENV_CODE[environment]}_`;
}

export function generateToken(type: KeyType, environment: KeyEnvironment): string {
  const body = tokenPrefix(type, environment) + randomBase62(RANDOM_LENGTH);
  return body + checksum(body);
}

export type ParsedToken = { type: KeyType; environment: KeyEnvironment; prefix: string; last4: string };

/**
 * True when a presented token has the right shape and checksum (no database needed). Allocates
 * nothing: it runs on every verification.
 */
export function isWellFormedToken(token: unknown): token is string {
  if (typeof token !== "string" || token.length > 64 || !TOKEN_RE.test(token)) return false;
  const end = token.length - CHECKSUM_LENGTH;
  let sum = 0;
  for (let i = end; i < token.length; i++) sum = sum * 62 + DIGIT_VALUE.get(token.charCodeAt(i))!;
  return sum === crc32(token, end);
}

/** Parses a presented token; null when its shape or checksum is wrong (no database needed). */
export function parseToken(token: unknown): ParsedToken | null {
  if (!isWellFormedToken(token)) return null;
  const m = TOKEN_RE.exec(token)!;
  return { type: TYPE_OF[m[1]], environment: ENV_OF[m[2]], prefix: `${m[1]}_${m[2]}_`, last4: token.slice(-4) };
}

export function hashToken(token: string): string {
  return hash("sha256", token, "hex"); // one-shot: no Hash object per verification
}
