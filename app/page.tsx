import { redirect } from "next/navigation";
import { currentUser } from "./_lib/auth";
import { listOrganizationsForUser } from "@/lib/orgs/organizations";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const orgs = await listOrganizationsForUser(user.id);
  const home = orgs.find((o) => o.personalForUserId === user.id) ?? orgs[0];
  redirect(home ? `/orgs/${home.slug}/settings/api-keys` : "/orgs/new");
}
