import { orgPageContext } from "@/app/_lib/org-page";
import { PageHeader } from "@/components/ui/card";
import { OrganizationSettings } from "@/components/orgs/organization-settings";
import { isAdminRole } from "@/lib/orgs/roles";

export const metadata = { title: "General settings" };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  return (
    <>
      <PageHeader title="General" description="Your organization's name and URL." />
      <OrganizationSettings
        slug={ctx.org.slug}
        name={ctx.org.name}
        canEdit={isAdminRole(ctx.membership.role)}
        isPersonal={ctx.org.personalForUserId === ctx.membership.userId}
      />
    </>
  );
}
