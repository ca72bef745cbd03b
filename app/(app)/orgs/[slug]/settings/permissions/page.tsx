import { orgPageContext } from "@/app/_lib/org-page";
import { PageHeader } from "@/components/ui/card";
import { PermissionCatalog } from "@/components/keys/permission-catalog";
import { getDb } from "@/lib/db";
import { listPermissionCatalog } from "@/lib/keys/permissions";
import { isAdminRole } from "@/lib/orgs/roles";

export const metadata = { title: "Permissions" };

export default async function PermissionsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  const catalog = await listPermissionCatalog(getDb(), ctx.org.id);
  return (
    <>
      <PageHeader title="Permissions" description="The permissions keys of this organization can hold. Your services check them when they verify a key." />
      <PermissionCatalog slug={ctx.org.slug} catalog={catalog} canEdit={isAdminRole(ctx.membership.role)} />
    </>
  );
}
