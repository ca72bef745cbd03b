// Owns who may do what to a key (PRODUCT.md "Tenancy and roles") and loading a key through the org.
import { and, eq } from "drizzle-orm";
import { apiKeys, type ApiKey, type DbOrTx, type Role } from "../db";
import { ForbiddenError, NotFoundError } from "../errors";
import { isAdminRole } from "../orgs/roles";
import type { OrgContext } from "../context";

/** owner/admin: every key; member: keys they own; viewer: none. */
export type KeyViewer = { role: Role; userId: string };

export function canManageKey(viewer: KeyViewer, key: Pick<ApiKey, "ownerId">): boolean {
  if (isAdminRole(viewer.role)) return true;
  return viewer.role === "member" && key.ownerId === viewer.userId;
}

export function assertCanManageKey(ctx: OrgContext, key: Pick<ApiKey, "ownerId" | "name">): void {
  if (!canManageKey(ctx.membership, key)) {
    throw new ForbiddenError(
      ctx.membership.role === "viewer" ? "Viewers cannot change keys." : `Members can only manage keys they own; “${key.name}” is owned by someone else.`,
    );
  }
}

/** Loads a key of the caller's organization (locked for update inside a transaction), or NotFound. */
export async function loadKey(db: DbOrTx, ctx: OrgContext, keyId: string, lock = false): Promise<ApiKey> {
  const q = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.organizationId, ctx.org.id)))
    .limit(1);
  const [key] = lock ? await q.for("update") : await q;
  if (!key) throw new NotFoundError("Key not found");
  return key;
}

export { effectiveStatus } from "./key-status";
import { creditsInputOf } from "../credits/credits";

/** What the audit log records of a key: its settings, never a token or hash. */
export function auditView(key: ApiKey): Record<string, unknown> {
  return {
    name: key.name,
    description: key.description,
    ownerId: key.ownerId,
    type: key.type,
    environment: key.environment,
    status: key.status,
    permissions: key.permissions,
    rules: key.rules,
    ipAllowlist: key.ipAllowlist,
    ratelimits: key.ratelimits,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    metadata: key.metadata,
    externalId: key.externalId,
    customerId: key.customerId,
    credits: creditsInputOf(key),
  };
}
