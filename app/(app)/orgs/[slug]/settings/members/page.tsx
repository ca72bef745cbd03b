import { orgPageContext } from "@/app/_lib/org-page";
import { PageHeader } from "@/components/ui/card";
import { MembersTable } from "@/components/members/members-table";
import { InviteDialog } from "@/components/members/invite-dialog";
import { PendingInvitations } from "@/components/members/pending-invitations";
import { listMembers } from "@/lib/orgs/members";
import { listPendingInvitations } from "@/lib/orgs/invitations";
import { canAssignRole, isAdminRole } from "@/lib/orgs/roles";
import { ROLES } from "@/lib/orgs/role-names";
import { countLiveKeysByOwner } from "@/lib/keys/ownership";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  const admin = isAdminRole(ctx.membership.role);
  const [members, invitations, keyCounts] = await Promise.all([
    listMembers(ctx),
    admin ? listPendingInvitations(ctx) : Promise.resolve([]),
    countLiveKeysByOwner(ctx.org.id),
  ]);
  const assignable = ROLES.filter((r) => canAssignRole(ctx.membership.role, r));
  return (
    <>
      <PageHeader
        title="Members"
        description="People in this organization and what they may do with its keys."
        actions={admin ? <InviteDialog slug={ctx.org.slug} roles={assignable} /> : undefined}
      />
      <div className="space-y-6">
        <MembersTable
          slug={ctx.org.slug}
          myUserId={ctx.membership.userId}
          myRole={ctx.membership.role}
          members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))}
          keyCounts={Object.fromEntries(keyCounts)}
        />
        {admin && (
          <PendingInvitations
            slug={ctx.org.slug}
            invitations={invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString() }))}
          />
        )}
      </div>
    </>
  );
}
