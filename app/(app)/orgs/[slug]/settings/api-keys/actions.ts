"use server";
import { revalidatePath } from "next/cache";
import { orgAction } from "@/app/_lib/action";
import { createKey, rollKey, updateKey } from "@/lib/keys/lifecycle";
import { changeKeys, keyActionSchema } from "@/lib/keys/status";
import { addPermission, removePermission } from "@/lib/keys/permissions";
import { updateKeyPolicy } from "@/lib/keys/policy";
import { transferKeys } from "@/lib/keys/ownership";
import { removeUnusedPermissions } from "@/lib/keys/permission-usage";
import { parseInput } from "@/lib/validation";
import type { OrgContext } from "@/lib/orgs/organizations";

const refresh = (ctx: OrgContext) => revalidatePath(`/orgs/${ctx.org.slug}/settings`, "layout");

/** Returns the token once; it is never stored, logged or sent again. */
export const createKeyAction = orgAction(async (ctx, input) => {
  const { key, token } = await createKey(ctx, input);
  refresh(ctx);
  return { keyId: key.id, name: key.name, type: key.type, token };
});

export const updateKeyAction = orgAction(async (ctx, input) => {
  const key = await updateKey(ctx, input);
  refresh(ctx);
  return { keyId: key.id };
});

export const rollKeyAction = orgAction(async (ctx, input) => {
  const { key, token } = await rollKey(ctx, input);
  refresh(ctx);
  return { keyId: key.id, name: key.name, type: key.type, token, previousTokenValidUntil: key.previousHash ? key.previousHashExpiresAt?.toISOString() ?? null : null };
});

export const keyStatusAction = orgAction(async (ctx, input) => {
  const action = parseInput(keyActionSchema, (input as { action?: unknown } | null)?.action);
  const changed = await changeKeys(ctx, action, input);
  refresh(ctx);
  return { changed };
});

export const addPermissionAction = orgAction(async (ctx, input) => {
  await addPermission(ctx, input);
  refresh(ctx);
});

export const removePermissionAction = orgAction(async (ctx, input) => {
  await removePermission(ctx, input);
  refresh(ctx);
});

export const updatePolicyAction = orgAction(async (ctx, input) => {
  const policy = await updateKeyPolicy(ctx, input);
  refresh(ctx);
  return policy;
});

export const transferKeysAction = orgAction(async (ctx, input) => {
  const changed = await transferKeys(ctx, input);
  refresh(ctx);
  return { changed };
});

export const removeUnusedPermissionsAction = orgAction(async (ctx, input) => {
  const removed = await removeUnusedPermissions(ctx, input);
  refresh(ctx);
  return { removed };
});
