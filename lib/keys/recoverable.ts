// Owns recoverable keys (an opt-in key-policy setting): a new secret token is also kept encrypted
// with AES-256-GCM (random nonce per token, LATCHKEY_ENCRYPTION_KEY, bound to the key's id), so
// that its owner or an admin can copy it again after re-authenticating. Every reveal is audited.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, organizations, type Organization } from "../db";
import { recordAudit } from "../audit/audit";
import type { OrgContext } from "../context";
import { ConflictError } from "../errors";
import { id } from "../primitives";
import { seal, unseal } from "../auth/sealed";
import { requireRecentAuth } from "../auth/reauth";
import { assertCanManageKey, effectiveStatus, loadKey } from "./access";
import { encryptionKey } from "./encryption-key";
import type { KeyType } from "./key-names";

const aad = (keyId: string) => `api-key:${keyId}`;

function requireEncryptionKey(): Buffer {
  const key = encryptionKey();
  if (!key) throw new ConflictError("Recoverable keys need LATCHKEY_ENCRYPTION_KEY to be set on the server.");
  return key;
}

/** The sealed token to store for a new token of key `keyId`, or null when the key is not recoverable. */
export function sealTokenFor(org: Pick<Organization, "keyRecoverable">, type: KeyType, keyId: string, token: string): string | null {
  if (!org.keyRecoverable || type !== "secret") return null;
  return seal(requireEncryptionKey(), token, aad(keyId));
}

/** Whether recoverable keys can be turned on in this process (the encryption key is configured). */
export const recoverableKeysAvailable = (): boolean => encryptionKey() !== null;

export const revealKeySchema = z.object({ keyId: id("key") });

/**
 * The token of a recoverable secret key, for those who may manage the key, after a recent
 * re-authentication; recorded in the audit log as `key.revealed`.
 */
export async function revealKey(ctx: OrgContext, input: { keyId: string }): Promise<{ token: string }> {
  const key = await loadKey(getDb(), ctx, input.keyId);
  assertCanManageKey(ctx, key);
  if (effectiveStatus(key, new Date()) === "revoked") throw new ConflictError("A revoked key cannot be copied.");
  if (!key.tokenSealed) {
    throw new ConflictError("This key was created while recoverable keys were off: its token cannot be recovered. Roll it to get a new one.");
  }
  requireRecentAuth(ctx.actor);
  const token = unseal(requireEncryptionKey(), key.tokenSealed, aad(key.id));
  await recordAudit(getDb(), {
    organizationId: ctx.org.id,
    actor: ctx.actor,
    action: "key.revealed",
    target: { type: "key", id: key.id, label: key.name },
    after: { last4: key.last4 },
  });
  return { token };
}

/** Whether any organization has recoverable keys on (start-up then requires the encryption key). */
export async function anyOrganizationRecoverable(): Promise<boolean> {
  const rows = await getDb().select({ id: organizations.id }).from(organizations).where(eq(organizations.keyRecoverable, true)).limit(1);
  return rows.length > 0;
}
