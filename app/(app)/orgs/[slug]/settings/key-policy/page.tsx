import { orgPageContext } from "@/app/_lib/org-page";
import { PageHeader } from "@/components/ui/card";
import { KeyPolicyForm } from "@/components/keys/key-policy-form";
import { policyOf } from "@/lib/keys/policy";
import { isAdminRole } from "@/lib/orgs/roles";

export const metadata = { title: "Key policy" };

export default async function KeyPolicyPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  return (
    <>
      <PageHeader title="Key policy" description="Rules every key of this organization must follow, checked when keys are created and edited." />
      <KeyPolicyForm slug={ctx.org.slug} policy={policyOf(ctx.org)} canEdit={isAdminRole(ctx.membership.role)} />
    </>
  );
}
