"use client";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { RemoveMemberButton } from "./remove-member-button";
import { Select } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { changeRoleAction } from "@/app/_actions/organizations";
import { ROLE_LABELS, canAssignRole } from "@/lib/orgs/roles";
import { ROLES, type Role } from "@/lib/orgs/role-names";

type Member = { userId: string; name: string | null; email: string | null; role: Role; joinedAt: string };

export function MembersTable({ slug, myUserId, myRole, members, keyCounts }: { slug: string; myUserId: string; myRole: Role; members: Member[]; keyCounts: Record<string, number> }) {
  const changeRole = useAction(changeRoleAction);
  return (
    <Card>
      <CardHeader title={`${members.length} member${members.length === 1 ? "" : "s"}`} />
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th scope="col" className="px-5 py-2.5 font-medium">Member</th>
              <th scope="col" className="px-5 py-2.5 font-medium">Role</th>
              <th scope="col" className="hidden px-5 py-2.5 font-medium sm:table-cell">Joined</th>
              <th scope="col" className="px-5 py-2.5"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const me = m.userId === myUserId;
              const editable = !me && canAssignRole(myRole, m.role, m.role);
              const label = m.email ?? m.name ?? m.userId;
              return (
                <tr key={m.userId} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60" data-testid={`member-${m.email}`}>
                  <td className="px-5 py-3">
                    <div className="font-medium">
                      {m.name ?? label} {me && <Badge tone="indigo" className="ml-1">You</Badge>}
                    </div>
                    <div className="text-xs text-zinc-500 dark:text-zinc-400">{m.email}</div>
                  </td>
                  <td className="px-5 py-3">
                    {editable ? (
                      <Select
                        aria-label={`Role of ${label}`}
                        value={m.role}
                        disabled={changeRole.pending}
                        className="w-32"
                        onChange={(e) =>
                          void changeRole.run([slug, { userId: m.userId, role: e.target.value }], {
                            success: `${label} is now ${ROLE_LABELS[e.target.value as Role]}`,
                          })
                        }
                      >
                        {ROLES.filter((r) => canAssignRole(myRole, r, m.role)).map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </Select>
                    ) : (
                      <Badge tone={m.role === "owner" ? "indigo" : "neutral"}>{ROLE_LABELS[m.role]}</Badge>
                    )}
                  </td>
                  <td className="hidden px-5 py-3 text-zinc-500 sm:table-cell dark:text-zinc-400">{new Date(m.joinedAt).toLocaleDateString()}</td>
                  <td className="px-5 py-3 text-right">
                    {editable && (
                      <RemoveMemberButton
                        slug={slug}
                        member={{ userId: m.userId, label }}
                        keyCount={keyCounts[m.userId] ?? 0}
                        others={members.filter((o) => o.userId !== m.userId).map((o) => ({ id: o.userId, label: o.email ?? o.name ?? o.userId }))}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
