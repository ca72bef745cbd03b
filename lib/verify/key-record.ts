// Owns the shape of a verifiable key as the cache holds it (no imports of the cache or the lookup).
import type { ApiKey } from "../db";
import type { RuleSet } from "../keys/rules";
import type { CreditHolder } from "../credits/credits";
import type { LimitCheck } from "./rate-limit";

/** A limit that applies to the key (its own, or its customer's, whose counter all the customer's keys share), at cost 1. */
export type RecordLimit = LimitCheck & { readonly name: string };

/**
 * What verification needs of a key, and nothing else: about 0.5 KB per cached key. Identity fields
 * are kept only as the JSON every answer carries; permission lists, rules, allowlists and
 * organization ids are shared between records that have the same ones.
 */
export type KeyRecord = {
  id: string;
  organizationId: string;
  type: ApiKey["type"];
  environment: ApiKey["environment"];
  /** The customer the key is scoped to (the usage rollups count by it); null: none. */
  customerId: string | null;
  status: ApiKey["status"];
  /** Epoch ms; 0 when the key never expires. */
  expiresAtMs: number;
  /** Every limit that applies (empty when none), each with cost 1: a request that names none uses them as they are. */
  limits: readonly RecordLimit[];
  /** False once the owner left the organization (OWNER_INACTIVE). */
  ownerActive: boolean;
  /** The key's permissions capped by its owner's role, computed once when the record is loaded. */
  effectivePermissions: readonly string[];
  rules: RuleSet;
  ipAllowed: (ip: string | null | undefined) => boolean;
  /** -1 when found by the current token; for the previous token, the end of its grace period (epoch ms; 0: none). */
  graceUntilMs: number;
  /** Whose credits a verification takes (the key's own, else its customer's); null: no credit limit. */
  credits: CreditHolder | null;
  /** The identity fields of every answer, serialized once: `"keyId":…,"metadata":{…}` (no braces). */
  identityJson: string;
  /** Set by the cache: when to ask the database again, and whether the record was used since eviction last came round. */
  cachedUntil: number;
  used: boolean;
};
