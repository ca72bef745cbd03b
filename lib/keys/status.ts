// Owns suspending, reactivating, revoking and deleting keys, one at a time or in bulk.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, getDb, type ApiKey, type Tx } from "../db";
import { recordAudit } from "../audit/audit";
import { ConflictError, NotFoundError } from "../errors";
import { parseInput } from "../validation";
import type { OrgContext } from "../context";
import { assertCanManageKey, auditView, effectiveStatus } from "./access";
import { keyIdSchema, keyIdsSchema } from "./input";
import { publishKeyChange } from "../verify/invalidation";

export const KEY_ACTIONS = ["suspend", "reactivate", "revoke", "delete"] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];

async function apply(tx: Tx, ctx: OrgContext, key: ApiKey, action: KeyAction, now: Date): Promise<void> {
  assertCanManageKey(ctx, key);
  const status = effectiveStatus(key, now);
  const target = { type: "key", id: key.id, label: key.name };
  if (action === "delete") {
    await tx.delete(apiKeys).where(eq(apiKeys.id, key.id));
    await recordAudit(tx, { organizationId: ctx.org.id, actor: ctx.actor, action: "key.deleted", target, before: auditView(key) });
    return;
  }
  if (status === "revoked") throw new ConflictError(`“${key.name}” is revoked; revocation is permanent.`);
  let set: Partial<ApiKey>;
  if (action === "suspend") {
    if (key.status === "suspended") throw new ConflictError(`“${key.name}” is already suspended.`);
    set = { status: "suspended" };
  } else if (action === "reactivate") {
    if (key.status !== "suspended") throw new ConflictError(`“${key.name}” is not suspended.`);
    set = { status: "active" };
  } else {
    set = { status: "revoked", revokedAt: now, previousHash: null, previousHashExpiresAt: null };
  }
  await tx.update(apiKeys).set({ ...set, updatedAt: now }).where(eq(apiKeys.id, key.id));
  await recordAudit(tx, {
    organizationId: ctx.org.id,
    actor: ctx.actor,
    action: `key.${action === "suspend" ? "suspended" : action === "reactivate" ? "reactivated" : "revoked"}`,
    target,
    before: { status: key.status },
    after: { status: set.status },
  });
}

/** Applies one action to every listed key, all or nothing; returns how many keys changed. */
export async function changeKeys(ctx: OrgContext, action: KeyAction, input: unknown): Promise<number> {
  const { keyIds } = parseInput(keyIdsSchema, input);
  const ids = [...new Set(keyIds)];
  const now = new Date();
  const changed = await getDb().transaction(async (tx) => {
    const keys = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.organizationId, ctx.org.id), inArray(apiKeys.id, ids)))
      .for("update");
    if (keys.length !== ids.length) throw new NotFoundError("Key not found");
    for (const key of keys) await apply(tx, ctx, key, action, now);
    return keys.length;
  });
  await publishKeyChange({ keyIds: ids });
  return changed;
}

export async function changeKey(ctx: OrgContext, action: KeyAction, input: unknown): Promise<void> {
  const { keyId } = parseInput(keyIdSchema, input);
  await changeKeys(ctx, action, { keyIds: [keyId] });
}

export const keyActionSchema = z.enum(KEY_ACTIONS);
