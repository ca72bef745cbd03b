// Owns the serialisable view of a key that pages and the API hand out (never a secret token).
import type { OrgContext } from "../orgs/organizations";
import { canManageKey, effectiveStatus } from "./access";
import type { KeyEnvironment, KeyStatus, KeyType } from "./key-names";
import type { KeyRow } from "./queries";

export type KeyView = {
  id: string;
  name: string;
  description: string | null;
  type: KeyType;
  environment: KeyEnvironment;
  prefix: string;
  last4: string;
  /** Public keys only. */
  publicToken: string | null;
  status: KeyStatus;
  ownerId: string | null;
  ownerLabel: string | null;
  permissions: string[];
  rules: string | null;
  ipAllowlist: string[];
  rateLimit: { limit: number; windowSeconds: number } | null;
  expiresAt: string | null;
  previousTokenValidUntil: string | null;
  metadata: Record<string, unknown>;
  externalId: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  createdAt: string;
  updatedAt: string;
  canManage: boolean;
};

export function toKeyView(ctx: OrgContext, k: KeyRow, now = new Date()): KeyView {
  const graceLive = k.previousHash && k.previousHashExpiresAt && k.previousHashExpiresAt > now;
  return {
    id: k.id,
    name: k.name,
    description: k.description,
    type: k.type,
    environment: k.environment,
    prefix: k.prefix,
    last4: k.last4,
    publicToken: k.type === "public" ? k.publicToken : null,
    status: effectiveStatus(k, now),
    ownerId: k.ownerId,
    ownerLabel: k.ownerEmail ?? k.ownerName,
    permissions: k.permissions,
    rules: k.rules,
    ipAllowlist: k.ipAllowlist,
    rateLimit: k.rateLimit && k.rateLimitWindowMs ? { limit: k.rateLimit, windowSeconds: k.rateLimitWindowMs / 1000 } : null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    previousTokenValidUntil: graceLive ? k.previousHashExpiresAt!.toISOString() : null,
    metadata: k.metadata,
    externalId: k.externalId,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: k.lastUsedIp,
    createdAt: k.createdAt.toISOString(),
    updatedAt: k.updatedAt.toISOString(),
    canManage: canManageKey(ctx, k) && k.status !== "revoked",
  };
}
