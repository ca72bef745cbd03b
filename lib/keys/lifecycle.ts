// Owns creating, editing and rolling keys: validation, policy, role checks, audit, one transaction each.
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { apiKeys, getDb, memberships, type ApiKey, type DbOrTx, type Organization, type Role } from "../db";
import { permissionsOutsideCap } from "./caps";
import { publishKeyChange } from "../verify/invalidation";
import { recordAudit } from "../audit/audit";
import type { Actor } from "../context";
import { ConflictError, ForbiddenError, ValidationError, fieldError } from "../errors";
import { newId } from "../ids";
import { isUniqueViolation } from "../error-translator";
import { assertCustomerOfOrg } from "../customers/customers";
import { creditColumns, creditsInputOf, type CreditsInput } from "../credits/credits";
import { withDefaultLimit, type NamedLimit, type SingleLimit } from "../limits/named-limits";
import { parseInput } from "../validation";
import { isAdminRole } from "../orgs/roles";
import type { OrgContext } from "../context";
import { assertCanManageKey, auditView, effectiveStatus, loadKey } from "./access";
import { createKeySchema, keyIdSchema, rollKeySchema, updateKeySchema } from "./input";
import { IpAllowlistError, parseAllowlist } from "./ip-allowlist";
import { validatePermissions } from "./permissions";
import { checkExpiryAgainstPolicy, policyOf } from "./policy";
import { parseRules, RulesError } from "./rules";
import { graceEndsAt } from "./grace";
import { generateToken, hashToken, parseToken } from "./token";
import { sealTokenFor } from "./recoverable";
import type { KeyEnvironment, KeyType } from "./key-names";

export type KeyWithToken = { key: ApiKey; token: string };

type Settings = {
  name: string;
  description: string | null;
  ownerId?: string | null;
  permissions: string[];
  rules: string | null;
  ipAllowlist?: string | string[] | null;
  rateLimit?: SingleLimit | null;
  ratelimits?: NamedLimit[];
  expiresAt: Date | null;
  metadata: Record<string, unknown>;
  externalId: string | null;
  customerId?: string | null;
  credits: CreditsInput;
};

/** Validates settings shared by create and update; returns the columns to write. */
async function resolveSettings(tx: DbOrTx, ctx: OrgContext, s: Settings, type: KeyType, current: ApiKey | null, now: Date) {
  let ownerId = current?.ownerId ?? ctx.membership.userId;
  if (s.ownerId && s.ownerId !== ownerId) {
    if (!isAdminRole(ctx.membership.role)) throw new ForbiddenError("Only owners and admins can choose another owner for a key.", { ownerId: ["Only owners and admins can choose another owner"] });
    ownerId = s.ownerId;
  }
  const ownerRole = ownerId ? await memberRole(tx, ctx.org.id, ownerId) : null;
  if (!ownerRole) throw fieldError("ownerId", "The owner must be a member of this organization");
  let rules: string | null = null;
  try {
    rules = parseRules(s.rules).rules.length ? s.rules : null;
  } catch (e) {
    if (e instanceof RulesError) throw new ValidationError(e.errors[0], { rules: e.errors });
    throw e;
  }
  let ipAllowlist: string[] = [];
  try {
    ipAllowlist = parseAllowlist(s.ipAllowlist ?? null);
  } catch (e) {
    if (e instanceof IpAllowlistError) throw new ValidationError(e.errors[0], { ipAllowlist: e.errors });
    throw e;
  }
  // An unchanged expiry on an edit is not re-checked, so editing a key made before a policy change works.
  if (!current || current.expiresAt?.getTime() !== s.expiresAt?.getTime()) checkExpiryAgainstPolicy(policyOf(ctx.org), s.expiresAt, now);
  const permissions = await validatePermissions(tx, ctx.org.id, s.permissions, type);
  assertWithinCap(permissions, ownerRole);
  const clash = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.organizationId, ctx.org.id),
        sql`lower(${apiKeys.name}) = lower(${s.name})`,
        isNull(apiKeys.revokedAt),
        current ? ne(apiKeys.id, current.id) : undefined,
      ),
    )
    .limit(1);
  if (clash.length) throw fieldError("name", "Another key of this organization already has this name");
  const customerId = s.customerId ?? null;
  if (customerId && customerId !== current?.customerId) await assertCustomerOfOrg(tx, ctx.org.id, customerId);
  return {
    name: s.name,
    description: s.description,
    ownerId,
    permissions,
    rules,
    ipAllowlist,
    ratelimits: resolveLimits(s, current),
    expiresAt: s.expiresAt,
    metadata: s.metadata,
    externalId: s.externalId,
    customerId,
    ...creditColumns(s.credits, now),
  };
}

