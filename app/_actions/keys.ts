"use server";
// Server actions for keys, shared by the organization's pages and My API keys. Each is produced
// from the operation in lib/keys/operations.ts; `present` says what the browser receives.
import { revalidatePath } from "next/cache";
import { opAction } from "@/app/_lib/action";
import type { OrgContext } from "@/lib/context";
import {
  addPermissionOp,
  changeKeysOp,
  createKeyOp,
  removePermissionOp,
  revealKeyOp,
  rollKeyOp,
  transferKeysOp,
  updateKeyOp,
  updateKeyPolicyOp,
  removeUnusedPermissionsOp,
} from "@/lib/keys/operations";

const refresh = (ctx: OrgContext) => revalidatePath(`/orgs/${ctx.org.slug}/settings`, "layout");

/** Returns the token once; it is never stored, logged or sent again. */
export const createKeyAction = opAction(createKeyOp, (ctx, { key, token }) => {
  refresh(ctx);
  return { keyId: key.id, name: key.name, type: key.type, token, recoverable: key.tokenSealed !== null };
});

export const updateKeyAction = opAction(updateKeyOp, (ctx, key) => {
  refresh(ctx);
  return { keyId: key.id };
});

export const rollKeyAction = opAction(rollKeyOp, (ctx, { key, token }) => {
  refresh(ctx);
  return { keyId: key.id, name: key.name, type: key.type, token, recoverable: key.tokenSealed !== null, previousTokenValidUntil: key.previousHash ? key.previousHashExpiresAt?.toISOString() ?? null : null };
});

export const keyStatusAction = opAction(changeKeysOp, (ctx, changed) => {
  refresh(ctx);
  return { changed };
});

export const addPermissionAction = opAction(addPermissionOp, refresh);
export const removePermissionAction = opAction(removePermissionOp, refresh);

/** The token goes to the browser of the person who asked, once per click, never into a page. */
export const revealKeyAction = opAction(revealKeyOp, (_ctx, { token }) => ({ token }));

export const updatePolicyAction = opAction(updateKeyPolicyOp, (ctx, policy) => {
  refresh(ctx);
  return policy;
});

export const transferKeysAction = opAction(transferKeysOp, (ctx, changed) => {
  refresh(ctx);
  return { changed };
});

export const removeUnusedPermissionsAction = opAction(removeUnusedPermissionsOp, (ctx, removed) => {
  refresh(ctx);
  return { removed };
});
