// Owns who a key belongs to: transferring keys, and what happens to a leaving member's keys.
import { and, eq, inArray, ne, count } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, getDb, type ApiKey, type DbOrTx } from "../db";
import { recordAudit } from "../audit/audit";
import type { Actor } from "../context";
import { NotFoundError, fieldError } from "../errors";
import { parseInput } from "../validation";
import { requireAdmin } from "../orgs/roles";
import type { OrgContext } from "../context";
import { assertWithinCap, memberRole } from "./lifecycle";
import { publishKeyChange } from "../verify/invalidation";

/** Live (not revoked) keys `userId` owns in an organization. */
export async function liveKeysOwnedBy(tx: DbOrTx, organizationId: string, userId: string): Promise<ApiKey[]> {
  return tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.ownerId, userId), ne(apiKeys.status, "revoked")));
}

export async function countLiveKeysByOwner(organizationId: string): Promise<Map<string, number>> {
  const rows = await getDb()
    .select({ ownerId: apiKeys.ownerId, n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), ne(apiKeys.status, "revoked")))
    .groupBy(apiKeys.ownerId);
  return new Map(rows.filter((r) => r.ownerId).map((r) => [r.ownerId!, r.n]));
}

export async function transferKeysInTx(tx: DbOrTx, organizationId: string, actor: Actor, keys: ApiKey[], newOwnerId: string): Promise<void> {
  const role = await memberRole(tx, organizationId, newOwnerId);
  if (!role) throw fieldError("ownerId", "The new owner must be a member of this organization");
  for (const key of keys) assertWithinCap(key.permissions, role, key.name);
  if (!keys.length) return;
  await tx.update(apiKeys).set({ ownerId: newOwnerId, updatedAt: new Date() }).where(inArray(apiKeys.id, keys.map((k) => k.id)));
  for (const key of keys) {
    await recordAudit(tx, {
      organizationId,
      actor,
      action: "key.transferred",
      target: { type: "key", id: key.id, label: key.name },
      before: { ownerId: key.ownerId },
      after: { ownerId: newOwnerId },
    });
  }
}

export async function revokeKeysInTx(tx: DbOrTx, organizationId: string, actor: Actor, keys: ApiKey[], reason: string): Promise<void> {
  if (!keys.length) return;
  const now = new Date();
  await tx
    .update(apiKeys)
    .set({ status: "revoked", revokedAt: now, previousHash: null, previousHashExpiresAt: null, updatedAt: now })
    .where(inArray(apiKeys.id, keys.map((k) => k.id)));
  for (const key of keys) {
    await recordAudit(tx, {
      organizationId,
      actor,
      action: "key.revoked",
      target: { type: "key", id: key.id, label: key.name },
      before: { status: key.status },
      after: { status: "revoked", reason },
    });
  }
}

export const transferSchema = z.object({
  keyIds: z.array(z.string().min(1)).min(1, "Select at least one key").max(500),
  ownerId: z.string({ error: "Choose the new owner" }).min(1, "Choose the new owner"),
});

/** Admins hand keys to another member (restoring keys whose owner left). */
export async function transferKeys(ctx: OrgContext, input: unknown): Promise<number> {
  requireAdmin(ctx.membership.role, "transfer keys");
  const { keyIds, ownerId } = parseInput(transferSchema, input);
  const n = await getDb().transaction(async (tx) => {
    const keys = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.organizationId, ctx.org.id), inArray(apiKeys.id, keyIds), ne(apiKeys.status, "revoked")))
      .for("update");
    if (keys.length !== new Set(keyIds).size) throw new NotFoundError("Key not found");
    await transferKeysInTx(tx, ctx.org.id, ctx.actor, keys, ownerId);
    return keys.length;
  });
  await publishKeyChange({ keyIds });
  return n;
}
