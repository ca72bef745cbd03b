// Owns least privilege for a key: which of its granted permissions verifications exercised in the
// last 30 days (from the per-day permission rollup), and removing the ones nobody used (audited).
// A verification "exercises" a permission when it names it, whatever its outcome: a request refused
// for its rate limit still shows that the integration relies on that permission.
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, getDb, keyPermissionUsageDay, type DbOrTx } from "../db";
import { recordAudit } from "../audit/audit";
import { ConflictError } from "../errors";
import { parseInput } from "../validation";
import { id, text } from "../primitives";
import type { OrgContext } from "../context";
import { assertCanManageKey, auditView, loadKey } from "./access";
import { publishKeyChange } from "../verify/invalidation";

export const PERMISSION_USAGE_DAYS = 30;
const DAY = 86_400_000;

export type PermissionUse = { permission: string; verifications: number; lastUsedAt: string | null };

/** Counts of the last 30 UTC days (today included) per permission of `keyId`. */
async function usageSince(db: DbOrTx, keyId: string, permissions: string[], now: Date): Promise<Map<string, { n: number; last: Date }>> {
  if (!permissions.length) return new Map();
  const since = new Date(now.getTime() - (PERMISSION_USAGE_DAYS - 1) * DAY).toISOString().slice(0, 10);
  const rows = await db
    .select({ permission: keyPermissionUsageDay.permission, n: sql<string>`sum(${keyPermissionUsageDay.count})`, last: sql<string | Date>`max(${keyPermissionUsageDay.lastUsedAt})` })
    .from(keyPermissionUsageDay)
    .where(and(eq(keyPermissionUsageDay.keyId, keyId), gte(keyPermissionUsageDay.day, since), inArray(keyPermissionUsageDay.permission, permissions)))
    .groupBy(keyPermissionUsageDay.permission);
  return new Map(rows.map((r) => [r.permission, { n: Number(r.n), last: new Date(r.last) }]));
}

export type KeyPermissionUsage = {
  permissions: PermissionUse[];
  /** Start of the window: 30 days ago, or later when counting began later (a new key, or an upgrade). */
  countedSince: string;
  /** Whole days counted so far, at most 30: fewer means "unused" may only mean "not yet seen". */
  daysCounted: number;
};

/** Each permission granted to the key, with how many verifications named it in the last 30 days and when last. */
export async function keyPermissionUsage(ctx: OrgContext, keyId: string, now = new Date()): Promise<KeyPermissionUsage> {
  const key = await loadKey(getDb(), ctx, keyId);
  const used = await usageSince(getDb(), key.id, key.permissions, now);
  const windowStart = now.getTime() - PERMISSION_USAGE_DAYS * DAY;
  const since = Math.max(windowStart, key.permissionUseCountedSince.getTime());
  return {
    permissions: key.permissions.map((permission) => {
      const u = used.get(permission);
      return { permission, verifications: u?.n ?? 0, lastUsedAt: u ? u.last.toISOString() : null };
    }),
    countedSince: new Date(since).toISOString(),
    daysCounted: Math.min(PERMISSION_USAGE_DAYS, Math.floor((now.getTime() - since) / DAY)),
  };
}

export const removeUnusedPermissionsSchema = z.object({
  keyId: id("key"),
  /** The unused permissions the person confirmed; one used meanwhile is kept. */
  permissions: z.array(text({ label: "A permission", min: 1, max: 100 })).min(1, "Choose the permissions to remove").max(200),
});

/**
 * Removes from the key those of `permissions` it still holds and no verification named in the last
 * 30 days. Same rights as editing the key (owner/admin, or a member on their own key); audited as
 * `key.permissions_removed`. Returns the permissions removed.
 */
export async function removeUnusedPermissions(ctx: OrgContext, input: unknown, now = new Date()): Promise<string[]> {
  const data = parseInput(removeUnusedPermissionsSchema, input);
  const result = await getDb().transaction(async (tx) => {
    const current = await loadKey(tx, ctx, data.keyId, true);
    assertCanManageKey(ctx, current);
    if (current.status === "revoked") throw new ConflictError("A revoked key cannot be edited.");
    const asked = data.permissions.filter((p) => current.permissions.includes(p));
    const used = await usageSince(tx, current.id, asked, now);
    const removed = asked.filter((p) => !used.has(p));
    if (!removed.length) return { key: current, removed };
    const [key] = await tx
      .update(apiKeys)
      .set({ permissions: current.permissions.filter((p) => !removed.includes(p)), updatedAt: now })
      .where(eq(apiKeys.id, current.id))
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: "key.permissions_removed",
      target: { type: "key", id: key.id, label: key.name },
      before: { permissions: auditView(current).permissions },
      after: { permissions: auditView(key).permissions, removed, reason: `not used in the last ${PERMISSION_USAGE_DAYS} days` },
    });
    return { key, removed };
  });
  if (result.removed.length) await publishKeyChange({ keyIds: [result.key.id] });
  return result.removed;
}
