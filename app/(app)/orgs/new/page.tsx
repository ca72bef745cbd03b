import { PageHeader } from "@/components/ui/card";
import { NewOrganizationForm } from "@/components/orgs/new-organization-form";

export const metadata = { title: "New organization" };

export default function NewOrganizationPage() {
  return (
    <main className="mx-auto max-w-xl px-4 py-10 sm:px-6">
      <PageHeader title="Create an organization" description="Organizations hold API keys and the people who manage them." />
      <NewOrganizationForm />
    </main>
  );
}