/**
 * The named limits to store: `ratelimits` as sent, or the current ones with `rateLimit` (the
 * shorthand for "default") applied. Sending both is refused rather than guessed.
 */
function resolveLimits(s: Settings, current: ApiKey | null): NamedLimit[] {
  if (s.rateLimit !== undefined && s.ratelimits !== undefined) throw fieldError("rateLimit", "Send either rateLimit (the limit named “default”) or ratelimits, not both");
  if (s.ratelimits !== undefined) return s.ratelimits;
  const base = current?.ratelimits ?? [];
  return s.rateLimit !== undefined ? withDefaultLimit(base, s.rateLimit) : base;
}

export async function memberRole(tx: DbOrTx, organizationId: string, userId: string): Promise<Role | null> {
  const [m] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return m?.role ?? null;
}

/** A key cannot be granted what its owner's role caps out. */
export function assertWithinCap(permissions: string[], ownerRole: Role, keyName?: string): void {
  const outside = permissionsOutsideCap(permissions, ownerRole);
  if (outside.length) {
    throw fieldError(
      "permissions",
      `${keyName ? `“${keyName}”: ` : ""}a key owned by ${ownerRole === "admin" ? "an" : "a"} ${ownerRole} cannot hold ${outside.join(", ")}. Choose another owner or remove ${outside.length > 1 ? "them" : "it"}.`,
    );
  }
}

function newToken(type: KeyType, environment: KeyEnvironment) {
  const token = generateToken(type, environment);
  const parsed = parseToken(token)!;
  return { token, hash: hashToken(token), prefix: parsed.prefix, last4: parsed.last4, publicToken: type === "public" ? token : null };
}

async function insertKey(tx: DbOrTx, org: Organization, actor: Actor, values: Omit<typeof apiKeys.$inferInsert, "id" | "organizationId" | "hash" | "prefix" | "last4">): Promise<KeyWithToken> {
  const t = newToken(values.type, values.environment);
  const keyId = newId("key");
  const tokenSealed = sealTokenFor(org, values.type, keyId, t.token);
  const [key] = await tx
    .insert(apiKeys)
    .values({ ...values, id: keyId, organizationId: org.id, hash: t.hash, prefix: t.prefix, last4: t.last4, publicToken: t.publicToken, tokenSealed })
    .returning();
  await recordAudit(tx, {
    organizationId: org.id,
    actor,
    action: "key.created",
    target: { type: "key", id: key.id, label: key.name },
    after: auditView(key),
  });
  return { key, token: t.token };
}

export async function createKey(ctx: OrgContext, input: unknown): Promise<KeyWithToken> {
  if (ctx.membership.role === "viewer") throw new ForbiddenError("Viewers cannot create keys.");
  const data = parseInput(createKeySchema, input);
  const now = new Date();
  try {
    const created = await getDb().transaction(async (tx) => {
      const settings = await resolveSettings(tx, ctx, data, data.type, null, now);
      return insertKey(tx, ctx.org, ctx.actor, { ...settings, type: data.type, environment: data.environment, createdById: ctx.membership.userId });
    });
    await publishKeyChange({ hashes: [created.key.hash] }); // drop a cached "not found" for the new token
    return created;
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError("name", "Another key of this organization already has this name");
    throw e;
  }
}

/** Every new organization gets an active public key "Default public key", owned by its creator. */
export async function createDefaultPublicKey(tx: DbOrTx, org: Organization, ownerId: string, actor: Actor): Promise<KeyWithToken> {
  return insertKey(tx, org, actor, {
    name: "Default public key",
    description: "Identifies your apps to Latchkey; safe to embed in client code.",
    ownerId,
    createdById: ownerId,
    type: "public",
    environment: "production",
    permissions: [],
  });
}

/** A key's editable settings, in the shape updateKeySchema reads. */
function settingsOf(k: ApiKey) {
  return {
    name: k.name,
    description: k.description,
    ownerId: k.ownerId,
    permissions: k.permissions,
    rules: k.rules,
    ipAllowlist: k.ipAllowlist,
    expiresAt: k.expiresAt,
    metadata: k.metadata,
    externalId: k.externalId,
    customerId: k.customerId,
    credits: creditsInputOf(k),
  };
}

