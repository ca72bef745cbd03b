// Owns what the key forms need to know of an organization: catalog, members, policy, caller.
import { getDb } from "@/lib/db";
import { listPermissionCatalog } from "@/lib/keys/permissions";
import { listMembers } from "@/lib/orgs/members";
import { customerListQuerySchema, listCustomers } from "@/lib/customers/customers";
import { customerLabel } from "@/lib/customers/names";
import { isAdminRole } from "@/lib/orgs/roles";
import type { OrgContext } from "@/lib/context";
import type { KeyFormContext } from "@/components/keys/key-form-fields";

export async function keyFormContext(ctx: OrgContext): Promise<KeyFormContext> {
  const [catalog, members, customers] = await Promise.all([listPermissionCatalog(getDb(), ctx.org.id), listMembers(ctx), firstCustomers(ctx)]);
  return {
    orgSlug: ctx.org.slug,
    catalog,
    members: members.map((m) => ({ id: m.userId, label: m.email ?? m.name ?? m.userId })),
    customers,
    myUserId: ctx.membership.userId,
    isAdmin: isAdminRole(ctx.membership.role),
    policy: { requireExpiry: ctx.org.keyRequireExpiry, maxLifetimeDays: ctx.org.keyMaxLifetimeDays },
  };
}

/** The first customers by name and how many there are: what a customer picker shows before any typing. */
export async function firstCustomers(ctx: OrgContext): Promise<{ options: { id: string; label: string }[]; total: number }> {
  const { rows, total } = await listCustomers(ctx, customerListQuerySchema.parse({ perPage: 20 }));
  return { options: rows.map((c) => ({ id: c.id, label: customerLabel(c) })), total };
}
