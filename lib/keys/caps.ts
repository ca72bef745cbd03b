// Owns what a key may do given its owner's role: a key never does more than its owner may.
import type { Role } from "../orgs/role-names";
import { BUILTIN_PERMISSIONS } from "./key-names";

const MEMBER_BUILTINS = new Set(["keys:read", "keys:write", "keys:verify", "analytics:read"]);
const BUILTIN = new Set<string>(BUILTIN_PERMISSIONS);

/**
 * Whether a key owned by someone with `role` may use `permission`.
 * owner/admin: all; member: every org-defined permission plus keys:read/write/verify;
 * viewer: what a member may use that ends in ":read" (so never audit:read, which only owners'
 * and admins' keys hold); no role (owner left the org): nothing.
 */
export function roleAllows(role: Role | null, permission: string): boolean {
  switch (role) {
    case "owner":
    case "admin":
      return true;
    case "member":
      return !BUILTIN.has(permission) || MEMBER_BUILTINS.has(permission);
    case "viewer":
      return permission.endsWith(":read") && roleAllows("member", permission);
    default:
      return false;
  }
}

/** The permissions a key can actually use right now: its own, capped by its owner's current role. */
export function effectivePermissions(permissions: string[], ownerRole: Role | null): string[] {
  return permissions.filter((p) => roleAllows(ownerRole, p));
}

export function permissionsOutsideCap(permissions: string[], ownerRole: Role | null): string[] {
  return permissions.filter((p) => !roleAllows(ownerRole, p));
}
