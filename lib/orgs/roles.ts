// Owns what each organization role may do; every check on the server goes through here.
import { z } from "zod";
import { ROLES as ROLE_LIST, type Role } from "./role-names";
export { ROLES, type Role } from "./role-names";
import { ForbiddenError } from "../errors";

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member", viewer: "Viewer" };

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export const isAdminRole = (role: Role) => role === "owner" || role === "admin";

export function requireAdmin(role: Role, what: string): void {
  if (!isAdminRole(role)) throw new ForbiddenError(`Only owners and admins can ${what}.`);
}

/** May `actor` give `target` role (or change a member who currently holds `current`)? */
export function canAssignRole(actor: Role, role: Role, current?: Role): boolean {
  if (!isAdminRole(actor)) return false;
  if (actor === "owner") return true;
  // Admins manage admins and below, and never create owners.
  return RANK[role] <= RANK.admin && (current === undefined || RANK[current] <= RANK.admin);
}

export const roleSchema = z.enum(ROLE_LIST, { error: "Choose a role: owner, admin, member or viewer" });