/** Validates and writes new settings; `input` is built from the key as locked in the transaction. */
async function applyUpdate(ctx: OrgContext, keyId: string, input: (current: ApiKey) => unknown): Promise<ApiKey> {
  const now = new Date();
  try {
    const updated = await getDb().transaction(async (tx) => {
      const current = await loadKey(tx, ctx, keyId, true);
      assertCanManageKey(ctx, current);
      if (current.status === "revoked") throw new ConflictError("A revoked key cannot be edited.");
      const data = parseInput(updateKeySchema, input(current));
      const settings = await resolveSettings(tx, ctx, data, current.type, current, now);
      const [key] = await tx.update(apiKeys).set({ ...settings, updatedAt: now }).where(eq(apiKeys.id, current.id)).returning();
      await recordAudit(tx, {
        organizationId: ctx.org.id,
        actor: ctx.actor,
        action: "key.updated",
        target: { type: "key", id: key.id, label: key.name },
        before: auditView(current),
        after: auditView(key),
      });
      return key;
    });
    await publishKeyChange({ keyIds: [updated.id] });
    return updated;
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError("name", "Another key of this organization already has this name");
    throw e;
  }
}

/** Replaces every setting (the edit form sends them all). */
export async function updateKey(ctx: OrgContext, input: unknown): Promise<ApiKey> {
  const { keyId } = parseInput(keyIdSchema, input);
  return applyUpdate(ctx, keyId, () => input);
}

/**
 * Changes only the settings present in `patch`; the rest keep the values they have when the key
 * is locked, so two concurrent patches of different fields both land.
 */
export async function patchKey(ctx: OrgContext, keyId: string, patch: Record<string, unknown>): Promise<ApiKey> {
  return applyUpdate(ctx, keyId, (current) => ({ ...settingsOf(current), ...patch, keyId }));
}

/**
 * Issues a new token for the same key. The old token keeps working until the grace period ends
 * (never past the key's expiry). Rolling an expired key renews it with a new expiry.
 */
export async function rollKey(ctx: OrgContext, input: unknown): Promise<KeyWithToken> {
  const data = parseInput(rollKeySchema, input);
  const now = new Date();
  const rolled = await getDb().transaction(async (tx) => {
    const current = await loadKey(tx, ctx, data.keyId, true);
    assertCanManageKey(ctx, current);
    const status = effectiveStatus(current, now);
    if (status === "revoked") throw new ConflictError("A revoked key cannot be rolled.");
    const grace = data.grace ?? ctx.org.keyDefaultGrace;
    let expiresAt = current.expiresAt;
    let previousHash: string | null = null;
    let previousHashExpiresAt: Date | null = null;
    if (status === "expired") {
      if (!data.expiresAt) throw fieldError("expiresAt", "This key has expired: choose a new expiry date to renew it");
      checkExpiryAgainstPolicy(policyOf(ctx.org), data.expiresAt, now);
      expiresAt = data.expiresAt;
    } else {
      previousHashExpiresAt = graceEndsAt(grace, now, current.expiresAt);
      previousHash = previousHashExpiresAt ? current.hash : null;
    }
    const t = newToken(current.type, current.environment);
    const [key] = await tx
      .update(apiKeys)
      .set({
        hash: t.hash,
        last4: t.last4,
        publicToken: t.publicToken,
        // The new token is recoverable only while the organization's setting is on.
        tokenSealed: sealTokenFor(ctx.org, current.type, current.id, t.token),
        previousHash,
        previousHashExpiresAt: previousHash ? previousHashExpiresAt : null,
        expiresAt,
        status: status === "expired" ? "active" : current.status,
        updatedAt: now,
      })
      .where(eq(apiKeys.id, current.id))
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: status === "expired" ? "key.renewed" : "key.rolled",
      target: { type: "key", id: key.id, label: key.name },
      before: { last4: current.last4, expiresAt: current.expiresAt?.toISOString() ?? null, status },
      after: {
        last4: key.last4,
        expiresAt: key.expiresAt?.toISOString() ?? null,
        grace: status === "expired" ? "now" : grace,
        previousTokenValidUntil: key.previousHashExpiresAt?.toISOString() ?? null,
      },
    });
    return { key, token: t.token };
  });
  await publishKeyChange({ keyIds: [rolled.key.id], hashes: [rolled.key.hash] });
  return rolled;
}
