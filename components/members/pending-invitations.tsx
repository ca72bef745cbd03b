"use client";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useAction } from "@/components/ui/use-action";
import { revokeInvitationAction } from "@/app/_actions/organizations";
import { ROLE_LABELS } from "@/lib/orgs/roles";
import type { Role } from "@/lib/orgs/role-names";

type Pending = { id: string; email: string; role: Role; expiresAt: string };

export function PendingInvitations({ slug, invitations }: { slug: string; invitations: Pending[] }) {
  const revoke = useAction(revokeInvitationAction);
  return (
    <Card>
      <CardHeader title="Pending invitations" description="Invite the same address again to get a fresh link." />
      {invitations.length === 0 ? (
        <p className="px-5 py-6 text-sm text-zinc-500 dark:text-zinc-400">No pending invitations.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/60">
          {invitations.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm">
              <span className="min-w-0 flex-1 truncate font-medium">{i.email}</span>
              <Badge>{ROLE_LABELS[i.role]}</Badge>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">expires {new Date(i.expiresAt).toLocaleDateString()}</span>
              <ConfirmButton
                variant="ghost"
                size="sm"
                title={`Revoke the invitation for ${i.email}?`}
                description="The link stops working at once."
                confirmLabel="Revoke invitation"
                onConfirm={async () => {
                  const r = await revoke.run([slug, { invitationId: i.id }], { success: "Invitation revoked" });
                  return r?.ok ?? true;
                }}
              >
                Revoke
              </ConfirmButton>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
