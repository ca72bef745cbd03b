// Owns the serialisable view of a key that pages and the API hand out (never a secret token).
import { canManageKey, effectiveStatus, type KeyViewer } from "./access";
import { effectivePermissions } from "./caps";
import type { KeyEnvironment, KeyStatus, KeyType } from "./key-names";
import type { KeyRow } from "./queries";
import type { GracePeriod } from "./grace";
import { creditsOf } from "../credits/credits";
import { appliedLimits, defaultLimitOf, type AppliedLimit, type NamedLimit, type SingleLimit } from "../limits/named-limits";

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
  /** Secret keys whose token is kept encrypted (recoverable keys): "Copy key" after re-authentication. */
  recoverable: boolean;
  status: KeyStatus;
  ownerId: string | null;
  ownerLabel: string | null;
  permissions: string[];
  rules: string | null;
  ipAllowlist: string[];
  /** Shorthand: the limit named "default", if the key has one. */
  rateLimit: SingleLimit | null;
  /** The key's own named limits. */
  ratelimits: NamedLimit[];
  /** Every limit verification applies: the key's, plus its customer's under other names (shared by the customer's keys). */
  appliedLimits: AppliedLimit[];
  expiresAt: string | null;
  previousTokenValidUntil: string | null;
  metadata: Record<string, unknown>;
  externalId: string | null;
  customer: { id: string; name: string; externalId: string } | null;
  /** The key's own credits (null: none; a customer's credits are shown on the customer). */
  credits: ReturnType<typeof creditsOf>;
  /** Its customer's credits, which verification takes from when the key has none of its own. */
  customerCredits: ReturnType<typeof creditsOf>;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  createdAt: string;
  updatedAt: string;
  /** Permissions the key can use now: its own, capped by its owner's current role. */
  effectivePermissions: string[];
  orgSlug: string;
  orgName: string;
  orgDefaultGrace: GracePeriod;
  orgKeyRecoverable: boolean;
  canManage: boolean;
  /** Deleting stays possible after revocation (for those who could manage the key). */
  canDelete: boolean;
  /** Verifications in the last 24 hours, when the page asked for them. */
  usage24h?: number;
};

/** `viewer` is the caller's role in the key's organization (it decides canManage). */
export function toKeyView(viewer: KeyViewer, k: KeyRow, now = new Date()): KeyView {
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
    recoverable: k.type === "secret" && k.tokenSealed !== null,
    status: effectiveStatus(k, now, k.ownerRole !== null),
    ownerId: k.ownerId,
    ownerLabel: k.ownerEmail ?? k.ownerName,
    permissions: k.permissions,
    rules: k.rules,
    ipAllowlist: k.ipAllowlist,
    rateLimit: defaultLimitOf(k.ratelimits),
    ratelimits: k.ratelimits,
    appliedLimits: appliedLimits(k, k.customerId && k.customerRatelimits ? { id: k.customerId, ratelimits: k.customerRatelimits } : null),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    previousTokenValidUntil: graceLive ? k.previousHashExpiresAt!.toISOString() : null,
    metadata: k.metadata,
    externalId: k.externalId,
    credits: creditsOf(k, now),
    customerCredits: k.customerCredits ? creditsOf(k.customerCredits, now) : null,
    customer: k.customerId && k.customerName !== null ? { id: k.customerId, name: k.customerName, externalId: k.customerExternalId ?? "" } : null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: k.lastUsedIp,
    createdAt: k.createdAt.toISOString(),
    updatedAt: k.updatedAt.toISOString(),
    effectivePermissions: effectivePermissions(k.permissions, k.ownerRole),
    orgSlug: k.orgSlug,
    orgName: k.orgName,
    orgDefaultGrace: k.orgDefaultGrace,
    orgKeyRecoverable: k.orgKeyRecoverable,
    canManage: canManageKey(viewer, k) && k.status !== "revoked",
    canDelete: canManageKey(viewer, k),
  };
}
