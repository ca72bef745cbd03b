// Owns what the management API says about a key: the KeyView the pages use, without page-only
// fields, and its zod schema (the OpenAPI document is generated from it). Never a secret token.
import { z } from "zod";
import { KEY_ENVIRONMENTS, KEY_STATUSES, KEY_TYPES } from "../keys/key-names";
import type { KeyView } from "../keys/view";
import { creditsJsonSchema } from "../credits/credits-json";
import { namedLimitJsonSchema } from "../limits/named-limits";

const iso = () => z.string().describe("ISO 8601 date-time");

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  type: z.enum(KEY_TYPES),
  environment: z.enum(KEY_ENVIRONMENTS),
  start: z.string().describe("What identifies the token without revealing it: its prefix and last four characters."),
  publicToken: z.string().nullable().describe("Public keys only: the token itself (safe to embed in client code)."),
  status: z.enum(KEY_STATUSES).describe("Effective status, in the order verification checks it."),
  ownerId: z.string().nullable(),
  permissions: z.array(z.string()),
  effectivePermissions: z.array(z.string()).describe("The key's permissions capped by its owner's current role: what verification grants."),
  rules: z.string().nullable(),
  ipAllowlist: z.array(z.string()),
  rateLimit: z.object({ limit: z.number().int(), windowSeconds: z.number().int() }).nullable().describe("Shorthand: the limit named `default` (null: none)."),
  ratelimits: z.array(namedLimitJsonSchema).describe("The key's named rate limits (window in seconds)."),
  expiresAt: iso().nullable(),
  previousTokenValidUntil: iso().nullable().describe("After a roll: until when the previous token still verifies."),
  metadata: z.record(z.string(), z.unknown()),
  externalId: z.string().nullable(),
  customerId: z.string().nullable().describe("The customer (`cus_…`) the key is scoped to."),
  credits: creditsJsonSchema.nullable().describe("The key's own credits (null: none)."),
  lastUsedAt: iso().nullable(),
  lastUsedIp: z.string().nullable(),
  createdAt: iso(),
  updatedAt: iso(),
});
export type ApiKeyJson = z.infer<typeof apiKeySchema>;

export function toApiKey(v: KeyView): ApiKeyJson {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    type: v.type,
    environment: v.environment,
    start: `${v.prefix}…${v.last4}`,
    publicToken: v.publicToken,
    status: v.status,
    ownerId: v.ownerId,
    permissions: v.permissions,
    effectivePermissions: v.effectivePermissions,
    rules: v.rules,
    ipAllowlist: v.ipAllowlist,
    rateLimit: v.rateLimit,
    ratelimits: v.ratelimits,
    expiresAt: v.expiresAt,
    previousTokenValidUntil: v.previousTokenValidUntil,
    metadata: v.metadata,
    externalId: v.externalId,
    customerId: v.customer?.id ?? null,
    credits: v.credits,
    lastUsedAt: v.lastUsedAt,
    lastUsedIp: v.lastUsedIp,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

export const keyWithTokenSchema = z.object({
  key: apiKeySchema,
  token: z.string().nullable().describe("The full token, shown once. Null on an idempotent replay: roll the key if the token was lost."),
  tokenShown: z.boolean().describe("True when the token was already shown by an earlier response (an idempotent replay)."),
});
