import { orgPageContext } from "@/app/_lib/org-page";
import { Card, PageHeader } from "@/components/ui/card";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  return (
    <>
      <PageHeader title="API keys" description={`Keys that let services and scripts act for ${ctx.org.name}.`} />
      <Card className="p-10 text-center">
        <h2 className="font-semibold">Key management is not available yet</h2>
        <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
          Creating, rolling and revoking keys for this organization is the next part of Latchkey being built.
        </p>
      </Card>
    </>
  );
}
