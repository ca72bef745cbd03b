import { AlertTriangle } from "lucide-react";
import { currentSession, actorFor, requireUser } from "@/app/_lib/auth";
import { PageHeader } from "@/components/ui/card";
import { PasskeysSettings, SessionsList, TwoFactorSettings } from "@/components/account/security-settings";
import { listPasskeys } from "@/lib/auth/passkeys";
import { twoFactorStatus } from "@/lib/auth/two-factor";
import { listSessions } from "@/lib/auth/sessions";
import { resolveOrgContext } from "@/lib/orgs/organizations";

export const metadata = { title: "Security" };

/** The organization that sent the member here because it requires two-factor, if they belong to it. */
async function requiringOrg(slug: string | undefined, actor: Parameters<typeof resolveOrgContext>[0]) {
  if (!slug) return null;
  try {
    const { org } = await resolveOrgContext(actor, slug);
    return org.requireTwoFactor ? org : null;
  } catch {
    return null;
  }
}

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ required?: string | string[] }> }) {
  const user = await requireUser("/account/security");
  const session = (await currentSession())?.session ?? null;
  const { required } = await searchParams;
  const org = await requiringOrg(typeof required === "string" ? required : undefined, actorFor(user, null, session));
  const [status, sessions, passkeys] = await Promise.all([twoFactorStatus(user), listSessions(user.id, session?.id ?? null), listPasskeys(user.id)]);
  return (
    <>
      <PageHeader title="Security" description="Two-factor authentication and the browsers signed in to your account." />
      {org && !status.enabled && (
        <p role="alert" className="mb-6 flex gap-2 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            <strong>{org.name}</strong> requires two-factor authentication. Set it up below to open the organization.
          </span>
        </p>
      )}
      <div className="space-y-6">
        <TwoFactorSettings status={status} continueTo={org ? { name: org.name, href: `/orgs/${org.slug}/settings/api-keys` } : undefined} />
        <PasskeysSettings passkeys={passkeys} enabled={status.enabled} />
        <SessionsList sessions={sessions} />
      </div>
    </>
  );
}
