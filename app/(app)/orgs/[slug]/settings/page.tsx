import { orgPageContext } from "@/app/_lib/org-page";
import { PageHeader } from "@/components/ui/card";
import { OrganizationSettings } from "@/components/orgs/organization-settings";
import { isAdminRole } from "@/lib/orgs/roles";
import { TwoFactorRequirement } from "@/components/orgs/two-factor-requirement";
import { requireUser } from "@/app/_lib/auth";

export const metadata = { title: "General settings" };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  const user = await requireUser();
  return (
    <>
      <PageHeader title="General" description="Your organization's name, URL and sign-in requirements." />
      <OrganizationSettings
        slug={ctx.org.slug}
        name={ctx.org.name}
        canEdit={isAdminRole(ctx.membership.role)}
        isPersonal={ctx.org.personalForUserId === ctx.membership.userId}
      >
        <TwoFactorRequirement
          slug={ctx.org.slug}
          required={ctx.org.requireTwoFactor}
          canEdit={isAdminRole(ctx.membership.role)}
          selfHasTwoFactor={Boolean(user.totpEnabledAt)}
        />
      </OrganizationSettings>
    </>
  );
}
