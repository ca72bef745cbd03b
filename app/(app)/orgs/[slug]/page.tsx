import { redirect } from "next/navigation";

export default async function OrgIndex({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(`/orgs/${slug}/settings/api-keys`);
}
