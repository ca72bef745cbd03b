// Owns an organization's permission catalog: the built-in permissions plus the ones it adds.
import { and, arrayContains, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, getDb, orgPermissions, type DbOrTx } from "../db";
import { recordAudit } from "../audit/audit";
import { ConflictError, NotFoundError, fieldError } from "../errors";
import { parseInput } from "../validation";
import { optionalText, text } from "../primitives";
import { requireAdmin } from "../orgs/roles";
import type { OrgContext } from "../context";
import { BUILTIN_PERMISSIONS, isPublicSafePermission } from "./key-names";

export const permissionNameSchema = text({ label: "Permission", max: 100 })
  .toLowerCase()
  .max(100, "At most 100 characters")
  .regex(/^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$/, 'Use "resource:action" with lowercase letters, digits, - and _ (e.g. customers:read)');

export const addPermissionSchema = z.object({ name: permissionNameSchema, description: optionalText({ label: "Description", max: 200 }) });
export const removePermissionSchema = z.object({ name: text({ label: "Permission", min: 1, max: 100 }) });

export type CatalogEntry = { name: string; description: string | null; builtin: boolean };

export async function listPermissionCatalog(db: DbOrTx, organizationId: string): Promise<CatalogEntry[]> {
  const custom = await db
    .select({ name: orgPermissions.name, description: orgPermissions.description })
    .from(orgPermissions)
    .where(eq(orgPermissions.organizationId, organizationId))
    .orderBy(asc(orgPermissions.name));
  return [...BUILTIN_PERMISSIONS.map((name) => ({ name, description: null, builtin: true })), ...custom.map((c) => ({ ...c, builtin: false }))];
}

/** Checks requested permissions against the catalog and the key type; throws naming the field. */
export async function validatePermissions(db: DbOrTx, organizationId: string, permissions: string[], type: "secret" | "public"): Promise<string[]> {
  const unique = [...new Set(permissions)];
  const known = new Set((await listPermissionCatalog(db, organizationId)).map((p) => p.name));
  const unknown = unique.filter((p) => !known.has(p));
  if (unknown.length) throw fieldError("permissions", `Unknown permission${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Add it in the permission catalog first.`);
  if (type === "public") {
    const unsafe = unique.filter((p) => !isPublicSafePermission(p));
    if (unsafe.length) throw fieldError("permissions", `A public key can only hold permissions ending in :read or :public (not ${unsafe.join(", ")})`);
  }
  return unique.sort();
}

export async function addPermission(ctx: OrgContext, input: unknown): Promise<void> {
  requireAdmin(ctx.membership.role, "change the permission catalog");
  const data = parseInput(addPermissionSchema, input);
  if ((BUILTIN_PERMISSIONS as readonly string[]).includes(data.name)) throw fieldError("name", `${data.name} is built in`);
  await getDb().transaction(async (tx) => {
    const inserted = await tx
      .insert(orgPermissions)
      .values({ organizationId: ctx.org.id, name: data.name, description: data.description || null })
      .onConflictDoNothing()
      .returning();
    if (!inserted.length) throw fieldError("name", `${data.name} already exists`);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: "permission.created",
      target: { type: "permission", id: data.name, label: data.name },
      after: { name: data.name, description: data.description ?? null },
    });
  });
}

/** Removes a custom permission; refuses while live keys hold it, naming them. */
export async function removePermission(ctx: OrgContext, input: unknown): Promise<void> {
  requireAdmin(ctx.membership.role, "change the permission catalog");
  const { name } = parseInput(removePermissionSchema, input);
  await getDb().transaction(async (tx) => {
    const users = await tx
      .select({ id: apiKeys.id, name: apiKeys.name })
      .from(apiKeys)
      .where(and(eq(apiKeys.organizationId, ctx.org.id), isNull(apiKeys.revokedAt), arrayContains(apiKeys.permissions, [name])))
      .limit(11);
    if (users.length) {
      const names = users.slice(0, 10).map((k) => `“${k.name}”`).join(", ");
      throw new ConflictError(`${name} is used by ${users.length > 10 ? "more than 10 keys, including " : ""}${names}. Remove it from those keys first.`);
    }
    const deleted = await tx
      .delete(orgPermissions)
      .where(and(eq(orgPermissions.organizationId, ctx.org.id), eq(orgPermissions.name, name)))
      .returning();
    if (!deleted.length) throw new NotFoundError("Permission not found");
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actor: ctx.actor,
      action: "permission.deleted",
      target: { type: "permission", id: name, label: name },
      before: { name, description: deleted[0].description },
    });
  });
}
