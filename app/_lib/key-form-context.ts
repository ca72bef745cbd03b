// Owns what the key forms need to know of an organization: catalog, members, policy, caller.
import { getDb } from "@/lib/db";
import { listPermissionCatalog } from "@/lib/keys/permissions";
import { listMembers } from "@/lib/orgs/members";
import { customerChoices } from "@/lib/customers/customers";
import { isAdminRole } from "@/lib/orgs/roles";
import type { OrgContext } from "@/lib/context";
import type { KeyFormContext } from "@/components/keys/key-form-fields";

export async function keyFormContext(ctx: OrgContext): Promise<KeyFormContext> {
  const [catalog, members, customers] = await Promise.all([listPermissionCatalog(getDb(), ctx.org.id), listMembers(ctx), customerChoices(ctx)]);
  return {
    catalog,
    members: members.map((m) => ({ id: m.userId, label: m.email ?? m.name ?? m.userId })),
    customers: customers.map((c) => ({ id: c.id, label: `${c.name} (${c.externalId})` })),
    myUserId: ctx.membership.userId,
    isAdmin: isAdminRole(ctx.membership.role),
    policy: { requireExpiry: ctx.org.keyRequireExpiry, maxLifetimeDays: ctx.org.keyMaxLifetimeDays },
  };
}
